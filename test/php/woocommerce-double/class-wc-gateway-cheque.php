<?php
/**
 * The test double's WC_Gateway_Cheque: what Comeback reads of WooCommerce's class of that name, loaded by
 * ../woocommerce-double.php when WooCommerce's own is absent.
 */

/**
 * Cheque: includes/gateways/cheque/class-wc-gateway-cheque.php, __construct and
 * init_form_fields (id "cheque", title "Check payments"; the instructions, added to the thank-you
 * page and the on-hold email by email_instructions(), are empty until the merchant writes some).
 */
class WC_Gateway_Cheque extends WC_Payment_Gateway {
	public function __construct() {
		$this->id           = 'cheque';
		$this->method_title = 'Check payments';
		parent::__construct();
	}
	public function init_form_fields() {
		$this->form_fields = array(
			'enabled'      => array( 'default' => 'no' ),
			'title'        => array( 'default' => 'Check payments' ),
			'description'  => array( 'default' => 'Please send a check to Store Name, Store Street, Store Town, Store State / County, Store Postcode.' ),
			'instructions' => array( 'default' => '' ),
		);
	}
}
