<?php
/**
 * The test double's WC_Session_Handler: what Comeback calls of WooCommerce's class of that name, loaded
 * by ../woocommerce-double.php when WooCommerce's own is absent.
 */
class WC_Session_Handler extends WC_Session {
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
