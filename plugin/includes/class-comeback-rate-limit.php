<?php
/**
 * Limits on the shop's public cart capture, so nobody can use the checkout to make the shop
 * capture (and later remind) addresses by the dozen: per visitor IP, at most 10 different
 * addresses an hour; per address, at most 3 different checkout sessions an hour. A shopper
 * typing, correcting and changing their cart is one address in one session and never meets the
 * limit; a script cycling through other people's addresses, or many sessions aimed at one
 * person, does. Counts live in transients (named by hashes: no address or IP is stored in the
 * clear) and slide over the last hour.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Rate_Limit {

	/** Transient prefix (under Comeback_Options' comeback_ prefix, so uninstall removes them). */
	private const PREFIX = 'comeback_rl_';
	private const WINDOW = HOUR_IN_SECONDS;

	/**
	 * Whether this capture may go on; records it when it may.
	 *
	 * @param string   $session The shopper's session key (already a hash).
	 * @param string[] $addresses The e-mail and phone captured (nulls are skipped).
	 * @return int 0 when allowed, else the seconds until it would be (for Retry-After).
	 */
	public static function cart_capture( $session, array $addresses ) {
		/**
		 * Filters the cart capture limits per hour: 'ip' different addresses from one IP, 'address'
		 * different checkout sessions capturing one address.
		 *
		 * @param array $limits { ip: int, address: int }
		 */
		$limits    = (array) apply_filters( 'comeback_cart_capture_limits', array( 'ip' => 10, 'address' => 3 ) );
		$addresses = array_values( array_filter( array_map( array( __CLASS__, 'address_key' ), $addresses ) ) );
		$ip        = self::client_ip();
		$checks    = array();
		if ( '' !== $ip ) {
			foreach ( $addresses as $address ) {
				$checks[] = array( 'ip_' . self::hash( $ip ), $address, (int) $limits['ip'] );
			}
		}
		foreach ( $addresses as $address ) {
			$checks[] = array( 'ad_' . $address, $session, (int) $limits['address'] );
		}
		$now  = time();
		$wait = 0;
		foreach ( $checks as list( $bucket, $member, $limit ) ) {
			$wait = max( $wait, self::wait( self::members( $bucket, $now ), $member, $limit, $now ) );
		}
		if ( $wait > 0 ) {
			return $wait;
		}
		foreach ( $checks as list( $bucket, $member ) ) {
			$members            = self::members( $bucket, $now );
			$members[ $member ] = $now;
			set_transient( self::PREFIX . $bucket, $members, self::WINDOW );
		}
		return 0;
	}

	/**
	 * The visitor's IP as the web server saw it: REMOTE_ADDR, as WooCommerce's own Store API rate
	 * limits count by default (src/StoreApi/Authentication.php get_ip_address(), proxy support off,
	 * RateLimits::PROXY_SUPPORT): a forwarded header is anyone's to forge.
	 */
	public static function client_ip() {
		$ip = isset( $_SERVER['REMOTE_ADDR'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REMOTE_ADDR'] ) ) : '';
		/**
		 * Filters the IP the cart capture limit counts, e.g. to read a trusted proxy's header.
		 *
		 * @param string $ip REMOTE_ADDR, or '' when unknown.
		 */
		$ip = (string) apply_filters( 'comeback_client_ip', $ip );
		return filter_var( $ip, FILTER_VALIDATE_IP ) ? $ip : '';
	}

	/** Seconds until $member may join the bucket: 0 when it is in it already or there is room. */
	private static function wait( array $members, $member, $limit, $now ) {
		if ( isset( $members[ $member ] ) || count( $members ) < $limit ) {
			return 0;
		}
		sort( $members );
		// Room comes back when enough of the oldest leave the window.
		return max( 1, $members[ count( $members ) - $limit ] + self::WINDOW - $now );
	}

	/** A bucket's members (member => last seen) within the window. */
	private static function members( $bucket, $now ) {
		$members = get_transient( self::PREFIX . $bucket );
		return array_filter(
			is_array( $members ) ? $members : array(),
			function ( $at ) use ( $now ) {
				return (int) $at > $now - self::WINDOW;
			}
		);
	}

	/** An address as one key: e-mail lower-cased, phone by its digits; '' for nothing. */
	private static function address_key( $address ) {
		$address = (string) $address;
		$key     = false !== strpos( $address, '@' ) ? strtolower( trim( $address ) ) : preg_replace( '/\D/', '', $address );
		return '' === $key ? '' : self::hash( $key );
	}

	private static function hash( $value ) {
		return substr( hash_hmac( 'sha256', $value, wp_salt( 'nonce' ) ), 0, 32 );
	}
}
