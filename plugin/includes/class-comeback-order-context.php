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
					'name'         => $company['name'],
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
		if ( $order->needs_payment() ) {
			$context['links']['payment'] = $order->get_checkout_payment_url();
		}
		return $context;
	}
}
