<?php
/**
 * Keeps an order alive while it is being recovered. WooCommerce's hold-stock setting cancels
 * unpaid checkout orders after N minutes (woocommerce_cancel_unpaid_orders); a reminder sent
 * hours later would then lead to a cancelled order. While the sidecar recovers an order it marks
 * it (order meta _comeback_recovery_until, a unix time, written over the REST API): until its last
 * reminder's send plus the merchant's grace, so the link just sent still pays the order; payment,
 * cancellation or a stop clears it. This filter spares marked orders from the auto-cancel, up to
 * the limit the merchant sets, after which WooCommerce's own rule applies again.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Keep_Alive {

	public const META = '_comeback_recovery_until';

	public static function register() {
		add_filter( 'woocommerce_cancel_unpaid_order', array( __CLASS__, 'filter' ), 10, 2 );
	}

	/**
	 * @param bool     $cancel Whether WooCommerce would cancel it (true for checkout orders).
	 * @param WC_Order $order  The unpaid order.
	 * @return bool
	 */
	public static function filter( $cancel, $order ) {
		if ( ! $cancel || ! is_object( $order ) ) {
			return $cancel;
		}
		$until = (int) $order->get_meta( self::META );
		if ( $until <= time() ) {
			return $cancel;
		}
		$created = $order->get_date_created();
		$limit   = Comeback_Options::keep_alive_hours() * HOUR_IN_SECONDS;
		if ( 0 === $limit || ! $created || time() - $created->getTimestamp() > $limit ) {
			return $cancel;
		}
		return false;
	}
}
