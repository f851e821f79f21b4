<?php
/**
 * A test double for the few WooCommerce symbols Comeback touches (WooCommerce cannot be installed
 * here). Only what the plugin calls, each as WooCommerce documents it; nothing else pretends.
 */
if ( ! class_exists( 'WooCommerce' ) ) {
	// WooCommerce's main class: its presence is how plugins tell WooCommerce is active.
	final class WooCommerce {
		public $version = '9.9.5';
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
