<?php
/**
 * Router for `php -S`: the test WordPress site served over real HTTP, as wp-blog-header.php would
 * (Debian's wp-config.php is bypassed for the test configuration). The WooCommerce test double's
 * orders come from COMEBACK_TEST_ORDERS ([{id, status, key, billing?, created_ago?}], created_ago in
 * seconds). Its order-pay page answers only as far as WooCommerce's email check goes.
 */
// wp-admin, wp-login.php and static files are served by php -S from the core folder as they are.
if ( preg_match( '#^/(wp-admin(/|$)|wp-login\.php|wp-includes/|wp-content/)#', (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) ) ) {
	return false;
}
// WooCommerce's REST API (wc/v3) of the shop, when a test gives one (COMEBACK_TEST_WC_REST, the
// stand-in shop of test/fakes/fake-woo-shop.ts): the sidecar reaches it on the shop's own domain,
// as on a real shop. Forwarded as it came (method, query, body, the Host the OAuth signature
// covers); the answer with its status and paging headers.
if ( getenv( 'COMEBACK_TEST_WC_REST' ) && 0 === strpos( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ), '/wp-json/wc/' ) ) {
	$headers = array( 'Host: ' . $_SERVER['HTTP_HOST'], 'Content-Type: ' . ( $_SERVER['CONTENT_TYPE'] ?? 'application/json' ) );
	if ( isset( $_SERVER['HTTP_AUTHORIZATION'] ) ) {
		$headers[] = 'Authorization: ' . $_SERVER['HTTP_AUTHORIZATION'];
	}
	$context = stream_context_create(
		array(
			'http' => array(
				'method'        => $_SERVER['REQUEST_METHOD'],
				'header'        => implode( "\r\n", $headers ),
				'content'       => file_get_contents( 'php://input' ),
				'ignore_errors' => true,
				'timeout'       => 20,
			),
		)
	);
	$body    = file_get_contents( getenv( 'COMEBACK_TEST_WC_REST' ) . $_SERVER['REQUEST_URI'], false, $context );
	foreach ( $http_response_header as $i => $line ) {
		if ( 0 === $i ) {
			http_response_code( (int) explode( ' ', $line )[1] );
		} elseif ( preg_match( '/^(content-type|x-wp-total|x-wp-totalpages|link):/i', $line ) ) {
			header( $line );
		}
	}
	echo $body; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- the shop's answer, passed on as it is.
	return true;
}
define( 'WP_USE_THEMES', true ); // as index.php: a front-end request (template_redirect fires)
require __DIR__ . '/wp-test-config.php';
require_once __DIR__ . '/woocommerce-double.php';
foreach ( json_decode( getenv( 'COMEBACK_TEST_ORDERS' ) ?: '[]', true ) as $order ) {
	if ( isset( $order['created_ago'] ) ) {
		$order['created'] = new WC_DateTime( '@' . ( time() - (int) $order['created_ago'] ) );
	}
	$GLOBALS['comeback_test_orders'][ (int) $order['id'] ] = new WC_Order( $order );
}
require_once ABSPATH . 'wp-settings.php';
// /checkout/order-pay/<id>/?pay_for_order=true&key=<key>, as WooCommerce 9.9.5's
// includes/shortcodes/class-wc-shortcode-checkout.php order_pay() decides it for a guest: a wrong
// key is refused; when guest_should_verify_email() (Users::should_user_verify_order_email) says so,
// checkout/form-verify-email.php is shown instead of the payment form.
add_action(
	'template_redirect',
	function () {
		if ( ! preg_match( '#^/checkout/order-pay/(\d+)/#', (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ), $m ) ) {
			return;
		}
		$order = wc_get_order( (int) $m[1] );
		if ( ! $order || ! hash_equals( $order->get_order_key(), (string) ( $_GET['key'] ?? '' ) ) ) {
			wp_die( 'Sorry, this order is invalid and cannot be paid for.', '', array( 'response' => 200 ) );
		}
		status_header( 200 );
		echo \Automattic\WooCommerce\Internal\Utilities\Users::should_user_verify_order_email( $order->get_id(), null, 'order-pay' )
			? '<p>To view this page, you must either login or verify the email address associated with the order.</p>'
			: '<form id="order_review"><button id="place_order">Pay for order</button></form>';
		exit;
	}
);
wp();
require_once ABSPATH . WPINC . '/template-loader.php';
