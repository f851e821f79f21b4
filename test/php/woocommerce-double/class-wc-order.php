<?php
/**
 * The test double's WC_Order: what Comeback calls of WooCommerce's class of that name, loaded
 * by ../woocommerce-double.php when WooCommerce's own is absent.
 */
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
			'payment_method'       => '',
			'payment_method_title' => '',
			'items'                => array(),
			'billing'              => array(),
			'customer_id'          => 0,
			'created_via'          => '',
			'modified'             => null,
			'customer_ip_address'  => '',
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
	public function get_payment_method() {
		return $this->data['payment_method'];
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
	public function get_billing_phone() {
		return $this->data['billing']['phone'] ?? '';
	}
	/** The IP WooCommerce recorded when the order was placed (WC_Checkout::create_order() sets it from WC_Geolocation::get_ip_address()). */
	public function get_customer_ip_address() {
		return $this->data['customer_ip_address'];
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
	// WooCommerce's WC_Data::update_meta_data() and meta_exists() (includes/abstracts/abstract-wc-data.php).
	public function update_meta_data( $key, $value ) {
		$this->data['meta'][ $key ] = $value;
	}
	public function meta_exists( $key ) {
		return array_key_exists( $key, $this->data['meta'] );
	}
	/**
	 * WC_Data::get_meta_data(): every meta of the order as objects with id, key and value (WC_Meta_Data),
	 * which is what the REST API lists as meta_data; WooCommerce's own internal keys are not among them
	 * (WC_Data_Store_WP::exclude_internal_meta_keys()), and this double holds none.
	 */
	public function get_meta_data() {
		$id  = 0;
		$all = array();
		foreach ( $this->data['meta'] as $key => $value ) {
			$all[] = (object) array( 'id' => ++$id, 'key' => $key, 'value' => $value );
		}
		return $all;
	}
	/** WC_Data::save(): the order's changes stored; a test counts the saves to see one happened. */
	public function save() {
		$this->data['saves'] = ( $this->data['saves'] ?? 0 ) + 1;
		return $this->data['id'];
	}
	/** How many times save() ran (the double's own, for tests). */
	public function saves() {
		return $this->data['saves'] ?? 0;
	}
	public function get_date_created() {
		return $this->data['created'];
	}
	/** Where the order came from: 'checkout' (classic checkout), 'store-api' (block checkout), 'rest-api', 'admin'… ('' unless set, as a new WC_Order). */
	public function get_created_via() {
		return $this->data['created_via'];
	}
	/** Last change; an order never changed since it was placed answers its creation time. */
	public function get_date_modified() {
		return $this->data['modified'] ?? $this->data['created'];
	}
	/** As WooCommerce's: the order takes the new status (the note is not kept here). */
	public function update_status( $new_status, $note = '' ) {
		unset( $note );
		$this->data['status'] = $new_status;
		return true;
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
