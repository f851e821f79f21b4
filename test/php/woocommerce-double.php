<?php
/**
 * A test double for the few WooCommerce symbols Comeback touches (WooCommerce cannot be installed
 * here). Only what the plugin calls, each as WooCommerce documents it; nothing else pretends.
 */
if ( ! class_exists( 'WooCommerce' ) ) {
	// WooCommerce's main class: its presence is how plugins tell WooCommerce is active. A test
	// puts the shopper's cart, session and customer on it, as WooCommerce does per request.
	final class WooCommerce {
		public $version = '9.9.5';
		/** @var WC_Cart|null */
		public $cart;
		/** @var WC_Session_Handler|null */
		public $session;
		/** @var WC_Customer|null */
		public $customer;
	}
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
	class WC_Order {
		private $data;
		public function __construct( array $data ) {
			$this->data = $data + array(
				'id'                   => 0,
				'status'               => 'pending',
				'meta'                 => array(),
				'created'              => null,
				'key'                  => 'wc_order_test',
				'number'               => null,
				'total'                => '0.00',
				'currency'             => 'USD',
				'payment_method_title' => '',
				'items'                => array(),
				'billing'              => array(),
				'customer_id'          => 0,
			);
		}
		public function get_order_number() {
			return (string) ( $this->data['number'] ?? $this->data['id'] );
		}
		public function get_order_key() {
			return $this->data['key'];
		}
		public function get_customer_id() {
			return $this->data['customer_id'];
		}
		public function get_total() {
			return $this->data['total'];
		}
		public function get_currency() {
			return $this->data['currency'];
		}
		public function get_payment_method_title() {
			return $this->data['payment_method_title'];
		}
		/** Line items as WC_Order_Item_Product: name, quantity, total (before tax). */
		public function get_items() {
			return array_map(
				function ( $item ) {
					return new WC_Order_Item_Product( $item );
				},
				$this->data['items']
			);
		}
		public function get_billing_first_name() {
			return $this->data['billing']['first_name'] ?? '';
		}
		public function get_billing_last_name() {
			return $this->data['billing']['last_name'] ?? '';
		}
		public function get_billing_email() {
			return $this->data['billing']['email'] ?? '';
		}
		public function get_id() {
			return $this->data['id'];
		}
		public function get_status() {
			return $this->data['status'];
		}
		public function get_meta( $key ) {
			return $this->data['meta'][ $key ] ?? '';
		}
		public function get_date_created() {
			return $this->data['created'];
		}
		/** As WooCommerce: pending and failed orders with a total still need paying. */
		public function needs_payment() {
			return in_array( $this->data['status'], array( 'pending', 'failed' ), true );
		}
		public function get_checkout_payment_url() {
			return home_url( '/checkout/order-pay/' . $this->data['id'] . '/?pay_for_order=true&key=' . $this->data['key'] );
		}
		public function get_checkout_order_received_url() {
			return home_url( '/checkout/order-received/' . $this->data['id'] . '/?key=' . $this->data['key'] );
		}
	}
}

if ( ! function_exists( 'wc_get_order' ) ) {
	// Orders a test put in $GLOBALS['comeback_test_orders'], by id; false like WooCommerce for others.
	function wc_get_order( $id ) {
		return $GLOBALS['comeback_test_orders'][ (int) $id ] ?? false;
	}
}

if ( ! class_exists( 'WC_Order_Item_Product' ) ) {
	class WC_Order_Item_Product {
		private $data;
		public function __construct( array $data ) {
			$this->data = $data;
		}
		public function get_name() {
			return $this->data['name'];
		}
		public function get_quantity() {
			return $this->data['quantity'];
		}
		public function get_total() {
			return $this->data['total'];
		}
	}
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
	class WC_Email {
		public $id;
		private $type;
		public function __construct( $id, $type = 'html' ) {
			$this->id   = $id;
			$this->type = $type;
		}
		public function get_email_type() {
			return $this->type;
		}
	}
	class WC_Emails {
		private $emails;
		public function __construct( array $emails ) {
			$this->emails = $emails;
		}
		public function get_emails() {
			return $this->emails;
		}
	}
}

if ( ! class_exists( 'WC_Session_Handler' ) ) {
	// The shopper's session: values by key, and the customer id WooCommerce gives it (the user id
	// when signed in, a random one for guests). has_session() is true once its cookie is set.
	class WC_Session_Handler {
		private $customer_id;
		private $has_cookie;
		private $data = array();
		public function __construct( $customer_id, $has_cookie = true ) {
			$this->customer_id = (string) $customer_id;
			$this->has_cookie  = $has_cookie;
		}
		public function get( $key, $default = null ) {
			return array_key_exists( sanitize_key( $key ), $this->data ) ? $this->data[ sanitize_key( $key ) ] : $default;
		}
		public function set( $key, $value ) {
			$this->data[ sanitize_key( $key ) ] = $value;
		}
		public function get_customer_id() {
			return $this->customer_id;
		}
		public function has_session() {
			return $this->has_cookie || is_user_logged_in();
		}
		public function set_customer_session_cookie( $set ) {
			$this->has_cookie = $this->has_cookie || (bool) $set;
		}
	}
}

