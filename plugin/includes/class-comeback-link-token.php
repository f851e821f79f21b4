<?php
/**
 * Signed, expiring link tokens: the same bytes as the sidecar (sidecar/src/links/link-token.ts),
 * checked against the shared vectors in shortcodes/vectors/tokens.json.
 *
 *   token   = base64url(payload) "." base64url(HMAC-SHA256(secret, "comeback-link." base64url(payload)))
 *   payload = "v1:" kind ":" ref ":" expires (unix seconds)
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Link_Token {

	private const KINDS = array( 'pay', 'unsubscribe', 'cart', 'connect' );
	private const REF   = '/^[A-Za-z0-9_-]{16,64}$/';

	/**
	 * @param array  $claims kind, ref, expiresAt.
	 * @param string $secret Shared secret (UTF-8).
	 * @return string
	 */
	public static function sign( array $claims, $secret ) {
		if ( ! in_array( $claims['kind'] ?? '', self::KINDS, true ) ) {
			throw new InvalidArgumentException( 'unknown link kind' );
		}
		if ( ! preg_match( self::REF, (string) ( $claims['ref'] ?? '' ) ) ) {
			throw new InvalidArgumentException( 'link ref must be 16-64 base64url characters' );
		}
		$expires = $claims['expiresAt'] ?? 0;
		if ( ! is_int( $expires ) || $expires <= 0 ) {
			throw new InvalidArgumentException( 'expiresAt must be unix seconds' );
		}
		$payload = self::base64url( 'v1:' . $claims['kind'] . ':' . $claims['ref'] . ':' . $expires );
		return $payload . '.' . self::mac( $payload, $secret );
	}

	/**
	 * Shape first, then the signature (constant time), then expiry.
	 *
	 * @return array ok true with kind, ref, expiresAt; or ok false with reason malformed, bad_signature or expired.
	 */
	public static function verify( $token, $secret, $now ) {
		$parts = explode( '.', (string) $token );
		if ( 2 !== count( $parts ) || ! preg_match( '/^[A-Za-z0-9_-]+$/', $parts[0] ) || ! preg_match( '/^[A-Za-z0-9_-]{43}$/', $parts[1] ) ) {
			return array( 'ok' => false, 'reason' => 'malformed' );
		}
		list( $payload, $signature ) = $parts;
		if ( ! hash_equals( self::mac( $payload, $secret ), $signature ) ) {
			return array( 'ok' => false, 'reason' => 'bad_signature' );
		}
		$decoded = self::unbase64url( $payload );
		$fields  = false === $decoded ? array() : explode( ':', $decoded );
		if ( 4 !== count( $fields ) || 'v1' !== $fields[0] || ! in_array( $fields[1], self::KINDS, true ) || ! preg_match( self::REF, $fields[2] ) || ! preg_match( '/^\d+$/', $fields[3] ) ) {
			return array( 'ok' => false, 'reason' => 'malformed' );
		}
		$expires_at = (int) $fields[3];
		if ( $now >= $expires_at ) {
			return array( 'ok' => false, 'reason' => 'expired' );
		}
		return array(
			'ok'        => true,
			'kind'      => $fields[1],
			'ref'       => $fields[2],
			'expiresAt' => $expires_at,
		);
	}

	private static function mac( $payload, $secret ) {
		return self::base64url( hash_hmac( 'sha256', 'comeback-link.' . $payload, $secret, true ) );
	}

	private static function base64url( $bytes ) {
		return rtrim( strtr( base64_encode( $bytes ), '+/', '-_' ), '=' );
	}

	private static function unbase64url( $text ) {
		return base64_decode( strtr( $text, '-_', '+/' ), true );
	}
}
