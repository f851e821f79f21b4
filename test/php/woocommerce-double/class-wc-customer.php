<?php
/**
 * The test double's WC_Customer: what Comeback calls of WooCommerce's class of that name, loaded
 * by ../woocommerce-double.php when WooCommerce's own is absent.
 */
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
