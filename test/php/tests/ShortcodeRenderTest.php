<?php
/**
 * The shortcodes in WordPress: the shared render vectors (shortcodes/vectors/render.json, the
 * same file the sidecar's tests render) through the plugin, run by WordPress's own do_shortcode();
 * the date rules checked against WordPress's wp_date() itself; the shortcodes registered for pages
 * (showing an order only with its key) and run in WooCommerce's emails for the email's order.
 */
class ShortcodeRenderTest extends PHPUnit\Framework\TestCase {

	private static function vectors() {
		return json_decode( file_get_contents( dirname( __DIR__, 3 ) . '/shortcodes/vectors/render.json' ), true );
	}

	public function vector_provider() {
		$file  = self::vectors();
		$cases = array();
		foreach ( $file['vectors'] as $vector ) {
			$cases[ $vector['name'] ] = array( $vector, $file['contexts'][ $vector['data'] ] );
		}
		return $cases;
	}

	/** @dataProvider vector_provider */
	public function test_the_plugin_renders_the_vector_as_the_sidecar_does( array $vector, array $context ) {
		if ( isset( $vector['skipInPhp'] ) ) {
			$this->markTestSkipped( $vector['skipInPhp'] );
		}
		$actual = Comeback_Shortcodes::render( $vector['template'], $context, $vector['mode'] );
		// JSON in the message: the runner's report shows invisible differences (no-break spaces, tabs).
		$this->assertSame( $vector['expected'], $actual, 'PHP wrote ' . wp_json_encode( $actual, JSON_UNESCAPED_UNICODE ) );
	}

	/** Formats a real WordPress locale would give, for dates compared with wp_date(). */
	private static function dates_of_wordpress( $format ) {
		$dates           = Comeback_Shop_Profile::formats()['dates'];
		$dates['format'] = $format;
		return $dates;
	}

	public function date_format_provider() {
		return array(
			array( 'F j, Y' ),
			array( 'j F Y' ),
			array( 'l, j. F Y H:i' ),
			array( 'D, M jS y \a\t g:i:s A (N/w)' ),
			array( 'F jS' ),
			array( 'd/m/Y h:i a' ),
			array( '\F\r\o\m F' ),
		);
	}

	/** @dataProvider date_format_provider */
	public function test_dates_are_what_wp_date_writes_in_english( $format ) {
		$zone = new DateTimeZone( 'America/New_York' );
		foreach ( array( '2025-01-01T03:04:05Z', '2024-02-29T23:59:59Z', '2025-07-04T12:00:00Z', '2025-11-23T00:30:00Z' ) as $iso ) {
			$this->assertSame(
				wp_date( $format, strtotime( $iso ), $zone ),
				Comeback_Formatting::date( $iso, 'America/New_York', self::dates_of_wordpress( $format ), '' ),
				"$format at $iso"
			);
		}
	}

	/**
	 * A declining language the way WordPress has it: translated names in WP_Locale and the
	 * "decline months names" switch on (as the Polish translation sets it).
	 *
	 * @dataProvider date_format_provider
	 */
	public function test_dates_decline_months_as_wp_date_does( $format ) {
		global $wp_locale;
		$saved                     = clone $wp_locale;
		$polish                    = json_decode( file_get_contents( dirname( __DIR__, 3 ) . '/shortcodes/vectors/render.json' ), true )['contexts']['pl']['formats']['dates'];
		$wp_locale->month          = array_combine( array( '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12' ), $polish['months'] );
		$wp_locale->month_genitive = array_combine( array_keys( $wp_locale->month ), $polish['monthsGenitive'] );
		$wp_locale->month_abbrev   = array_combine( $polish['months'], $polish['monthsShort'] );
		$wp_locale->weekday        = $polish['weekdays'];
		$wp_locale->weekday_abbrev = array_combine( $polish['weekdays'], $polish['weekdaysShort'] );
		$decline                   = function ( $translation, $text, $context ) {
			return 'decline months names: on or off' === $context ? 'on' : $translation;
		};
		add_filter( 'gettext_with_context', $decline, 10, 3 );
		try {
			$dates = self::dates_of_wordpress( $format );
			$this->assertTrue( $dates['declineMonths'] );
			$this->assertSame( 'marca', $dates['monthsGenitive'][2] );
			foreach ( array( '2025-03-05T23:30:00Z', '2025-12-24T08:00:00Z', '2025-05-01T10:00:00Z' ) as $iso ) {
				$this->assertSame(
					wp_date( $format, strtotime( $iso ), new DateTimeZone( 'Europe/Warsaw' ) ),
					Comeback_Formatting::date( $iso, 'Europe/Warsaw', $dates, '' ),
					"$format at $iso"
				);
			}
		} finally {
			remove_filter( 'gettext_with_context', $decline, 10 );
			$GLOBALS['wp_locale'] = $saved;
		}
	}

