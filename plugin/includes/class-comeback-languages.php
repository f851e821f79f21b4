<?php
/**
 * The language an order was placed in, for the sidecar to write to its customer in it.
 *
 * At checkout (classic: woocommerce_checkout_order_processed, fired by WC_Checkout::process_checkout()
 * in includes/class-wc-checkout.php; block: woocommerce_store_api_checkout_order_processed, fired by
 * the Store API's src/StoreApi/Routes/V1/Checkout.php) the language the shopper was browsing in is
 * kept on the order as a WordPress locale, in protected meta, with what said so:
 *
 * - WPML: apply_filters( 'wpml_current_language', null ), a WPML language code, made a locale by the
 *   `default_locale` of apply_filters( 'wpml_active_languages', null, … ) (both WPML's documented
 *   hooks, wpml.org/wpml-hook/wpml_current_language and wpml_active_languages);
 * - Polylang: pll_current_language( 'locale' ) (polylang/polylang src/api.php pll_current_language(),
 *   the current PLL_Language's `locale` property);
 * - TranslatePress: the global $TRP_LANGUAGE, already a locale (TranslatePress saves the same value
 *   as the order's `trp_language` meta: includes/class-woocommerce-emails.php
 *   TRP_Woocommerce_Emails::save_language_on_checkout());
 * - else WordPress's determine_locale().
 *
 * WooCommerce builds a webhook's order payload through its REST controller (WC_Webhook::build_payload()
 * → get_wp_api_payload() → RestApiUtil::get_endpoint_data( "/wc/v3/orders/<id>" ), includes/class-wc-webhook.php),
 * so the one filter woocommerce_rest_prepare_shop_order_object (WC_REST_Orders_V2_Controller::
 * prepare_object_for_response()) adds `comeback_language` and `customer_locale` to webhooks, REST reads
 * and the sidecar's sweep alike. An order placed before the plugin kept its language is answered from
 * the multilingual plugin's own record: WPML's `wpml_language` order meta (WooCommerce Multilingual,
 * WCML_Orders::KEY_LANGUAGE, set_order_language()), TranslatePress's `trp_language`, Polylang's
 * pll_get_post_language() (Polylang for WooCommerce, a premium plugin whose source we could not read,
 * makes orders translatable posts; with HPOS its storage is unconfirmed, so only orders it answers for).
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Languages {

	/** The order's language, a WordPress locale (protected meta: not shown on the order screen). */
	public const ORDER_LOCALE = '_comeback_locale';
	/** What said so: wpml, polylang, translatepress or wordpress. */
	public const ORDER_LOCALE_SOURCE = '_comeback_locale_source';
	/** WooCommerce Multilingual's order meta: the WPML language code of the order (WCML_Orders::KEY_LANGUAGE). */
	public const WPML_ORDER_META = 'wpml_language';
	/** TranslatePress's order meta: the order's locale. */
	public const TRANSLATEPRESS_ORDER_META = 'trp_language';

	public static function register() {
		add_action( 'woocommerce_checkout_order_processed', array( __CLASS__, 'classic_order_processed' ), 10, 3 );
		add_action( 'woocommerce_store_api_checkout_order_processed', array( __CLASS__, 'record' ) );
		add_filter( 'woocommerce_rest_prepare_shop_order_object', array( __CLASS__, 'rest_order_fields' ), 10, 2 );
	}

	/**
	 * woocommerce_checkout_order_processed( $order_id, $posted_data, $order ).
	 *
	 * @param int      $order_id    The order's id.
	 * @param array    $posted_data The checkout's fields.
	 * @param WC_Order $order       The order.
	 */
	public static function classic_order_processed( $order_id, $posted_data = array(), $order = null ) {
		unset( $posted_data );
		self::record( $order instanceof WC_Order ? $order : wc_get_order( $order_id ) );
	}

	/**
	 * Keeps the language the order is being placed in. A payment tried again processes the same
	 * order again, perhaps after the shopper switched language: the first one stays.
	 *
	 * @param WC_Order $order The order.
	 */
	public static function record( $order ) {
		if ( ! $order instanceof WC_Order || $order->meta_exists( self::ORDER_LOCALE ) ) {
			return;
		}
		$current = self::current_language();
		$order->update_meta_data( self::ORDER_LOCALE, $current['locale'] );
		$order->update_meta_data( self::ORDER_LOCALE_SOURCE, $current['source'] );
		$order->save();
	}

	/**
	 * The language of this request, as the multilingual plugin running the shop says, else WordPress.
	 *
	 * @return array{locale: string, source: string}
	 */
	public static function current_language() {
		$wpml = apply_filters( 'wpml_current_language', null ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedHooknameFound -- WPML's own hook, read as WPML documents it.
		if ( is_string( $wpml ) && '' !== $wpml ) {
			$locale = self::wpml_locale( $wpml );
			if ( $locale ) {
				return array( 'locale' => $locale, 'source' => 'wpml' );
			}
		}
		if ( function_exists( 'pll_current_language' ) ) {
			$locale = pll_current_language( 'locale' );
			if ( self::is_locale( $locale ) ) {
				return array( 'locale' => $locale, 'source' => 'polylang' );
			}
		}
		$translatepress = $GLOBALS['TRP_LANGUAGE'] ?? null; // phpcs:ignore WordPress.NamingConventions.ValidVariableName -- TranslatePress's own global.
		if ( self::is_locale( $translatepress ) ) {
			return array( 'locale' => $translatepress, 'source' => 'translatepress' );
		}
		return array( 'locale' => determine_locale(), 'source' => 'wordpress' );
	}

	/**
	 * The order's language for the sidecar: what checkout kept, else what the multilingual plugin
	 * recorded for an order placed before; null when only WordPress's own site language is known
	 * (then the customer's own locale, when they set one, is the better guess).
	 *
	 * @param WC_Order $order The order.
	 * @return string|null A WordPress locale.
	 */
	public static function order_locale( $order ) {
		$kept = (string) $order->get_meta( self::ORDER_LOCALE );
		if ( self::is_locale( $kept ) ) {
			$switched = 'wordpress' !== $order->get_meta( self::ORDER_LOCALE_SOURCE ) || self::site_locale() !== $kept;
			return $switched ? $kept : null;
		}
		$wpml = (string) $order->get_meta( self::WPML_ORDER_META );
		if ( '' !== $wpml ) {
			return self::wpml_locale( $wpml );
		}
		$translatepress = (string) $order->get_meta( self::TRANSLATEPRESS_ORDER_META );
		if ( self::is_locale( $translatepress ) ) {
			return $translatepress;
		}
		if ( function_exists( 'pll_get_post_language' ) && $order->get_id() ) {
			$polylang = pll_get_post_language( $order->get_id(), 'locale' );
			if ( self::is_locale( $polylang ) ) {
				return $polylang;
			}
		}
		return null;
	}

	/**
	 * The customer's own WordPress language: only when they chose one in their profile (the `locale`
	 * user meta; get_user_locale() would answer the site's otherwise).
	 *
	 * @param int $user_id The customer's user id (0 for a guest).
	 * @return string|null
	 */
	public static function customer_locale( $user_id ) {
		if ( ! $user_id || '' === (string) get_user_meta( $user_id, 'locale', true ) ) {
			return null;
		}
		$locale = get_user_locale( $user_id );
		return self::is_locale( $locale ) ? $locale : null;
	}

	/**
	 * woocommerce_rest_prepare_shop_order_object: the order's language and the customer's locale
	 * beside WooCommerce's own fields, in REST answers and webhook payloads alike.
	 *
	 * @param WP_REST_Response $response The order as the REST API answers it.
	 * @param WC_Order         $order    The order.
	 * @return WP_REST_Response
	 */
	public static function rest_order_fields( $response, $order ) {
		if ( ! $response instanceof WP_REST_Response || ! $order instanceof WC_Order ) {
			return $response;
		}
		$data                      = $response->get_data();
		$locale                    = self::order_locale( $order );
		$data['comeback_language'] = $locale ? array( 'locale' => $locale, 'source' => 'order' ) : null;
		$data['customer_locale']   = self::customer_locale( (int) $order->get_customer_id() );
		$response->set_data( $data );
		return $response;
	}

	/**
	 * The shop's languages as WordPress locales, for the sidecar to make a language code ("pl") the
	 * shop's locale of it: the multilingual plugin's languages, else the installed ones and the site's.
	 *
	 * @return string[]
	 */
	public static function shop_languages() {
		$languages = array();
		$wpml      = apply_filters( 'wpml_active_languages', null, array( 'skip_missing' => 0 ) ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedHooknameFound -- WPML's own hook.
		if ( is_array( $wpml ) && $wpml ) {
			$languages = wp_list_pluck( array_filter( $wpml, 'is_array' ), 'default_locale' );
		} elseif ( function_exists( 'pll_languages_list' ) && pll_languages_list( array( 'fields' => 'locale' ) ) ) {
			$languages = pll_languages_list( array( 'fields' => 'locale' ) );
		} else {
			$translatepress = get_option( 'trp_settings' );
			if ( is_array( $translatepress ) && ! empty( $translatepress['translation-languages'] ) && is_array( $translatepress['translation-languages'] ) ) {
				// TranslatePress keeps its default language first in the list (TRP_Settings::sanitize_settings()).
				$languages = $translatepress['translation-languages'];
			} else {
				$languages = array_merge( array( get_locale() ), get_available_languages() );
			}
		}
		return array_values( array_unique( array_filter( array_map( 'strval', $languages ), array( __CLASS__, 'is_locale' ) ) ) );
	}

	/**
	 * A WPML language code as the locale WPML gives it (its active languages' default_locale).
	 *
	 * @param string $code A WPML language code ("pl", "pt-br").
	 * @return string|null
	 */
	private static function wpml_locale( $code ) {
		$languages = apply_filters( 'wpml_active_languages', null, array( 'skip_missing' => 0 ) ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedHooknameFound -- WPML's own hook.
		$locale    = is_array( $languages ) ? ( $languages[ $code ]['default_locale'] ?? null ) : null;
		return self::is_locale( $locale ) ? $locale : null;
	}

	/** WordPress's own site language, before any plugin switched it for a visitor. */
	private static function site_locale() {
		$site = (string) get_option( 'WPLANG' );
		return '' === $site ? 'en_US' : $site;
	}

	/**
	 * Whether a value is a WordPress locale (pl_PL, de_DE_formal, ja).
	 *
	 * @param mixed $value The value.
	 */
	public static function is_locale( $value ) {
		return is_string( $value ) && 1 === preg_match( '/^[a-z]{2,3}(_[A-Z]{2})?(_[a-z0-9]+)?$/', $value );
	}
}
