<?php
/**
 * /wp-json/comeback/v1/…: what the sidecar asks the shop, signed by the sidecar with the shared
 * secret for this direction, method and route (Comeback_Sidecar_Client::sign(), five-minute
 * window, constant-time compare). No WordPress user is involved:
 * the signature is the permission.
 *
 * GET company: the store's name and address as WooCommerce → Settings → General has them, the tax
 * id if one is set, and the BACS accounts exactly as WooCommerce shows them on the thank-you page
 * (woocommerce_bacs_accounts; WooCommerce's REST API does not expose them), so [bank_details] in
 * a reminder always matches.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Rest {

	const NAMESPACE_V1 = 'comeback/v1';
	const WINDOW       = 300;

	public static function register() {
		add_action( 'rest_api_init', array( __CLASS__, 'routes' ) );
	}

	public static function routes() {
		register_rest_route(
			self::NAMESPACE_V1,
			'/company',
			array(
				'methods'             => 'GET',
				'callback'            => array( __CLASS__, 'company' ),
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
		$expected = Comeback_Sidecar_Client::sign( $secret, 'sidecar-to-plugin', $request->get_method(), $request->get_route(), (string) $request->get_body(), (int) $m[1] );
		if ( ! hash_equals( $expected, 't=' . $m[1] . ',v1=' . $m[2] ) ) {
			return new WP_Error( 'comeback_bad_signature', __( 'Signature does not match.', 'comeback' ), array( 'status' => 401 ) );
		}
		return true;
	}

	/** The country as WooCommerce names it, or its code when WooCommerce's list is not at hand. */
	private static function country_name( $code ) {
		if ( '' !== $code && function_exists( 'WC' ) && isset( WC()->countries ) ) {
			$countries = WC()->countries->get_countries();
			return $countries[ $code ] ?? $code;
		}
		return $code;
	}

	public static function company() {
		list( $country, $state ) = array_pad( explode( ':', (string) get_option( 'woocommerce_default_country', '' ) ), 2, '' );
		$city_line               = trim( get_option( 'woocommerce_store_postcode', '' ) . ' ' . get_option( 'woocommerce_store_city', '' ) );
		$address                 = array_values(
			array_filter(
				array(
					(string) get_option( 'woocommerce_store_address', '' ),
					(string) get_option( 'woocommerce_store_address_2', '' ),
					trim( $city_line . ( '' !== $state ? ', ' . $state : '' ), ', ' ),
					self::country_name( $country ),
				),
				'strlen'
			)
		);
		$accounts = array();
		foreach ( (array) get_option( 'woocommerce_bacs_accounts', array() ) as $account ) {
			$account    = (array) $account;
			$accounts[] = array_filter(
				array(
					'accountName'   => (string) ( $account['account_name'] ?? '' ),
					'bankName'      => (string) ( $account['bank_name'] ?? '' ),
					'accountNumber' => (string) ( $account['account_number'] ?? '' ),
					'iban'          => (string) ( $account['iban'] ?? '' ),
					'bic'           => (string) ( $account['bic'] ?? '' ),
					'sortCode'      => (string) ( $account['sort_code'] ?? '' ),
				),
				function ( $value, $key ) {
					return '' !== $value || in_array( $key, array( 'accountName', 'bankName', 'accountNumber' ), true );
				},
				ARRAY_FILTER_USE_BOTH
			);
		}
		$company = array(
			'name'         => wp_specialchars_decode( (string) get_option( 'blogname' ), ENT_QUOTES ),
			'address'      => $address,
			'bankAccounts' => $accounts,
		);
		/**
		 * The shop's tax id for [company_details] (WooCommerce has no core field for it).
		 *
		 * @param string $tax_id Empty by default.
		 */
		$tax_id = (string) apply_filters( 'comeback_company_tax_id', '' );
		if ( '' !== $tax_id ) {
			$company['taxId'] = $tax_id;
		}
		return rest_ensure_response( $company );
	}
}