	private static function order( array $data = array() ) {
		return new WC_Order(
			$data + array(
				'id'                   => 1042,
				'number'               => '1042',
				'key'                  => 'wc_order_Secret123',
				'status'               => 'pending',
				'created'              => new DateTimeImmutable( '2025-03-05T10:00:00Z' ),
				'total'                => '1234.50',
				'currency'             => 'EUR',
				'payment_method_title' => 'Credit card',
				'items'                => array( array( 'name' => 'Blue mug', 'quantity' => 2, 'total' => '1234.50' ) ),
				'billing'              => array( 'first_name' => 'Anna', 'last_name' => 'Schmidt', 'email' => 'anna@example.com' ),
			)
		);
	}

	public static function setUpBeforeClass(): void {
		Comeback_Order_Context::reset();
		$recorded = json_decode( file_get_contents( dirname( __DIR__, 2 ) . '/fixtures/woocommerce/118-options-bacs-accounts-store-address.json' ), true );
		foreach ( $recorded as $option => $value ) {
			update_option( $option, $value );
		}
		// WooCommerce's installer stores these defaults (Settings → General → Currency options).
		update_option( 'woocommerce_price_thousand_sep', ',' );
		update_option( 'woocommerce_price_decimal_sep', '.' );
		update_option( 'woocommerce_price_num_decimals', '2' );
		update_option( 'woocommerce_currency_pos', 'left' );
		// The plugin registers its shortcodes on init; this run's init has passed, so run it again.
		Comeback_Shortcodes::add_shortcodes();
	}

	public static function tearDownAfterClass(): void {
		foreach ( array( 'woocommerce_price_thousand_sep', 'woocommerce_price_decimal_sep', 'woocommerce_price_num_decimals', 'woocommerce_currency_pos' ) as $option ) {
			delete_option( $option );
		}
		Comeback_Order_Context::reset();
	}

	protected function setUp(): void {
		Comeback_Order_Context::reset();
		$GLOBALS['comeback_test_orders'] = array( 1042 => self::order() );
	}

	protected function tearDown(): void {
		unset( $_GET['key'] );
		set_query_var( 'order-received', '' );
		set_query_var( 'order-pay', '' );
		remove_all_filters( 'comeback_shortcode_order' );
	}

	public function test_every_catalogue_shortcode_is_registered_with_wordpress() {
		foreach ( array_keys( Comeback_Catalog::shortcodes() ) as $name ) {
			$this->assertTrue( shortcode_exists( $name ), "[$name] is registered" );
		}
	}

	public function test_a_page_shows_the_order_only_with_its_key() {
		set_query_var( 'order-received', 1042 );
		$_GET['key'] = 'wc_order_Secret123';
		$this->assertSame( 'Order 1042: €1,234.50 by Credit card', do_shortcode( 'Order [order_number]: [order_total] by [payment_method]' ) );

		$_GET['key'] = 'wc_order_guessed';
		$this->assertSame( 'Order : ', do_shortcode( 'Order [order_number]: [order_total]' ) );
		unset( $_GET['key'] );
		$this->assertSame( 'Order ', do_shortcode( 'Order [order_number]' ) );
	}

	public function test_shop_shortcodes_work_on_any_page_and_bank_details_show_the_bacs_accounts() {
		$this->assertSame( 'Woo Sidecar Test Shop', do_shortcode( '[shop_name]' ) );
		$html = do_shortcode( '[bank_details]' );
		// The accounts exactly as WooCommerce saved them (fixture 118), no payment reference without an order.
		$this->assertStringContainsString( '<th align="left" style="padding:4px 12px 4px 0;vertical-align:top;">IBAN</th><td style="padding:4px 12px 4px 0;vertical-align:top;">GB33BUKB20201555555555</td>', $html );
		$this->assertStringContainsString( 'Drugi Bank Testowy', $html );
		$this->assertStringNotContainsString( 'Payment reference', $html );
	}

