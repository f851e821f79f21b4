<?php
/**
 * A test double for the few WooCommerce symbols Comeback touches (WooCommerce cannot be installed
 * here). Only what the plugin calls, each as WooCommerce documents it; nothing else pretends.
 */
if ( ! class_exists( 'WooCommerce' ) ) {
	// WooCommerce's main class: its presence is how plugins tell WooCommerce is active. A test
	// puts the shopper's cart, session and customer on it, as WooCommerce does per request.
	require_once __DIR__ . '/woocommerce-double/class-woocommerce.php';
	function WC() {
		static $instance = null;
		if ( null === $instance ) {
			$instance = new WooCommerce();
		}
		return $instance;
	}
}


// WooCommerce's own top-level admin menu, under which Comeback adds its page. This file loads
// before WordPress, so the hook is pre-registered the way WordPress documents ($wp_filter).
$GLOBALS['wp_filter']['admin_menu'][9][] = array(
	'function'      => function () {
		add_menu_page( 'WooCommerce', 'WooCommerce', 'manage_woocommerce', 'woocommerce', '__return_null' );
	},
	'accepted_args' => 1,
);

if ( ! class_exists( 'WC_Order' ) ) {
	// The WC_Order methods Comeback calls, returning what WooCommerce's would for the given data.
	require_once __DIR__ . '/woocommerce-double/class-wc-order.php';
}

if ( ! function_exists( 'wc_get_order' ) ) {
	// Orders a test put in $GLOBALS['comeback_test_orders'], by id; false like WooCommerce for others.
	function wc_get_order( $id ) {
		return $GLOBALS['comeback_test_orders'][ (int) $id ] ?? false;
	}
}

if ( ! function_exists( 'wc_cancel_unpaid_orders' ) ) {
	/*
	 * WooCommerce's hold-stock auto-cancel, as 9.9.5 decides it (includes/wc-order-functions.php,
	 * wc_cancel_unpaid_orders, run on the `woocommerce_cancel_unpaid_orders` event every
	 * woocommerce_hold_stock_minutes): nothing when the hold is under a minute or stock is not
	 * managed; otherwise each pending order last updated before now - hold
	 * (OrdersTableDataStore::get_unpaid_orders_gmt: status pending, date_updated_gmt < cutoff) is
	 * cancelled where apply_filters( 'woocommerce_cancel_unpaid_order', 'checkout' ===
	 * $order->get_created_via(), $order ) is true: classic checkout orders, never Store API
	 * (block checkout) or REST ones unless a filter says so. Rescheduling is left out (the tests
	 * run the event themselves). The orders are those a test put in $GLOBALS['comeback_test_orders'].
	 */
	function wc_cancel_unpaid_orders() {
		$held_duration = get_option( 'woocommerce_hold_stock_minutes' );
		if ( $held_duration < 1 || 'yes' !== get_option( 'woocommerce_manage_stock' ) ) {
			return;
		}
		$cutoff = time() - absint( $held_duration ) * MINUTE_IN_SECONDS;
		foreach ( $GLOBALS['comeback_test_orders'] ?? array() as $order ) {
			$updated = $order->get_date_modified();
			if ( 'pending' !== $order->get_status() || ! $updated || $updated->getTimestamp() >= $cutoff ) {
				continue;
			}
			if ( apply_filters( 'woocommerce_cancel_unpaid_order', 'checkout' === $order->get_created_via(), $order ) ) {
				$order->update_status( 'cancelled', 'Unpaid order cancelled - time limit reached.' );
			}
		}
	}
	// add_action( 'woocommerce_cancel_unpaid_orders', 'wc_cancel_unpaid_orders' ), pre-registered as
	// above: this file loads before WordPress.
	$GLOBALS['wp_filter']['woocommerce_cancel_unpaid_orders'][10][] = array(
		'function'      => 'wc_cancel_unpaid_orders',
		'accepted_args' => 1,
	);
}

if ( ! class_exists( 'WC_Payment_Gateway' ) ) {
	// The core offline gateways (bacs, cheque, cod) with their settings and defaults, and WC()->payment_gateways().
	// A test enables one or changes its instructions as the merchant's settings screen does:
	// update_option( 'woocommerce_<id>_settings', array( … ) ).
	require_once __DIR__ . '/woocommerce-double/class-wc-payment-gateway.php';
	require_once __DIR__ . '/woocommerce-double/class-wc-gateway-bacs.php';
	require_once __DIR__ . '/woocommerce-double/class-wc-gateway-cheque.php';
	require_once __DIR__ . '/woocommerce-double/class-wc-gateway-cod.php';
	require_once __DIR__ . '/woocommerce-double/class-wc-payment-gateways.php';
}

if ( ! class_exists( 'WC_Order_Item_Product' ) ) {
	require_once __DIR__ . '/woocommerce-double/class-wc-order-item-product.php';
}

