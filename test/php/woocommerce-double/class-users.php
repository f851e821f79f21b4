<?php
/**
 * The test double's Automattic\WooCommerce\Internal\Utilities\Users: the one method WooCommerce's
 * order-pay and order-received pages ask before showing a guest's order, loaded by
 * ../woocommerce-double.php when WooCommerce's own is absent.
 */
namespace Automattic\WooCommerce\Internal\Utilities;

class Users {
	/**
	 * As WooCommerce 9.9.5 src/Internal/Utilities/Users.php should_user_verify_order_email(), called
	 * by includes/shortcodes/class-wc-shortcode-checkout.php guest_should_verify_email() with context
	 * 'order-pay' (order_pay()) or 'order-received' (order_received()): no billing email or the
	 * signed-in owner → no step; within the grace period (filter
	 * woocommerce_order_email_verification_grace_period, 600 s) → no step; otherwise required unless
	 * the session's customer email, a supplied email or read_private_shop_orders matches, and then
	 * filtered through woocommerce_order_email_verification_required ($required, $order, $context).
	 */
	public static function should_user_verify_order_email( $order_id, $supplied_email = null, $context = 'view' ) {
		$order         = wc_get_order( $order_id );
		$billing_email = $order->get_billing_email();
		$customer_id   = $order->get_customer_id();
		if ( empty( $billing_email ) ) {
			return false;
		}
		if ( $customer_id && get_current_user_id() === $customer_id ) {
			return false;
		}
		$grace   = (int) apply_filters( 'woocommerce_order_email_verification_grace_period', 10 * MINUTE_IN_SECONDS, $order, $context );
		$created = $order->get_date_created();
		if ( is_a( $created, \WC_DateTime::class, true ) && time() - $created->getTimestamp() <= $grace ) {
			return false;
		}
		$session       = wc()->session;
		$session_email = '';
		if ( is_a( $session, \WC_Session::class ) ) {
			$customer      = $session->get( 'customer' );
			$session_email = is_array( $customer ) && isset( $customer['email'] ) ? $customer['email'] : '';
		}
		$session_email_match  = ! empty( $session_email ) && 0 === strcasecmp( $session_email, $billing_email );
		$supplied_email_match = ! empty( $supplied_email ) && 0 === strcasecmp( $supplied_email, $billing_email );
		$required             = ! $session_email_match && ! $supplied_email_match && ! current_user_can( 'read_private_shop_orders' );
		return (bool) apply_filters( 'woocommerce_order_email_verification_required', $required, $order, $context );
	}
}
