<?php
/**
 * What Plugins → Deactivate, Activate and Delete do to Comeback, each in a request of its own, through
 * WordPress core's deactivate_plugins(), activate_plugin() and uninstall_plugin():
 * `php plugin-action.php deactivate|activate|uninstall`. WordPress deletes only a deactivated plugin,
 * so on uninstall nothing of Comeback is loaded and uninstall.php runs on its own under
 * WP_UNINSTALL_PLUGIN. The WooCommerce test double is loaded unless COMEBACK_TEST_WOOCOMMERCE=absent
 * (WooCommerce deactivated: its tables stay). With WooCommerce comes Action Scheduler, whose
 * as_unschedule_all_actions() is recorded here (in COMEBACK_TEST_UNSCHEDULED), not faked as working.
 */
require __DIR__ . '/wp-test-config.php';
if ( getenv( 'COMEBACK_TEST_WOOCOMMERCE' ) !== 'absent' ) {
	require_once __DIR__ . '/woocommerce-double.php';
	function as_unschedule_all_actions( $hook, $args = array(), $group = '' ) {
		if ( getenv( 'COMEBACK_TEST_UNSCHEDULED' ) ) {
			file_put_contents( getenv( 'COMEBACK_TEST_UNSCHEDULED' ), $group . "\n", FILE_APPEND );
		}
	}
}
require_once ABSPATH . 'wp-settings.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
// Debian's WordPress 6.1 on PHP 8.2: its Requests library, loaded by the first HTTP call, prints
// deprecation notices, which WordPress would then blame on the plugin being activated.
error_reporting( E_ALL & ~E_DEPRECATED ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.prevent_path_disclosure_error_reporting,WordPress.PHP.DiscouragedPHPFunctions.runtime_configuration_error_reporting
$plugin = 'comeback/comeback.php';
$action = $argv[1] ?? '';
if ( 'deactivate' === $action ) {
	deactivate_plugins( $plugin );
	echo is_plugin_active( $plugin ) ? "still active\n" : "deactivated\n";
} elseif ( 'activate' === $action ) {
	$result = activate_plugin( $plugin );
	echo is_wp_error( $result ) ? $result->get_error_message() . "\n" : "activated\n";
} elseif ( 'uninstall' === $action ) {
	if ( is_plugin_active( $plugin ) || class_exists( 'Comeback_Options' ) ) {
		fwrite( STDERR, "Comeback is still active: WordPress deletes only deactivated plugins\n" );
		exit( 1 );
	}
	echo uninstall_plugin( $plugin ) ? "uninstalled\n" : "no uninstall\n";
} else {
	fwrite( STDERR, "usage: php plugin-action.php deactivate|activate|uninstall\n" );
	exit( 1 );
}