	public function test_shop_name_is_the_site_title_escaped_once_as_the_sidecar_writes_it() {
		// WordPress stores blogname through esc_html() (sanitize_option()); the plugin decodes it, so
		// [shop_name] is escaped once, as the sidecar writes the same name from the plugin's profile.
		update_option( 'blogname', "Tom & Jerry's Kraków" );
		Comeback_Order_Context::reset();
		$html = Comeback_Shortcodes::render( '[shop_name]', Comeback_Order_Context::for_shop(), 'html' );
		$text = Comeback_Shortcodes::render( '[shop_name]', Comeback_Order_Context::for_shop(), 'text' );
		update_option( 'blogname', 'Woo Sidecar Test Shop' );
		Comeback_Order_Context::reset();
		$this->assertSame( 'Tom &amp; Jerry&#39;s Kraków', $html );
		$this->assertSame( "Tom & Jerry's Kraków", $text );
	}

	public function test_cart_shortcodes_print_nothing_in_wordpress_even_given_a_cart() {
		// The cart vectors' context (only the sidecar renders it): the customer shows, the cart does not.
		$cart = self::vectors()['contexts']['cart_pl'];
		foreach ( array( 'html', 'text' ) as $mode ) {
			$this->assertSame( '<||> Łucja', Comeback_Shortcodes::render( '<[cart_link]|[cart_items]|[cart_total]> [customer_first_name]', $cart, $mode ), $mode );
		}
		set_query_var( 'order-received', 1042 );
		$_GET['key'] = 'wc_order_Secret123';
		$this->assertSame( '<||> 1042', do_shortcode( '<[cart_link text="Back"]|[cart_items]|[cart_total]> [order_number]' ) );
	}

	public function test_coupon_and_loyalty_shortcodes_print_nothing_in_wordpress() {
		// Only the sidecar's messages to a customer carry a personal coupon or loyalty data.
		set_query_var( 'order-received', 1042 );
		$_GET['key'] = 'wc_order_Secret123';
		$this->assertSame( '<||||||||||> 1042', do_shortcode( '<[coupon_code]|[coupon_value]|[coupon_offer]|[coupon_expiry]|[points_balance]|[cashback_balance]|[voucher_code]|[voucher_value]|[voucher_expiry]|[nps_link]|[portal_link]> [order_number]' ) );
	}

	public function test_woocommerce_emails_show_the_tracking_from_the_order_meta() {
		$completed = new WC_Email( 'customer_completed_order' );
		$plain     = new WC_Email( 'customer_note', 'plain' );
		do_action( 'woocommerce_email', new WC_Emails( array( $completed, $plain ) ) );
		$items   = array(
			array( 'tracking_provider' => 'dhl', 'custom_tracking_provider' => '', 'custom_tracking_link' => '', 'tracking_number' => 'OLD1' ),
			array( 'tracking_provider' => '', 'custom_tracking_provider' => 'Kurier & Co', 'custom_tracking_link' => 'https://kurier.example/t?n=K-2&l=en', 'tracking_number' => 'K-2' ),
		);
		$shipped = self::order( array( 'status' => 'completed', 'meta' => array( '_wc_shipment_tracking_items' => $items ) ) );
		$html    = apply_filters( 'woocommerce_email_additional_content_customer_completed_order', 'Parcel [tracking_number]: [tracking_link text="Follow it"]', $shipped, $completed );
		$this->assertSame( 'Parcel K-2: <a href="https://kurier.example/t?n=K-2&amp;l=en" target="_blank" style="color:#7f54b3;font-weight:bold;">Follow it</a>', $html );
		$text = apply_filters( 'woocommerce_email_additional_content_customer_note', 'Parcel [tracking_number]: [tracking_link]', $shipped, $plain );
		$this->assertSame( 'Parcel K-2: https://kurier.example/t?n=K-2&l=en', $text );
		$this->assertSame( 'Shipped: K-2', apply_filters( 'woocommerce_email_subject_customer_completed_order', 'Shipped: [tracking_number]', $shipped, $completed ) );

		// Before it ships: nothing, and the catalogue default text is used when a link appears.
		$this->assertSame( 'Parcel : ', apply_filters( 'woocommerce_email_additional_content_customer_completed_order', 'Parcel [tracking_number]: [tracking_link]', self::order(), $completed ) );
		$own = self::order( array( 'meta' => array( '_comeback_tracking_number' => 'OWN-9', '_comeback_tracking_url' => 'https://carrier.example/OWN-9' ) ) );
		$this->assertStringContainsString( '>Track your parcel</a>', apply_filters( 'woocommerce_email_additional_content_customer_completed_order', '[tracking_link]', $own, $completed ) );
	}

