<?php
/**
 * Sets options on the test site from COMEBACK_TEST_OPTIONS (a JSON object), as a merchant's
 * settings screens would have stored them.
 */
require __DIR__ . '/wp-test-config.php';
require_once ABSPATH . 'wp-settings.php';
foreach ( json_decode( getenv( 'COMEBACK_TEST_OPTIONS' ), true ) as $name => $value ) {
	update_option( $name, $value );
}
echo "configured\n";
