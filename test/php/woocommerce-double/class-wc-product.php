<?php
/**
 * The test double's WC_Product: what Comeback calls of WooCommerce's class of that name, loaded
 * by ../woocommerce-double.php when WooCommerce's own is absent.
 */
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
