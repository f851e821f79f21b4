<?php
/**
 * The test double's WC_Email: what Comeback calls of WooCommerce's class of that name, loaded
 * by ../woocommerce-double.php when WooCommerce's own is absent.
 */
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
