<?php
/**
 * The test double's WC_Payment_Gateways: what Comeback reads of WooCommerce's class of that name, loaded by
 * ../woocommerce-double.php when WooCommerce's own is absent.
 */

/**
 * WC_Payment_Gateways: includes/class-wc-payment-gateways.php, init (the core gateways, through
 * the woocommerce_payment_gateways filter; PayPal Standard is left out, as WooCommerce leaves it
 * out of shops that never used it) and payment_gateways() (every loaded gateway by id, enabled
 * or not). Built afresh on each call so a test's saved settings show at once.
 */
class WC_Payment_Gateways {
	public function payment_gateways() {
		$gateways = array();
		foreach ( apply_filters( 'woocommerce_payment_gateways', array( 'WC_Gateway_BACS', 'WC_Gateway_Cheque', 'WC_Gateway_COD' ) ) as $gateway ) { // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedHooknameFound -- WooCommerce's own filter.
			$gateway = is_string( $gateway ) && class_exists( $gateway ) ? new $gateway() : $gateway;
			if ( $gateway instanceof WC_Payment_Gateway ) {
				$gateways[ $gateway->id ] = $gateway;
			}
		}
		return $gateways;
	}
}