if ( ! function_exists( 'wc_get_price_decimals' ) ) {
	// WooCommerce's price settings readers: the options under WooCommerce → Settings → General.
	function wc_get_price_decimals() {
		return absint( get_option( 'woocommerce_price_num_decimals', 2 ) );
	}
	function wc_get_price_decimal_separator() {
		$separator = stripslashes( (string) get_option( 'woocommerce_price_decimal_sep' ) );
		return $separator ? $separator : '.';
	}
	function wc_get_price_thousand_separator() {
		return stripslashes( (string) get_option( 'woocommerce_price_thousand_sep' ) );
	}
}

if ( ! function_exists( 'get_woocommerce_currency_symbol' ) ) {
	// A few of WooCommerce's symbols, HTML-encoded as WooCommerce keeps them.
	function get_woocommerce_currency_symbol( $currency = '' ) {
		$symbols = array(
			'EUR' => '&euro;',
			'GBP' => '&pound;',
			'JPY' => '&yen;',
			'PLN' => '&#122;&#322;',
			'USD' => '&#36;',
		);
		return $symbols[ $currency ] ?? $currency;
	}
}

if ( ! class_exists( 'WC_Email' ) ) {
	// The WooCommerce email parts the shortcodes hook into: an id and the type the merchant chose.
	require_once __DIR__ . '/woocommerce-double/class-wc-email.php';
	require_once __DIR__ . '/woocommerce-double/class-wc-emails.php';
}

if ( ! class_exists( 'WC_DateTime' ) ) {
	// WooCommerce's dates (an order's creation among them).
	require_once __DIR__ . '/woocommerce-double/class-wc-datetime.php';
}

if ( ! class_exists( 'WC_Session' ) ) {
	// WooCommerce's abstract session, which WC_Session_Handler extends.
	require_once __DIR__ . '/woocommerce-double/class-wc-session.php';
}

if ( ! class_exists( 'WC_Session_Handler' ) ) {
	// The shopper's session: values by key, and the customer id WooCommerce gives it (the user id
	// when signed in, a random one for guests). has_session() is true once its cookie is set.
	require_once __DIR__ . '/woocommerce-double/class-wc-session-handler.php';
}

if ( ! class_exists( 'WC_Customer' ) ) {
	// The session's customer: the billing details Comeback reads and prefills.
	require_once __DIR__ . '/woocommerce-double/class-wc-customer.php';
}

if ( ! class_exists( 'WC_Product' ) ) {
	// A product (or a variation) with the fields Comeback reads; the test shop has no tax rates.
	require_once __DIR__ . '/woocommerce-double/class-wc-product.php';
	// Products a test put in $GLOBALS['comeback_test_products'], by id; false like WooCommerce for others.
	function wc_get_product( $id ) {
		return $GLOBALS['comeback_test_products'][ (int) $id ] ?? false;
	}
	function wc_get_price_including_tax( $product, $args = array() ) {
		return (float) $product->get_price() * ( $args['qty'] ?? 1 );
	}
	function wc_get_price_excluding_tax( $product, $args = array() ) {
		return (float) $product->get_price() * ( $args['qty'] ?? 1 );
	}
}

if ( ! class_exists( 'Automattic\\WooCommerce\\Internal\\Utilities\\Users' ) ) {
	// Whether a guest must verify the order's email before order-pay / order-received.
	require_once __DIR__ . '/woocommerce-double/class-users.php';
}

if ( ! class_exists( 'WC_Cart' ) ) {
	// The session's cart: items keyed as WooCommerce keys them, each with its product ('data') and
	// line amounts; add_to_cart() refuses, as WooCommerce does, what cannot be bought.
	require_once __DIR__ . '/woocommerce-double/class-wc-cart.php';
}

if ( ! function_exists( 'wc_add_notice' ) ) {
	// Notices wait in the session for the next page, as WooCommerce keeps them.
	function wc_add_notice( $message, $notice_type = 'success', $data = array() ) {
		$notices                   = WC()->session->get( 'wc_notices', array() );
		$notices[ $notice_type ][] = array( 'notice' => $message, 'data' => $data );
		WC()->session->set( 'wc_notices', $notices );
	}
	function wc_get_cart_url() {
		return home_url( '/cart/' );
	}
	function wc_get_checkout_url() {
		return home_url( '/checkout/' );
	}
	function get_woocommerce_currency() {
		return (string) get_option( 'woocommerce_currency', 'USD' );
	}
	// WooCommerce's decimal string for a number at $dp decimals (the only way Comeback calls it).
	function wc_format_decimal( $number, $dp = false ) {
		return number_format( (float) $number, (int) $dp, '.', '' );
	}
}

if ( ! function_exists( 'woocommerce_register_additional_checkout_field' ) ) {
	// The Additional Checkout Fields API, recording what was registered with WooCommerce's defaults
	// (WooCommerce 9.9.5 src/Blocks/Domain/Services/CheckoutFields.php register_checkout_field():
	// wp_parse_args() over these; a field with show_in_order_confirmation true is listed on the
	// thank-you page and in emails, filter_fields_for_order_confirmation()).
	function woocommerce_register_additional_checkout_field( $options ) {
		$GLOBALS['comeback_test_checkout_fields'][ $options['id'] ] = wp_parse_args(
			$options,
			array(
				'location'                   => '',
				'type'                       => 'text',
				'hidden'                     => false,
				'required'                   => false,
				'attributes'                 => array(),
				'show_in_order_confirmation' => true,
			)
		);
	}
}

