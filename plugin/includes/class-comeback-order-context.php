<?php
/**
 * The render context of the shortcodes, in the shape of the sidecar's RenderContext
 * (sidecar/src/messages/render-context.ts), built from a WooCommerce order and the shop profile.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Order_Context {

	/** @var array|null The shop part, built once per request. */
	private static $shop = null;

	/** The shop alone: what shop-level shortcodes need, on pages that show no order. */
	public static function for_shop() {
		if ( null === self::$shop ) {
			$company    = Comeback_Shop_Profile::company();
			$formats    = Comeback_Shop_Profile::formats();
			self::$shop = array(
				'shop'     => array(
					'name'         => Comeback_Shop_Profile::name(),
					'url'          => home_url( '/' ),
					'company'      => array_intersect_key( $company, array_flip( array( 'name', 'address', 'taxId' ) ) ),
					'bankAccounts' => $company['bankAccounts'],
				),
				'links'    => array(),
				'formats'  => $formats,
				'timeZone' => $formats['timeZone'],
			);
		}
		return self::$shop;
	}

	/** Forgets the shop part (settings changed within the request; tests). */
	public static function reset() {
		self::$shop = null;
	}

	/**
	 * One order: its number, date, amounts, items and customer, and WooCommerce's own
	 * pay-for-order link while the order still needs paying.
	 */
	public static function for_order( WC_Order $order ) {
		$context  = self::for_shop();
		$created  = $order->get_date_created();
		$currency = (string) $order->get_currency();
		$items    = array();
		foreach ( $order->get_items() as $item ) {
			$items[] = array(
				'name'     => (string) $item->get_name(),
				'quantity' => (int) $item->get_quantity(),
				'total'    => (string) $item->get_total(),
			);
		}
		$context['order']    = array(
			'number'             => (string) $order->get_order_number(),
			'dateCreated'        => $created ? $created->format( DATE_ATOM ) : gmdate( DATE_ATOM ),
			'total'              => (string) $order->get_total(),
			'currency'           => $currency,
			'currencySymbol'     => html_entity_decode( get_woocommerce_currency_symbol( $currency ), ENT_QUOTES, 'UTF-8' ),
			'paymentMethodTitle' => (string) $order->get_payment_method_title(),
			'items'              => $items,
		);
		$context['customer'] = array(
			'firstName' => (string) $order->get_billing_first_name(),
			'lastName'  => (string) $order->get_billing_last_name(),
			'email'     => (string) $order->get_billing_email(),
		);
		$instructions        = Comeback_Shop_Profile::instructions( (string) $order->get_payment_method() );
		if ( '' !== $instructions ) {
			$context['order']['paymentInstructions'] = $instructions;
		}
		$tracking = self::tracking( $order );
		if ( $tracking ) {
			$context['order']['tracking'] = $tracking;
		}
		if ( $order->needs_payment() ) {
			$context['links']['payment'] = $order->get_checkout_payment_url();
		}
		return $context;
	}

	/**
	 * The order's parcel tracking, read as the sidecar reads it from the REST order's meta_data
	 * (trackingFromOrderMeta() in sidecar/src/messages/tracking.ts; shortcodes/vectors/tracking.json
	 * holds both to it). The first source with a tracking number wins: Comeback's own
	 * _comeback_tracking_number / _comeback_tracking_url; then the WooCommerce Shipment Tracking
	 * extension's _wc_shipment_tracking_items, the last item with a number (the extension stores a
	 * link only for custom carriers); then _tracking_number / _tracking_url, which several shipping
	 * plugins write. Addresses other than http(s) are left out.
	 *
	 * @param WC_Order $order The order.
	 * @return array|null 'number', and 'url' and 'carrier' when known; null without a tracking number.
	 */
	public static function tracking( WC_Order $order ) {
		$own = self::tracking_pair( $order, '_comeback_tracking_number', '_comeback_tracking_url' );
		if ( $own ) {
			return $own;
		}
		$items = $order->get_meta( '_wc_shipment_tracking_items' );
		foreach ( is_array( $items ) ? array_reverse( array_values( $items ) ) : array() as $item ) {
			$number = is_array( $item ) ? self::meta_text( $item['tracking_number'] ?? '' ) : '';
			if ( '' === $number ) {
				continue;
			}
			$carrier = self::meta_text( $item['custom_tracking_provider'] ?? '' );
			return self::tracking_of( $number, self::meta_url( $item['custom_tracking_link'] ?? '' ), '' !== $carrier ? $carrier : self::meta_text( $item['tracking_provider'] ?? '' ) );
		}
		return self::tracking_pair( $order, '_tracking_number', '_tracking_url' );
	}

	private static function tracking_pair( WC_Order $order, $number_key, $url_key ) {
		$number = self::meta_text( $order->get_meta( $number_key ) );
		return '' === $number ? null : self::tracking_of( $number, self::meta_url( $order->get_meta( $url_key ) ), '' );
	}

	private static function tracking_of( $number, $url, $carrier ) {
		$tracking = array( 'number' => $number );
		if ( '' !== $url ) {
			$tracking['url'] = $url;
		}
		if ( '' !== $carrier ) {
			$tracking['carrier'] = $carrier;
		}
		return $tracking;
	}

	/** A string (trimmed) or an integer as text; anything else counts as empty, as in the sidecar. */
	private static function meta_text( $value ) {
		if ( is_string( $value ) ) {
			return trim( $value );
		}
		return is_int( $value ) ? (string) $value : '';
	}

	private static function meta_url( $value ) {
		$text = self::meta_text( $value );
		return preg_match( '#^https?://#i', $text ) ? $text : '';
	}
}
