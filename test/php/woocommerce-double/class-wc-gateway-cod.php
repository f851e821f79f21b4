<?php
/**
 * The test double's WC_Gateway_COD: what Comeback reads of WooCommerce's class of that name, loaded by
 * ../woocommerce-double.php when WooCommerce's own is absent.
 */

/**
 * Cash on delivery: includes/gateways/cod/class-wc-gateway-cod.php, setup_properties and
 * init_form_fields (id "cod", title "Cash on delivery", instructions "Pay with cash upon delivery.").
 */
class WC_Gateway_COD extends WC_Payment_Gateway {
	public function __construct() {
		$this->id           = 'cod';
		$this->method_title = 'Cash on delivery';
		parent::__construct();
	}
	public function init_form_fields() {
		$this->form_fields = array(
			'enabled'      => array( 'default' => 'no' ),
			'title'        => array( 'default' => 'Cash on delivery' ),
			'description'  => array( 'default' => 'Pay with cash upon delivery.' ),
			'instructions' => array( 'default' => 'Pay with cash upon delivery.' ),
		);
	}
}