if ( ! function_exists( 'wc_rand_hash' ) ) {
	// includes/wc-core-functions.php, wc_rand_hash() and wc_api_hash(), as in WooCommerce 9.9.5.
	function wc_rand_hash() {
		return bin2hex( openssl_random_pseudo_bytes( 20 ) );
	}
	function wc_api_hash( $data ) {
		return hash_hmac( 'sha256', $data, 'wc-api' );
	}
	// includes/wc-formatting-functions.php, wc_clean() and wc_trim_string().
	function wc_clean( $value ) {
		return is_array( $value ) ? array_map( 'wc_clean', $value ) : ( is_scalar( $value ) ? sanitize_text_field( $value ) : $value );
	}
	function wc_trim_string( $text, $chars = 200, $suffix = '...' ) {
		$text = $text ?? '';
		return strlen( $text ) > $chars ? mb_substr( $text, 0, $chars - mb_strlen( $suffix ) ) . $suffix : $text;
	}
}

if ( ! class_exists( 'WC_Auth' ) ) {
	// The REST key WooCommerce creates when the merchant approves an app (one-click connect).
	require_once __DIR__ . '/woocommerce-double/class-wc-auth.php';
}

if ( ! class_exists( 'WC_REST_Orders_Controller' ) ) {
	// GET /wc/v3/orders/<id>'s answer for an order (the fields Comeback reads), through the filter
	// woocommerce_rest_prepare_shop_order_object, which webhooks' payloads pass too.
	require_once __DIR__ . '/woocommerce-double/class-wc-rest-orders-controller.php';
}

if ( ! class_exists( 'WC_Webhook' ) ) {
	// Webhooks as WooCommerce stores them (the sidecar creates Comeback's over REST).
	require_once __DIR__ . '/woocommerce-double/class-wc-webhook.php';
	require_once __DIR__ . '/woocommerce-double/class-wc-webhook-data-store.php';
	require_once __DIR__ . '/woocommerce-double/class-wc-data-store.php';
	require_once __DIR__ . '/woocommerce-double/wc-webhook-functions.php';
}

if ( ! function_exists( 'wc_get_account_menu_items' ) ) {
	/*
	 * My Account, as WooCommerce 9.9.5 builds it. includes/class-wc-query.php: WC_Query's query vars
	 * (init_query_vars(), a few of them here) go through the woocommerce_get_query_vars filter
	 * (get_query_vars()), and add_endpoints(), hooked on init, registers each with
	 * add_rewrite_endpoint( $var, get_endpoints_mask() ): EP_PAGES (EP_ROOT | EP_PAGES when My
	 * Account is the front page). Pre-registered as above: this file loads before WordPress.
	 */
	function comeback_test_wc_query_vars() {
		return apply_filters(
			'woocommerce_get_query_vars',
			array(
				'orders'          => get_option( 'woocommerce_myaccount_orders_endpoint', 'orders' ),
				'edit-account'    => get_option( 'woocommerce_myaccount_edit_account_endpoint', 'edit-account' ),
				'customer-logout' => get_option( 'woocommerce_logout_endpoint', 'customer-logout' ),
			)
		);
	}
	$GLOBALS['wp_filter']['init'][10][] = array(
		'function'      => function () {
			foreach ( comeback_test_wc_query_vars() as $var ) {
				if ( ! empty( $var ) ) {
					add_rewrite_endpoint( $var, EP_PAGES );
				}
			}
		},
		'accepted_args' => 1,
	);
	// includes/wc-account-functions.php wc_get_account_menu_items(): the default items (downloads,
	// addresses and payment methods left out here), filtered through woocommerce_account_menu_items.
	function wc_get_account_menu_items() {
		$endpoints = comeback_test_wc_query_vars();
		$items     = array(
			'dashboard'       => 'Dashboard',
			'orders'          => 'Orders',
			'edit-account'    => 'Account details',
			'customer-logout' => 'Log out',
		);
		return apply_filters( 'woocommerce_account_menu_items', $items, $endpoints );
	}
	// includes/wc-account-functions.php wc_get_account_endpoint_url() and includes/wc-page-functions.php
	// wc_get_endpoint_url(), for the My Account page at /my-account/ with pretty permalinks.
	function wc_get_account_endpoint_url( $endpoint ) {
		$permalink = home_url( '/my-account/' );
		if ( 'dashboard' === $endpoint ) {
			return $permalink;
		}
		$vars = comeback_test_wc_query_vars();
		return apply_filters( 'woocommerce_get_endpoint_url', $permalink . user_trailingslashit( $vars[ $endpoint ] ?? $endpoint ), $endpoint, '', $permalink );
	}
}
