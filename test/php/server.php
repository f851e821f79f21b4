<?php
/**
 * Router for `php -S`: the test WordPress site served over real HTTP, as wp-blog-header.php would
 * (Debian's wp-config.php is bypassed for the test configuration). The WooCommerce test double's
 * orders come from COMEBACK_TEST_ORDERS ([{id, status, key}]).
 */
// wp-admin, wp-login.php and static files are served by php -S from the core folder as they are.
if ( preg_match( '#^/(wp-admin(/|$)|wp-login\.php|wp-includes/|wp-content/)#', (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) ) ) {
	return false;
}
define( 'WP_USE_THEMES', true ); // as index.php: a front-end request (template_redirect fires)
require __DIR__ . '/wp-test-config.php';
require_once __DIR__ . '/woocommerce-double.php';
foreach ( json_decode( getenv( 'COMEBACK_TEST_ORDERS' ) ?: '[]', true ) as $order ) {
	$GLOBALS['comeback_test_orders'][ (int) $order['id'] ] = new WC_Order( $order );
}
require_once ABSPATH . 'wp-settings.php';
wp();
require_once ABSPATH . WPINC . '/template-loader.php';
