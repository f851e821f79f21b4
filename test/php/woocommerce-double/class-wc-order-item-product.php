<?php
/**
 * The test double's WC_Order_Item_Product: what Comeback calls of WooCommerce's class of that name, loaded
 * by ../woocommerce-double.php when WooCommerce's own is absent.
 */
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
