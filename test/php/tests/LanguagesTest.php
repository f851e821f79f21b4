<?php
require_once dirname( __DIR__ ) . '/multilingual-double.php';

/**
 * The language an order was placed in: kept on the order at the classic and the block checkout from
 * the multilingual plugin running the shop (WPML, Polylang, TranslatePress; else WordPress), and
 * reported beside WooCommerce's own fields in the REST answer and so in the webhook's payload
 * (WC_Webhook::build_payload() builds it through the REST controller), with the customer's own
 * WordPress locale; the shop's languages in its profile.
 */
class LanguagesTest extends PHPUnit\Framework\TestCase {

	private const SECRET = 'languages-test-secret-0123456789';

	/** WPML's languages as apply_filters( 'wpml_active_languages', null, … ) answers them: keyed by code, with default_locale. */
	private const WPML_LANGUAGES = array(
		'en' => array( 'code' => 'en', 'language_code' => 'en', 'default_locale' => 'en_US', 'active' => 0 ),
		'pl' => array( 'code' => 'pl', 'language_code' => 'pl', 'default_locale' => 'pl_PL', 'active' => 1 ),
	);

	public function setUp(): void {
		$GLOBALS['comeback_test_orders'] = array();
		unset( $GLOBALS['comeback_test_polylang'], $GLOBALS['TRP_LANGUAGE'] ); // phpcs:ignore WordPress.NamingConventions.ValidVariableName -- TranslatePress's own global.
		delete_option( 'trp_settings' );
		remove_all_filters( 'wpml_current_language' );
		remove_all_filters( 'wpml_active_languages' );
		remove_all_filters( 'determine_locale' );
	}

	public function tearDown(): void {
		$this->setUp();
	}

	/** WPML running the shop, the shopper browsing in `$code`. */
	private static function wpml( $code ) {
		add_filter(
			'wpml_current_language',
			function () use ( $code ) {
				return $code;
			}
		);
		add_filter(
			'wpml_active_languages',
			function () {
				return self::WPML_LANGUAGES;
			}
		);
	}

	private static function order( $id, array $data = array() ) {
		$order                                  = new WC_Order( array( 'id' => $id, 'billing' => array( 'email' => 'ola@example.test' ) ) + $data );
		$GLOBALS['comeback_test_orders'][ $id ] = $order;
		return $order;
	}

	/** The order.created webhook's payload for the order, as WooCommerce builds it. */
	private static function payload( $order_id ) {
		return ( new WC_Webhook( array( 'topic' => 'order.created', 'api_version' => 'wp_api_v3' ) ) )->build_payload( $order_id );
	}

	public function test_a_classic_checkout_on_a_wpml_shop_keeps_the_polish_the_shopper_browsed_in_and_the_webhook_carries_it() {
		self::wpml( 'pl' );
		$order = self::order( 701 );
		do_action( 'woocommerce_checkout_order_processed', 701, array(), $order );
		$this->assertSame( 'pl_PL', $order->get_meta( Comeback_Languages::ORDER_LOCALE ) );
		$this->assertSame( 'wpml', $order->get_meta( Comeback_Languages::ORDER_LOCALE_SOURCE ) );
		$this->assertSame( 1, $order->saves() );
		$payload = self::payload( 701 );
		$this->assertSame( array( 'locale' => 'pl_PL', 'source' => 'order' ), $payload['comeback_language'] );
		$this->assertNull( $payload['customer_locale'] );
		$this->assertSame( 701, $payload['id'] );
	}

	public function test_a_block_checkout_on_a_polylang_shop_keeps_polylangs_current_locale() {
		$GLOBALS['comeback_test_polylang'] = array( 'current' => array( 'slug' => 'de', 'locale' => 'de_DE' ) );
		$order                             = self::order( 702, array( 'created_via' => 'store-api' ) );
		do_action( 'woocommerce_store_api_checkout_order_processed', $order );
		$this->assertSame( array( 'de_DE', 'polylang' ), array( $order->get_meta( Comeback_Languages::ORDER_LOCALE ), $order->get_meta( Comeback_Languages::ORDER_LOCALE_SOURCE ) ) );
		$this->assertSame( array( 'locale' => 'de_DE', 'source' => 'order' ), self::payload( 702 )['comeback_language'] );
	}

	public function test_a_checkout_on_a_translatepress_shop_keeps_its_language() {
		$GLOBALS['TRP_LANGUAGE'] = 'fr_FR'; // phpcs:ignore WordPress.NamingConventions.ValidVariableName -- TranslatePress's own global.
		$order                   = self::order( 703 );
		do_action( 'woocommerce_checkout_order_processed', 703, array(), $order );
		$this->assertSame( array( 'fr_FR', 'translatepress' ), array( $order->get_meta( Comeback_Languages::ORDER_LOCALE ), $order->get_meta( Comeback_Languages::ORDER_LOCALE_SOURCE ) ) );
		$this->assertSame( array( 'locale' => 'fr_FR', 'source' => 'order' ), self::payload( 703 )['comeback_language'] );
	}

