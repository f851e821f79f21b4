<?php
/**
 * Cart restore links: /?comeback=<token> of kind "cart", answered through Comeback_Resume_Links
 * (which checks the token and queues the click report). The sidecar holds the cart behind the
 * link's reference (signed GET /api/carts/<ref>); the cart here is replaced by it item by item
 * through WooCommerce, so prices and stock are the shop's own today, the checkout is prefilled
 * with the shopper's details and they land on it. Nothing depends on the shopper's cookie: the
 * link works on any device. This is the one sidecar call a shopper waits for, so it is short.
 * The notices speak the language the sidecar answers with the cart (the message's, else the
 * cart's as captured), else the one the link carried.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Cart_Restore {

	private const TIMEOUT = 5;

	/**
	 * Rebuilds the cart the link names; wp_die()s with a readable page when the sidecar knows no
	 * such cart.
	 *
	 * @param string      $ref    The link's reference (checked by the token's signature).
	 * @param string|null $locale The language the link carried, if any.
	 * @return string Where the shopper goes next: the checkout, or the cart page with a notice.
	 */
	public static function answer( $ref, $locale = null ) {
		$answer = Comeback_Sidecar_Client::configured()->request( 'GET', '/api/carts/' . rawurlencode( $ref ), null, self::TIMEOUT );
		$said   = is_wp_error( $answer ) ? null : ( $answer['body']['locale'] ?? null );
		if ( is_string( $said ) && $said !== $locale ) {
			return Comeback_Resume_Links::in_locale(
				$said,
				function () use ( $answer ) {
					return self::restore( $answer );
				}
			);
		}
		return self::restore( $answer );
	}

	/**
	 * The cart of the sidecar's answer rebuilt, with notices of what could not be.
	 *
	 * @param array|WP_Error $answer The sidecar's answer to GET /api/carts/<ref>.
	 * @return string Where the shopper goes next.
	 */
	private static function restore( $answer ) {
		if ( ! is_wp_error( $answer ) && 404 === $answer['status'] ) {
			Comeback_Resume_Links::friendly_page( __( 'We could not find this cart', 'comeback' ), __( 'It may have been emptied in the meantime. You are welcome to have a look around the shop.', 'comeback' ), 404 );
		}
		if ( null === WC()->cart && function_exists( 'wc_load_cart' ) ) {
			wc_load_cart();
		}
		if ( is_wp_error( $answer ) || 200 !== $answer['status'] || ! is_array( $answer['body']['items'] ?? null ) ) {
			wc_add_notice( __( 'Your saved cart could not be loaded just now. Please open the link again in a few minutes.', 'comeback' ), 'error' );
			return wc_get_cart_url();
		}
		// A shopper on a new device has no session yet; the cart and details need one to stay.
		if ( WC()->session && ! WC()->session->has_session() ) {
			WC()->session->set_customer_session_cookie( true );
		}
		WC()->cart->empty_cart();
		$left_out = array();
		foreach ( $answer['body']['items'] as $item ) {
			$item = is_array( $item ) ? $item : array();
			if ( ! self::add( $item ) ) {
				$left_out[] = self::name( $item );
			}
		}
		self::prefill( $answer['body'] );
		if ( $left_out ) {
			wc_add_notice(
				sprintf(
					/* translators: %s: product names, separated by commas */
					_n( '%s is no longer available, so it is not in your cart.', 'These products are no longer available, so they are not in your cart: %s', count( $left_out ), 'comeback' ),
					esc_html( implode( ', ', $left_out ) )
				),
				'notice'
			);
		}
		return WC()->cart->is_empty() ? wc_get_cart_url() : wc_get_checkout_url();
	}

	/** One item through WooCommerce's own add_to_cart(), as much of it as may be bought today. */
	private static function add( array $item ) {
		$product_id   = absint( $item['productId'] ?? 0 );
		$variation_id = absint( $item['variationId'] ?? 0 );
		$product      = wc_get_product( $variation_id ? $variation_id : $product_id );
		if ( ! $product || ! $product->is_purchasable() || ! $product->is_in_stock() ) {
			return false;
		}
		$quantity = max( 1, absint( $item['quantity'] ?? 1 ) );
		$most     = (int) $product->get_max_purchase_quantity();
		if ( $most > 0 ) {
			$quantity = min( $quantity, $most );
		}
		$variation = array();
		foreach ( (array) ( $item['variation'] ?? array() ) as $attribute => $value ) {
			if ( 0 === strpos( (string) $attribute, 'attribute_' ) && is_scalar( $value ) ) {
				$variation[ sanitize_title( $attribute ) ] = sanitize_text_field( (string) $value );
			}
		}
		return false !== WC()->cart->add_to_cart( $product_id, $quantity, $variation_id, $variation );
	}

	private static function name( array $item ) {
		$product = wc_get_product( absint( $item['variationId'] ?? 0 ) ? absint( $item['variationId'] ) : absint( $item['productId'] ?? 0 ) );
		if ( $product ) {
			return wp_strip_all_tags( $product->get_name() );
		}
		/* translators: %d: product ID */
		return sprintf( __( 'product #%d', 'comeback' ), absint( $item['productId'] ?? 0 ) );
	}

	/**
	 * The checkout's contact fields, for a guest session that has none yet (a new device). A
	 * signed-in customer's own details are never replaced by a link's.
	 */
	private static function prefill( array $cart ) {
		$customer = WC()->customer;
		if ( ! $customer || is_user_logged_in() || '' !== (string) $customer->get_billing_email() ) {
			return;
		}
		$email   = sanitize_email( (string) ( $cart['email'] ?? '' ) );
		$country = strtoupper( sanitize_text_field( (string) ( $cart['country'] ?? '' ) ) );
		$fields  = array(
			'billing_email'      => is_email( $email ) ? $email : '',
			'billing_first_name' => sanitize_text_field( (string) ( $cart['firstName'] ?? '' ) ),
			'billing_phone'      => sanitize_text_field( (string) ( $cart['phone'] ?? '' ) ),
			'billing_country'    => preg_match( '/^[A-Z]{2}$/', $country ) ? $country : '',
		);
		foreach ( array_filter( $fields ) as $field => $value ) {
			$customer->{"set_$field"}( $value );
		}
		$customer->save();
	}
}
