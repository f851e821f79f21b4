<?php
/**
 * The test double's WC_Gateway_BACS: what Comeback reads of WooCommerce's class of that name, loaded by
 * ../woocommerce-double.php when WooCommerce's own is absent.
 */

/**
 * Bank transfer: includes/gateways/bacs/class-wc-gateway-bacs.php, __construct and
 * init_form_fields (title "Direct bank transfer", no instructions by default; its accounts are
 * the option woocommerce_bacs_accounts, which the shop profile reads).
 */
class WC_Gateway_BACS extends WC_Payment_Gateway {
	public function __construct() {
		$this->id           = 'bacs';
		$this->method_title = 'Direct bank transfer';
		parent::__construct();
	}
	public function init_form_fields() {
		$this->form_fields = array(
			'enabled'      => array( 'default' => 'no' ),
			'title'        => array( 'default' => 'Direct bank transfer' ),
			'description'  => array( 'default' => 'Make your payment directly into our bank account. Please use your Order ID as the payment reference. Your order will not be shipped until the funds have cleared in our account.' ),
			'instructions' => array( 'default' => '' ),
		);
	}
}
