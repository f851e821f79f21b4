<?php
/**
 * Every option the plugin stores, in one list: read, sanitised and (on uninstall) removed from here.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Options {

	const SIDECAR_URL   = 'comeback_sidecar_url';
	const SHARED_SECRET = 'comeback_shared_secret';

	/** @return string[] Every option name the plugin may have written. */
	public static function all() {
		return array( self::SIDECAR_URL, self::SHARED_SECRET );
	}

	public static function sidecar_url() {
		return (string) get_option( self::SIDECAR_URL, '' );
	}

	public static function shared_secret() {
		return (string) get_option( self::SHARED_SECRET, '' );
	}

	/** An http(s) URL without trailing slash, or '' when the input is not one. */
	public static function sanitize_sidecar_url( $value ) {
		$url = esc_url_raw( trim( (string) $value ), array( 'http', 'https' ) );
		return $url ? untrailingslashit( $url ) : '';
	}

	/** The shared secret as the sidecar printed it: printable ASCII, no spaces. */
	public static function sanitize_shared_secret( $value ) {
		$secret = trim( (string) $value );
		return preg_match( '/^[\x21-\x7e]{16,200}$/', $secret ) ? $secret : '';
	}
}
