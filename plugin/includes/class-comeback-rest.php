<?php
/**
 * /wp-json/comeback/v1/…: what the sidecar asks the shop, signed by the sidecar with the shared
 * secret for this direction, method and route (Comeback_Sidecar_Client::sign(), five-minute
 * window, constant-time compare). No WordPress user is involved:
 * the signature is the permission.
 *
 * GET shop-profile: what the sidecar's messages show about the shop, so they match the shop's own
 * pages — its name (the site title), the company and BACS accounts (WooCommerce's REST API does not expose the accounts) and
 * how the shop writes prices and dates. See Comeback_Shop_Profile.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Rest {

	public const NAMESPACE_V1 = 'comeback/v1';
	private const WINDOW      = 300;

	public static function register() {
		add_action( 'rest_api_init', array( __CLASS__, 'routes' ) );
	}

	public static function routes() {
		register_rest_route(
			self::NAMESPACE_V1,
			'/shop-profile',
			array(
				'methods'             => 'GET',
				'callback'            => array( __CLASS__, 'shop_profile' ),
				'permission_callback' => array( __CLASS__, 'signed_by_sidecar' ),
			)
		);
	}

	/** @return true|WP_Error */
	public static function signed_by_sidecar( WP_REST_Request $request ) {
		$secret    = Comeback_Options::shared_secret();
		$signature = (string) $request->get_header( 'x_comeback_signature' );
		if ( '' === $secret ) {
			return new WP_Error( 'comeback_not_connected', __( 'Comeback is not connected to a sidecar.', 'comeback' ), array( 'status' => 401 ) );
		}
		if ( ! preg_match( '/^t=(\d+),v1=([0-9a-f]{64})$/', str_replace( ' ', '', $signature ), $m ) || abs( time() - (int) $m[1] ) > self::WINDOW ) {
			return new WP_Error( 'comeback_bad_signature', __( 'Signature missing, malformed or outside its five-minute window.', 'comeback' ), array( 'status' => 401 ) );
		}
		// The sidecar signs with the shared secret; after a confirm whose answer never came back, with the pending one.
		$given = 't=' . $m[1] . ',v1=' . $m[2];
		$match = false;
		foreach ( array_filter( array( $secret, Comeback_Options::pending_secret() ), 'strlen' ) as $candidate ) {
			$match = $match || hash_equals( Comeback_Sidecar_Client::sign( $candidate, 'sidecar-to-plugin', $request->get_method(), $request->get_route(), (string) $request->get_body(), (int) $m[1] ), $given );
		}
		if ( ! $match ) {
			return new WP_Error( 'comeback_bad_signature', __( 'Signature does not match.', 'comeback' ), array( 'status' => 401 ) );
		}
		return true;
	}

	/** The shop's name, company data, BACS accounts and formats: Comeback_Shop_Profile, which the shortcodes use too; its languages (Comeback_Languages). */
	public static function shop_profile() {
		return rest_ensure_response(
			array(
				'name'      => Comeback_Shop_Profile::name(),
				'company'   => Comeback_Shop_Profile::company(),
				'formats'   => Comeback_Shop_Profile::formats(),
				'email'     => (object) Comeback_Shop_Profile::email(),
				'gateways'  => Comeback_Shop_Profile::gateways(),
				'languages' => Comeback_Languages::shop_languages(),
			)
		);
	}
}
