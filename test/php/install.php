<?php
/**
 * Installs WordPress into the empty test database and activates Comeback, in its own process
 * (as WordPress's own test suite does): an install run leaves WP_INSTALLING defined, which
 * changes how options and cron behave, so the tests load WordPress afresh afterwards.
 */
define( 'WP_INSTALLING', true );
require __DIR__ . '/wp-test-config.php';
require_once ABSPATH . 'wp-settings.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install( 'Comeback Test Shop', 'admin', 'admin@example.test', true, '', 'admin-password' );
update_option( 'active_plugins', array( 'comeback/comeback.php' ) );
if ( getenv( 'COMEBACK_TEST_WOOCOMMERCE' ) !== 'absent' ) {
	// What WooCommerce's installer does for administrators (WC_Install::create_roles).
	get_role( 'administrator' )->add_cap( 'manage_woocommerce' );
	// And the tables it creates (the REST keys, the webhooks, HPOS's order meta).
	require_once __DIR__ . '/woocommerce-double/tables.php';
	comeback_test_create_woocommerce_tables();
}
echo "installed\n";
