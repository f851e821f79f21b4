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


if ( ! class_exists( 'WC_Order' ) ) {
	// The WC_Order methods Comeback calls, returning what WooCommerce's would for the given data.
	class WC_Order {
		private $data;
		public function __construct( array $data ) {
			$this->data = $data + array( 'id' => 0, 'status' => 'pending', 'meta' => array(), 'created' => null, 'key' => 'wc_order_test' );
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
