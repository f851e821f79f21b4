<?php
/**
 * The test double's WC_Cart: what Comeback calls of WooCommerce's class of that name, loaded
 * by ../woocommerce-double.php when WooCommerce's own is absent.
 */
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