	public function test_without_a_multilingual_plugin_the_site_language_is_kept_but_only_a_switched_one_reported() {
		$order = self::order( 704 );
		do_action( 'woocommerce_checkout_order_processed', 704, array(), $order );
		$this->assertSame( array( 'en_US', 'wordpress' ), array( $order->get_meta( Comeback_Languages::ORDER_LOCALE ), $order->get_meta( Comeback_Languages::ORDER_LOCALE_SOURCE ) ) );
		// The site's own language says nothing about this customer: their own locale, or the shop's, decides.
		$this->assertNull( self::payload( 704 )['comeback_language'] );

		// A language switched for this visitor (determine_locale() filtered) is the order's.
		add_filter(
			'determine_locale',
			function () {
				return 'pl_PL';
			}
		);
		$switched = self::order( 705 );
		do_action( 'woocommerce_store_api_checkout_order_processed', $switched );
		$this->assertSame( array( 'locale' => 'pl_PL', 'source' => 'order' ), self::payload( 705 )['comeback_language'] );
	}

	public function test_a_payment_tried_again_in_another_language_keeps_the_first() {
		self::wpml( 'pl' );
		$order = self::order( 706 );
		do_action( 'woocommerce_checkout_order_processed', 706, array(), $order );
		remove_all_filters( 'wpml_current_language' );
		add_filter(
			'wpml_current_language',
			function () {
				return 'en';
			}
		);
		do_action( 'woocommerce_checkout_order_processed', 706, array(), $order );
		$this->assertSame( 'pl_PL', $order->get_meta( Comeback_Languages::ORDER_LOCALE ) );
		$this->assertSame( 1, $order->saves() );
	}

	public function test_an_order_placed_before_is_answered_from_the_multilingual_plugins_own_record() {
		self::wpml( 'en' );
		self::order( 707, array( 'meta' => array( 'wpml_language' => 'pl' ) ) );
		$this->assertSame( array( 'locale' => 'pl_PL', 'source' => 'order' ), self::payload( 707 )['comeback_language'] );
		// WPML's code is kept in meta_data too, as WooCommerce lists the order's meta.
		$this->assertSame( array( array( 'id' => 1, 'key' => 'wpml_language', 'value' => 'pl' ) ), self::payload( 707 )['meta_data'] );

		self::order( 708, array( 'meta' => array( 'trp_language' => 'it_IT' ) ) );
		$this->assertSame( array( 'locale' => 'it_IT', 'source' => 'order' ), self::payload( 708 )['comeback_language'] );

		$GLOBALS['comeback_test_polylang'] = array( 'posts' => array( 709 => array( 'slug' => 'cs', 'locale' => 'cs_CZ' ) ) );
		self::order( 709 );
		$this->assertSame( array( 'locale' => 'cs_CZ', 'source' => 'order' ), self::payload( 709 )['comeback_language'] );

		self::order( 710 );
		$this->assertNull( self::payload( 710 )['comeback_language'] );
	}

	public function test_reports_a_registered_customers_own_locale_only_when_they_chose_one() {
		$german = wp_insert_user( array( 'user_login' => 'hans-' . wp_rand(), 'user_pass' => wp_generate_password(), 'user_email' => 'hans-' . wp_rand() . '@example.test', 'locale' => 'de_DE' ) );
		$plain  = wp_insert_user( array( 'user_login' => 'ola-' . wp_rand(), 'user_pass' => wp_generate_password(), 'user_email' => 'ola-' . wp_rand() . '@example.test' ) );
		self::order( 711, array( 'customer_id' => $german ) );
		self::order( 712, array( 'customer_id' => $plain ) );
		$this->assertSame( 'de_DE', self::payload( 711 )['customer_locale'] );
		$this->assertNull( self::payload( 711 )['comeback_language'] );
		$this->assertNull( self::payload( 712 )['customer_locale'] );
		require_once ABSPATH . 'wp-admin/includes/user.php';
		wp_delete_user( $german );
		wp_delete_user( $plain );
	}

	public function test_the_shop_profile_lists_the_shops_languages_from_the_multilingual_plugin() {
		update_option( Comeback_Options::SHARED_SECRET, self::SECRET );
		do_action( 'rest_api_init', rest_get_server() );
		$profile = function () {
			$request = new WP_REST_Request( 'GET', '/comeback/v1/shop-profile' );
			$request->set_header( 'X-Comeback-Signature', Comeback_Sidecar_Client::sign( self::SECRET, 'sidecar-to-plugin', 'GET', '/comeback/v1/shop-profile', '', time() ) );
			return rest_do_request( $request )->get_data()['languages'];
		};
		// WordPress alone: the site's language and the installed ones.
		$this->assertSame( array_values( array_unique( array_merge( array( get_locale() ), get_available_languages() ) ) ), $profile() );

		update_option( 'trp_settings', array( 'default-language' => 'pl_PL', 'translation-languages' => array( 'pl_PL', 'en_GB', 'not a locale' ) ) );
		$this->assertSame( array( 'pl_PL', 'en_GB' ), $profile() );

		$GLOBALS['comeback_test_polylang'] = array( 'languages' => array( array( 'slug' => 'pl', 'locale' => 'pl_PL' ), array( 'slug' => 'de', 'locale' => 'de_DE_formal' ) ) );
		$this->assertSame( array( 'pl_PL', 'de_DE_formal' ), $profile() );

		self::wpml( 'pl' );
		$this->assertSame( array( 'en_US', 'pl_PL' ), $profile() );
	}
}
