<?php
/**
 * One click for guests: a customer who followed a signed payment link (sent to the order's email
 * address) proved they hold that address, so WooCommerce's "verify the email address associated
 * with the order" step is waived for that order, for this visit.
 *
 * Following the link sets a short-lived cookie naming the order and its expiry, signed with the
 * shop's shared secret; WooCommerce's filter `woocommerce_order_email_verification_required`
 * (asked by the order-pay and order-received pages once the order is more than ten minutes old,
 * src/Internal/Utilities/Users.php should_user_verify_order_email) lets that one order through
 * while the cookie holds. Orders that belong to an account still ask the customer to sign in.
 *
 *   cookie = order_id "." expires "." base64url(HMAC-SHA256(secret, "comeback-pass." order_id "." expires))
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Guest_Pass {

	public const COOKIE = 'comeback_pass';
	public const TTL    = 30 * MINUTE_IN_SECONDS;

	public static function register() {
		add_filter( 'woocommerce_order_email_verification_required', array( __CLASS__, 'waive' ), 10, 2 );
	}

	/**
	 * Sets the pass for a guest order whose link was just followed (and keeps it in $_COOKIE for
	 * the rest of this request). Nothing is set for orders that belong to an account.
	 *
	 * @param WC_Order $order The order the link names.
	 */
	public static function grant( $order ) {
		$secret = Comeback_Options::shared_secret();
		if ( '' === $secret || $order->get_customer_id() ) {
			return;
		}
		$expires = time() + self::TTL;
		$value   = self::issue( $order->get_id(), $expires, $secret );
		if ( ! headers_sent() ) {
			setcookie(
				self::COOKIE,
				$value,
				array(
					'expires'  => $expires,
					'path'     => COOKIEPATH ? COOKIEPATH : '/',
					'domain'   => COOKIE_DOMAIN ? COOKIE_DOMAIN : '',
					'secure'   => is_ssl(),
					'httponly' => true,
					'samesite' => 'Lax',
				)
			);
		}
		$_COOKIE[ self::COOKIE ] = $value;
	}

	/**
	 * The cookie's value for an order until a moment.
	 *
	 * @param int    $order_id Order id.
	 * @param int    $expires  Unix seconds.
	 * @param string $secret   Shared secret.
	 * @return string
	 */
	public static function issue( $order_id, $expires, $secret ) {
		return (int) $order_id . '.' . (int) $expires . '.' . self::mac( (int) $order_id, (int) $expires, $secret );
	}

	/**
	 * Whether a cookie value is a pass for this order, signed with this secret, still valid now.
	 *
	 * @return bool
	 */
	public static function allows( $value, $order_id, $secret, $now ) {
		if ( '' === $secret || ! preg_match( '/^(\d{1,20})\.(\d{1,20})\.([A-Za-z0-9_-]{43})$/', (string) $value, $m ) ) {
			return false;
		}
		if ( ! hash_equals( self::mac( (int) $m[1], (int) $m[2], $secret ), $m[3] ) ) {
			return false;
		}
		return (int) $m[1] === (int) $order_id && $now < (int) $m[2];
	}

	/**
	 * The filter: verification stays required unless this visitor holds a pass for this guest order,
	 * on its pay page and its order-received page alike (WooCommerce's third argument, the context,
	 * changes nothing here). It only ever lifts the step, never adds it.
	 *
	 * @param bool     $required Whether WooCommerce would ask for the email address.
	 * @param WC_Order $order    The order being shown.
	 * @return bool
	 */
	public static function waive( $required, $order ) {
		if ( ! $required || ! is_a( $order, 'WC_Order' ) || $order->get_customer_id() || ! isset( $_COOKIE[ self::COOKIE ] ) ) {
			return $required;
		}
		$value = sanitize_text_field( wp_unslash( $_COOKIE[ self::COOKIE ] ) );
		// A pass given just before the shared secret was rotated stays good for its half hour.
		foreach ( Comeback_Options::link_secrets() as $secret ) {
			if ( self::allows( $value, $order->get_id(), $secret, time() ) ) {
				return false;
			}
		}
		return true;
	}

	private static function mac( $order_id, $expires, $secret ) {
		return rtrim( strtr( base64_encode( hash_hmac( 'sha256', 'comeback-pass.' . $order_id . '.' . $expires, $secret, true ) ), '+/', '-_' ), '=' );
	}
}
