<?php
/**
 * The test double's WooCommerce: what Comeback calls of WooCommerce's class of that name, loaded
 * by ../woocommerce-double.php when WooCommerce's own is absent.
 */
final class WooCommerce {
	public $version = '9.9.5';
	/** @var WC_Cart|null */
	public $cart;
	/** @var WC_Session_Handler|null */
	public $session;
	/** @var WC_Customer|null */
	public $customer;
	/** The payment gateways (WooCommerce::payment_gateways(), includes/class-woocommerce.php). */
	public function payment_gateways() {
		return new WC_Payment_Gateways();
	}
}
