<?php
/**
 * PHPUnit bootstrap: install WordPress in a separate process, then load it for the tests, with
 * the WooCommerce test double when a test run asks for it (WooCommerce cannot be installed here;
 * everything WordPress does is the real thing).
 */
$output = array();
$status = 0;
exec( escapeshellarg( PHP_BINARY ) . ' ' . escapeshellarg( __DIR__ . '/install.php' ) . ' 2>&1', $output, $status );
if ( 0 !== $status ) {
	fwrite( STDERR, "WordPress install failed:\n" . implode( "\n", $output ) . "\n" );
	exit( 1 );
}
require __DIR__ . '/wp-test-config.php';
if ( getenv( 'COMEBACK_TEST_WOOCOMMERCE' ) !== 'absent' ) {
	require_once __DIR__ . '/woocommerce-double.php';
}
require_once ABSPATH . 'wp-settings.php';
require_once __DIR__ . '/test-stop.php';
require_once __DIR__ . '/test-users.php';
require_once __DIR__ . '/sidecar-edge.php';
