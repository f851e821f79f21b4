<?php
/**
 * Deletes Comeback as WordPress does after Plugins → Delete, in a request of its own: WordPress
 * loaded with Comeback already deactivated (so nothing of it is loaded), then core's
 * uninstall_plugin(), which runs the plugin's uninstall.php under WP_UNINSTALL_PLUGIN. The
 * WooCommerce test double is loaded unless COMEBACK_TEST_WOOCOMMERCE=absent (WooCommerce
 * deactivated: its tables stay). With WooCommerce comes Action Scheduler, whose
 * as_unschedule_all_actions() is recorded here (in COMEBACK_TEST_UNSCHEDULED), not faked as working.
 */
require __DIR__ . '/wp-test-config.php';
if ( getenv( 'COMEBACK_TEST_WOOCOMMERCE' ) !== 'absent' ) {
	require_once __DIR__ . '/woocommerce-double.php';
	function as_unschedule_all_actions( $hook, $args = array(), $group = '' ) {
		file_put_contents( getenv( 'COMEBACK_TEST_UNSCHEDULED' ), $group . "\n", FILE_APPEND );
	}
}
require_once ABSPATH . 'wp-settings.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
if ( is_plugin_active( 'comeback/comeback.php' ) || class_exists( 'Comeback_Options' ) ) {
	fwrite( STDERR, "Comeback is still active: WordPress deletes only deactivated plugins\n" );
	exit( 1 );
}
echo uninstall_plugin( 'comeback/comeback.php' ) ? "uninstalled\n" : "no uninstall\n";
