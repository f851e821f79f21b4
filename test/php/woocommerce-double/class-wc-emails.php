<?php
/**
 * The test double's WC_Emails: what Comeback calls of WooCommerce's class of that name, loaded
 * by ../woocommerce-double.php when WooCommerce's own is absent.
 */
class WC_Emails {
	private $emails;
	public function __construct( array $emails ) {
		$this->emails = $emails;
	}
	public function get_emails() {
		return $this->emails;
	}
}
