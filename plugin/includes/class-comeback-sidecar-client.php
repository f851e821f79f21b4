<?php
/**
 * Requests to the sidecar's admin API, signed as the sidecar expects (sidecar/src/http/admin-auth.ts):
 * X-Comeback-Shop names this shop, X-Comeback-Signature signs direction, method, path, time and
 * body (see sign()). Only admin actions call it synchronously (the merchant waits for the answer);
 * in a shopper's request only a cart restore link does, with a short timeout, since the cart
 * it rebuilds is what the shopper came for.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Sidecar_Client {

	/** @var string */
	private $base;
	/** @var string */
	private $secret;
	/** @var string */
	private $shop;

	public function __construct( $base, $secret, $shop ) {
		$this->base   = untrailingslashit( $base );
		$this->secret = $secret;
		$this->shop   = $shop;
	}

	/** The client for this shop's configured sidecar. */
	public static function configured() {
		return new self( Comeback_Options::sidecar_url(), Comeback_Options::shared_secret(), home_url() );
	}

	/**
	 * "t=<unix>,n=<nonce>,v1=<hex HMAC-SHA256(secret, "<direction>\n<METHOD>\n<path>\n<t>:<nonce>\n<body>")>",
	 * as the sidecar signs and checks (sidecar/src/http/admin-auth.ts): a signature is good only for
	 * its own direction, method and path, and the sidecar takes a signed write once (the random
	 * nonce keeps two identical requests in one second apart). Without a nonce, "t=<unix>,v1=…" over
	 * "<t>" alone: how the sidecar signs its calls to this plugin.
	 *
	 * @param string $direction plugin-to-sidecar or sidecar-to-plugin.
	 * @param string $nonce     16+ hex digits, or '' for none.
	 */
	public static function sign( $secret, $direction, $method, $path, $body, $t, $nonce = '' ) {
		$time    = '' === $nonce ? (string) $t : $t . ':' . $nonce;
		$message = implode( "\n", array( $direction, strtoupper( $method ), $path, $time, $body ) );
		$mac     = hash_hmac( 'sha256', $message, $secret );
		return '' === $nonce ? 't=' . $t . ',v1=' . $mac : 't=' . $t . ',n=' . $nonce . ',v1=' . $mac;
	}

	/**
	 * The Accept-Language the sidecar answers a merchant in (sidecar/src/http/request-language.ts):
	 * the WordPress user's locale as a BCP 47 tag, then its language alone ("pl_PL" → "pl-PL, pl;q=0.9";
	 * "de_DE_formal" → "de-DE, de;q=0.9"), so its refusals and alerts read as the rest of wp-admin.
	 *
	 * @param string $locale A WordPress locale, as get_user_locale() gives it.
	 * @return string
	 */
	public static function accept_language( $locale ) {
		$parts    = explode( '_', (string) $locale );
		$language = strtolower( $parts[0] );
		if ( ! preg_match( '/^[a-z]{2,3}$/', $language ) ) {
			return 'en-US';
		}
		$region = isset( $parts[1] ) && preg_match( '/^[A-Z]{2}$/', $parts[1] ) ? $parts[1] : '';
		return '' === $region ? $language : $language . '-' . $region . ', ' . $language . ';q=0.9';
	}

	/**
	 * @param string     $method  GET, PUT, POST.
	 * @param string     $path    e.g. /api/settings/recovery.
	 * @param array|null $body    Sent as JSON.
	 * @param int        $timeout Seconds.
	 * @return array { status: int, body: mixed } or a WP_Error when the sidecar cannot be reached.
	 */
	public function request( $method, $path, $body = null, $timeout = 10 ) {
		if ( '' === $this->base || '' === $this->secret ) {
			return new WP_Error( 'comeback_not_configured', __( 'Enter the sidecar URL and the shared secret first.', 'comeback' ) );
		}
		if ( ! Comeback_Options::sidecar_url_is_safe( $this->base ) ) {
			return new WP_Error( 'comeback_insecure_url', __( 'The sidecar URL must start with https:// (plain http:// only for a sidecar on this machine): nothing was sent.', 'comeback' ) );
		}
		$raw      = null === $body ? '' : wp_json_encode( $body );
		$response = wp_remote_request(
			$this->base . $path,
			array(
				'method'  => $method,
				'timeout' => $timeout,
				'headers' => array(
					'content-type'         => 'application/json',
					'x-comeback-shop'      => $this->shop,
					'accept-language'      => self::accept_language( get_user_locale() ),
					'x-comeback-signature' => self::sign( $this->secret, 'plugin-to-sidecar', $method, $path, $raw, time(), bin2hex( random_bytes( 8 ) ) ),
				),
				'body'    => '' === $raw ? null : $raw,
			)
		);
		if ( is_wp_error( $response ) ) {
			return $response;
		}
		return array(
			'status' => (int) wp_remote_retrieve_response_code( $response ),
			'body'   => json_decode( wp_remote_retrieve_body( $response ), true ),
		);
	}
}
