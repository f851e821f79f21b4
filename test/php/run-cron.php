<?php
/**
 * Runs the site's due WP-Cron events of one hook (COMEBACK_TEST_CRON_HOOK) once, as wp-cron.php's
 * loop does (the test site has no web server calling it): unschedule, then fire with its
 * arguments. WordPress's own events (update checks) are left alone: the network is closed here.
 */
$only = getenv( 'COMEBACK_TEST_CRON_HOOK' );
require __DIR__ . '/wp-test-config.php';
require_once __DIR__ . '/woocommerce-double.php'; // the plugin hooks itself in only with WooCommerce
require_once ABSPATH . 'wp-settings.php';
$ran = 0;
foreach ( wp_get_ready_cron_jobs() as $timestamp => $hooks ) {
	foreach ( $hooks as $hook => $events ) {
		if ( $hook !== $only ) {
			continue;
		}
		foreach ( $events as $event ) {
			wp_unschedule_event( $timestamp, $hook, $event['args'] );
			do_action_ref_array( $hook, $event['args'] );
			$ran++;
		}
	}
}
echo "ran $ran\n";
