<?php
/**
 * What a consenting shopper's capture sends (Comeback_Cart_Capture decides when): the session's
 * cart read from WooCommerce and the contact details as typed, queued for the sidecar's signed
 * POST /api/carts and sent from Action Scheduler, never in the shopper's request. The latest
 * capture of a session waits in a transient until it is sent, so the queue carries only the
 * session key: no shopper's details sit in the scheduled-actions log, and several quick changes
 * are sent as one.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Cart_Queue {

	public const SEND_HOOK = 'comeback_send_cart';
	/** Transient holding a session's capture until it is sent (uninstall removes it by its prefix). */
	public const PENDING = 'comeback_cart_';
	/** An unchanged capture is not sent again within this many seconds. */
	private const RESEND_AFTER = 30;
	private const MAX_TRIES    = 5;

	public const SESSION_CONTACT = 'comeback_cart_contact';
	private const SESSION_SENT   = 'comeback_cart_sent';

	public static function register() {
		add_action( self::SEND_HOOK, array( __CLASS__, 'send' ), 10, 2 );
	}

	/**
	 * Queues the session's cart with these contact details. Nothing is queued for an empty cart,
	 * without an e-mail or phone, while the plugin is not connected, or for the same capture again
	 * within RESEND_AFTER seconds.
	 *
	 * @param array  $contact           email, phone, firstName, country as typed.
	 * @param string $source            classic or store-api.
	 * @param bool   $when_items_change Only when the items differ from the last capture sent.
	 * @return bool|WP_Error Whether a send was queued; a WP_Error (comeback_rate_limited, with
	 *                       retry_after seconds) when Comeback_Rate_Limit refused it.
	 */
	public static function add( array $contact, $source, $when_items_change = false ) {
		$key = self::session_key();
		if ( '' === $key || '' === Comeback_Options::sidecar_url() || '' === Comeback_Options::shared_secret() || ! WC()->cart ) {
			return false;
		}
		$contact  = self::clean_contact( $contact );
		$channels = self::channels( $contact );
		$items    = self::items();
		if ( ! $channels || ! $items ) {
			return false;
		}
		WC()->session->set( self::SESSION_CONTACT, $contact + array( 'source' => $source ) );
		$payload = array(
			'sessionKey' => $key,
			'email'      => $contact['email'],
			'phone'      => $contact['phone'],
			'firstName'  => $contact['firstName'],
			'country'    => $contact['country'],
			'locale'     => determine_locale(),
			'consent'    => array(
				'granted'  => true,
				'text'     => Comeback_Options::cart_consent_text(),
				'channels' => $channels,
			),
			'items'      => $items,
			// The subtotal the shopper saw: the items before coupons, shipping and fees.
			'total'      => self::decimal( array_sum( array_column( $items, 'total' ) ) ),
			'currency'   => get_woocommerce_currency(),
			'source'     => $source,
		);
		$hash       = hash( 'sha256', wp_json_encode( $payload ) );
		$items_hash = hash( 'sha256', wp_json_encode( $items ) );
		$sent       = (array) WC()->session->get( self::SESSION_SENT, array() );
		$unchanged  = $when_items_change ? ( $sent['items'] ?? '' ) === $items_hash : ( $sent['hash'] ?? '' ) === $hash && time() - (int) ( $sent['at'] ?? 0 ) < self::RESEND_AFTER;
		if ( $unchanged ) {
			return false;
		}
		$wait = Comeback_Rate_Limit::cart_capture( $key, array( $contact['email'], $contact['phone'] ) );
		if ( $wait > 0 ) {
			return new WP_Error( 'comeback_rate_limited', __( 'Too many attempts. Please try again later.', 'comeback' ), array( 'retry_after' => $wait ) );
		}
		WC()->session->set( self::SESSION_SENT, array( 'hash' => $hash, 'items' => $items_hash, 'at' => time() ) );
		$payload['capturedAt'] = gmdate( 'Y-m-d\TH:i:s\Z' );
		set_transient( self::PENDING . $key, $payload, DAY_IN_SECONDS );
		self::queue( array( $key ) );
		return true;
	}

	/** The order was placed: a capture still waiting is dropped, and the session's next cart starts afresh. */
	public static function forget() {
		$key = self::session_key();
		if ( '' !== $key ) {
			delete_transient( self::PENDING . $key );
		}
		if ( WC()->session ) {
			WC()->session->set( self::SESSION_CONTACT, null );
			WC()->session->set( self::SESSION_SENT, null );
		}
	}

	/**
	 * The queued job: the session's latest capture to the sidecar; tried again later (up to five
	 * times) when the sidecar cannot be reached.
	 *
	 * @return array|WP_Error|null The sidecar's answer; null when nothing was waiting.
	 */
	public static function send( $session_key, $attempt = 1 ) {
		$stored = get_transient( self::PENDING . $session_key );
		if ( ! is_array( $stored ) ) {
			return null; // sent by an earlier job, or the order was placed meanwhile
		}
		$payload = $stored;
		foreach ( $payload['items'] as $i => $item ) {
			$payload['items'][ $i ]['variation'] = (object) $item['variation']; // a JSON object, also when empty
		}
		$answer = Comeback_Sidecar_Client::configured()->request( 'POST', '/api/carts', $payload );
		if ( is_wp_error( $answer ) || $answer['status'] >= 500 ) {
			if ( $attempt < self::MAX_TRIES ) {
				Comeback_Options::schedule( self::SEND_HOOK, time() + $attempt * 5 * MINUTE_IN_SECONDS, array( $session_key, $attempt + 1 ) );
			}
			return $answer;
		}
		// Sent, or refused for good (a 4xx does not improve by resending). A capture made while
		// this one was on its way gets its own turn.
		if ( get_transient( self::PENDING . $session_key ) === $stored ) {
			delete_transient( self::PENDING . $session_key );
		} else {
			Comeback_Options::schedule( self::SEND_HOOK, time(), array( $session_key ) );
		}
		return $answer;
	}

	/** The cart as WooCommerce holds it, with prices as the cart shows them (with or without tax). */
	private static function items() {
		$with_tax = WC()->cart->display_prices_including_tax();
		$items    = array();
		foreach ( WC()->cart->get_cart() as $item ) {
			$product = $item['data'] ?? null;
			if ( ! $product instanceof WC_Product ) {
				continue;
			}
			$quantity = (float) $item['quantity'];
			$line     = (float) ( $item['line_subtotal'] ?? 0 ) + ( $with_tax ? (float) ( $item['line_subtotal_tax'] ?? 0 ) : 0 );
			$image    = $product->get_image_id() ? wp_get_attachment_image_url( $product->get_image_id(), 'woocommerce_thumbnail' ) : false;
			$sku      = (string) $product->get_sku();
			$items[]  = array(
				'productId'   => (int) $item['product_id'],
				'variationId' => (int) ( $item['variation_id'] ?? 0 ),
				'quantity'    => floor( $quantity ) === $quantity ? (int) $quantity : $quantity,
				'name'        => mb_substr( wp_strip_all_tags( $product->get_name() ), 0, 500 ),
				'sku'         => '' === $sku ? null : mb_substr( $sku, 0, 100 ),
				'price'       => self::decimal( $with_tax ? wc_get_price_including_tax( $product ) : wc_get_price_excluding_tax( $product ) ),
				'total'       => self::decimal( $line ),
				'stock'       => $product->managing_stock() && null !== $product->get_stock_quantity() ? (int) $product->get_stock_quantity() : null,
				'image'       => $image ? $image : null,
				'variation'   => array_map( 'strval', (array) ( $item['variation'] ?? array() ) ),
			);
		}
		return $items;
	}

	/** Typed text made safe: a valid e-mail, a phone with at least six digits, a two-letter country; null when not given. */
	private static function clean_contact( array $contact ) {
		$email   = sanitize_email( (string) ( $contact['email'] ?? '' ) );
		$phone   = trim( preg_replace( '/[^\d+\-\s().]/', '', sanitize_text_field( (string) ( $contact['phone'] ?? '' ) ) ) );
		$name    = mb_substr( sanitize_text_field( (string) ( $contact['firstName'] ?? '' ) ), 0, 128 );
		$country = strtoupper( sanitize_text_field( (string) ( $contact['country'] ?? '' ) ) );
		return array(
			'email'     => is_email( $email ) ? $email : null,
			'phone'     => preg_match_all( '/\d/', $phone ) >= 6 ? substr( $phone, 0, 32 ) : null,
			'firstName' => '' === $name ? null : $name,
			'country'   => preg_match( '/^[A-Z]{2}$/', $country ) ? $country : null,
		);
	}

	/** The channels the ticked box covers, for the addresses given. */
	private static function channels( array $contact ) {
		$channels = array();
		if ( null !== $contact['email'] ) {
			$channels[] = 'email';
		}
		if ( null !== $contact['phone'] ) {
			array_push( $channels, 'sms', 'whatsapp' );
		}
		/**
		 * Filters the channels the checkbox consent covers, e.g. without "whatsapp" when the
		 * merchant's wording names only e-mail and text messages.
		 *
		 * @param string[] $channels Some of email, sms, whatsapp.
		 * @param array    $contact  email, phone, firstName, country (null when not given).
		 */
		$channels = (array) apply_filters( 'comeback_cart_consent_channels', $channels, $contact );
		return array_values( array_intersect( array( 'email', 'sms', 'whatsapp' ), $channels ) );
	}

	/** sha256 of WooCommerce's session customer id and the site: stable for the shopper's session, naming no one. */
	private static function session_key() {
		$session = WC()->session;
		if ( ! $session || ! method_exists( $session, 'get_customer_id' ) || ( method_exists( $session, 'has_session' ) && ! $session->has_session() ) ) {
			return '';
		}
		$id = (string) $session->get_customer_id();
		return '' === $id ? '' : hash( 'sha256', $id . '|' . home_url() );
	}

	/** One waiting send per session: later captures replace the transient it will read. */
	private static function queue( array $args ) {
		$waiting = function_exists( 'as_has_scheduled_action' ) ? as_has_scheduled_action( self::SEND_HOOK, $args, Comeback_Options::ACTION_GROUP ) : wp_next_scheduled( self::SEND_HOOK, $args );
		if ( ! $waiting ) {
			Comeback_Options::schedule( self::SEND_HOOK, time(), $args );
		}
	}

	/** WooCommerce's decimal string at the shop's price decimals, e.g. "12.50". */
	private static function decimal( $amount ) {
		return wc_format_decimal( $amount, wc_get_price_decimals() );
	}
}