	public function test_a_name_another_plugin_registered_first_stays_theirs_on_pages() {
		global $shortcode_tags;
		$saved = $shortcode_tags;
		remove_shortcode( 'shop_name' );
		add_shortcode(
			'shop_name',
			function () {
				return 'theirs';
			}
		);
		Comeback_Shortcodes::add_shortcodes();
		try {
			$this->assertSame( 'theirs', do_shortcode( '[shop_name]' ) );
			$this->assertContains( 'shop_name', Comeback_Shortcodes::taken_names() );
			// In emails Comeback renders its own, whatever else is registered.
			$this->assertSame( 'Woo Sidecar Test Shop', Comeback_Shortcodes::render( '[shop_name]', Comeback_Order_Context::for_shop(), 'text' ) );
		} finally {
			$shortcode_tags = $saved;
		}
	}

	public function test_woocommerce_emails_render_the_shortcodes_for_their_order() {
		$invoice = new WC_Email( 'customer_invoice' );
		$on_hold = new WC_Email( 'customer_on_hold_order', 'plain' );
		do_action( 'woocommerce_email', new WC_Emails( array( $invoice, $on_hold ) ) );
		$order = self::order();

		$subject = apply_filters( 'woocommerce_email_subject_customer_invoice', 'Invoice for order [order_number] – [order_total]', $order, $invoice );
		$this->assertSame( 'Invoice for order 1042 – €1,234.50', $subject );
		$content = apply_filters( 'woocommerce_email_additional_content_customer_invoice', "Hello [customer_first_name],\n[payment_link text=\"Pay for this order\"]", $order, $invoice );
		$pay     = esc_url_raw( $order->get_checkout_payment_url() );
		$this->assertSame( "Hello Anna,\n<a href=\"" . str_replace( '&', '&amp;', $pay ) . '" target="_blank" style="color:#7f54b3;font-weight:bold;">Pay for this order</a>', $content );

		// A plain-text bank-transfer email: text mode, the shop's real accounts, the order as reference,
		// the sort-code field under WooCommerce's label for the store's country (US: "Routing number").
		$bacs  = self::order( array( 'status' => 'on-hold', 'payment_method_title' => 'Direct bank transfer' ) );
		$plain = apply_filters( 'woocommerce_email_additional_content_customer_on_hold_order', "[bank_details]\n[payment_link]", $bacs, $on_hold );
		$this->assertStringContainsString( "Account name: Fixture Shop Ltd\nBank: First Test Bank\nAccount number: 12345678\nIBAN: GB33BUKB20201555555555\nBIC: BUKBGB22\nRouting number: 12-34-56", $plain );
		$this->assertStringEndsWith( "Payment reference: 1042\n", $plain, 'an on-hold order needs no payment link: it prints nothing' );
		// Text without shortcodes is handed back untouched.
		$this->assertSame( 'Thanks!', apply_filters( 'woocommerce_email_heading_customer_invoice', 'Thanks!', $order, $invoice ) );
	}

	public function test_a_cheque_email_shows_the_merchants_cheque_instructions_and_who_to_pay() {
		$on_hold = new WC_Email( 'customer_on_hold_order' );
		do_action( 'woocommerce_email', new WC_Emails( array( $on_hold ) ) );
		update_option(
			'woocommerce_cheque_settings',
			array(
				'enabled'      => 'yes',
				'instructions' => "Post it to 1 Test Street.\nWe ship once it has cleared & <cashed>.",
			)
		);
		$cheque = self::order(
			array(
				'status'               => 'on-hold',
				'payment_method'       => 'cheque',
				'payment_method_title' => 'Check payments',
			)
		);
		$html   = apply_filters( 'woocommerce_email_additional_content_customer_on_hold_order', 'Pay to [payable_to]: [payment_instructions]', $cheque, $on_hold );
		delete_option( 'woocommerce_cheque_settings' );
		$this->assertSame( 'Pay to Woo Sidecar Test Shop: Post it to 1 Test Street.<br />We ship once it has cleared &amp; &lt;cashed&gt;.', $html );
		// A method without instructions (cheque once they are removed) prints nothing.
		$this->assertSame( '<>', apply_filters( 'woocommerce_email_additional_content_customer_on_hold_order', '<[payment_instructions]>', $cheque, $on_hold ) );
	}
}