if ( ! class_exists( 'WC_Customer' ) ) {
	// The session's customer: the billing details Comeback reads and prefills.
	class WC_Customer {
		private $billing;
		public function __construct( array $billing = array() ) {
			$this->billing = $billing + array( 'email' => '', 'phone' => '', 'first_name' => '', 'country' => '' );
		}
		public function get_billing_email() {
			return $this->billing['email'];
		}
		public function get_billing_phone() {
			return $this->billing['phone'];
		}
		public function get_billing_first_name() {
			return $this->billing['first_name'];
		}
		public function get_billing_country() {
			return $this->billing['country'];
		}
		public function set_billing_email( $value ) {
			$this->billing['email'] = $value;
		}
		public function set_billing_phone( $value ) {
			$this->billing['phone'] = $value;
		}
		public function set_billing_first_name( $value ) {
			$this->billing['first_name'] = $value;
		}
		public function set_billing_country( $value ) {
			$this->billing['country'] = $value;
		}
		public function save() {
			return 0;
		}
	}
}

if ( ! class_exists( 'WC_Product' ) ) {
	// A product (or a variation) with the fields Comeback reads; the test shop has no tax rates.
	class WC_Product {
		private $data;
		public function __construct( array $data ) {
			$this->data = $data + array(
				'id'             => 0,
				'name'           => '',
				'sku'            => '',
				'price'          => '0',
				'manage_stock'   => false,
				'stock_quantity' => null,
				'in_stock'       => true,
				'purchasable'    => true,
				'image_id'       => 0,
			);
		}
		public function get_id() {
			return $this->data['id'];
		}
		public function get_name() {
			return $this->data['name'];
		}
		public function get_sku() {
			return $this->data['sku'];
		}
		public function get_price() {
			return $this->data['price'];
		}
		public function managing_stock() {
			return $this->data['manage_stock'];
		}
		public function get_stock_quantity() {
			return $this->data['manage_stock'] ? $this->data['stock_quantity'] : null;
		}
		public function is_in_stock() {
			return $this->data['in_stock'];
		}
		public function is_purchasable() {
			return $this->data['purchasable'];
		}
		public function get_image_id() {
			return $this->data['image_id'];
		}
		/** As WooCommerce without backorders: the stock when it is managed, -1 (no limit) otherwise. */
		public function get_max_purchase_quantity() {
			return $this->data['manage_stock'] ? (int) $this->data['stock_quantity'] : -1;
		}
	}
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

if ( ! class_exists( 'WC_Cart' ) ) {
	// The session's cart: items keyed as WooCommerce keys them, each with its product ('data') and
	// line amounts; add_to_cart() refuses, as WooCommerce does, what cannot be bought.
	class WC_Cart {
		private $contents = array();
		public function get_cart() {
			return $this->contents;
		}
		public function is_empty() {
			return array() === $this->contents;
		}
		public function empty_cart() {
			$this->contents = array();
		}
		public function display_prices_including_tax() {
			return false;
		}
		public function add_to_cart( $product_id = 0, $quantity = 1, $variation_id = 0, $variation = array() ) {
			$product = wc_get_product( $variation_id ? $variation_id : $product_id );
			$key     = md5( $product_id . '_' . $variation_id . '_' . wp_json_encode( $variation ) );
			$total   = $quantity + ( $this->contents[ $key ]['quantity'] ?? 0 );
			if ( ! $product || ! $product->is_purchasable() || ! $product->is_in_stock() || ( $product->managing_stock() && $total > $product->get_stock_quantity() ) ) {
				return false;
			}
			$line                   = (float) $product->get_price() * $total;
			$this->contents[ $key ] = array(
				'key'               => $key,
				'product_id'        => $product_id,
				'variation_id'      => $variation_id,
				'variation'         => $variation,
				'quantity'          => $total,
				'data'              => $product,
				'line_subtotal'     => $line,
				'line_subtotal_tax' => 0,
				'line_total'        => $line,
				'line_tax'          => 0,
			);
			return $key;
		}
	}
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
	// The Additional Checkout Fields API, recording what was registered.
	function woocommerce_register_additional_checkout_field( $options ) {
		$GLOBALS['comeback_test_checkout_fields'][ $options['id'] ] = $options;
	}
}
