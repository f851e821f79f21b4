<?php
/**
 * GET /wp-json/comeback/v1/shop-profile through WordPress's real REST server: the sidecar's
 * signature is the only way in, and the answer is the store address and the BACS accounts as
 * WooCommerce saved them (the recorded options of fixture 118), and the shop's formats.
 */
class ShopProfileEndpointTest extends PHPUnit\Framework\TestCase {

	private const SECRET = 'company-endpoint-secret-0123456789';

	public static function setUpBeforeClass(): void {
		$recorded = json_decode( file_get_contents( dirname( __DIR__, 2 ) . '/fixtures/woocommerce/118-options-bacs-accounts-store-address.json' ), true );
		foreach ( $recorded as $option => $value ) {
			update_option( $option, $value );
		}
		update_option( Comeback_Options::SHARED_SECRET, self::SECRET );
		do_action( 'rest_api_init', rest_get_server() );
	}

	protected function tearDown(): void {
		foreach ( array( 'woocommerce_price_num_decimals', 'woocommerce_price_decimal_sep', 'woocommerce_price_thousand_sep', 'woocommerce_currency_pos', 'date_format', 'time_format', 'timezone_string' ) as $option ) {
			delete_option( $option );
		}
	}

	/** What the sidecar sends: signed for this direction, method and route. */
	private static function signed( $secret, $t ) {
		return Comeback_Sidecar_Client::sign( $secret, 'sidecar-to-plugin', 'GET', '/comeback/v1/shop-profile', '', $t );
	}

	private function get( $signature ) {
		$request = new WP_REST_Request( 'GET', '/comeback/v1/shop-profile' );
		if ( null !== $signature ) {
			$request->set_header( 'X-Comeback-Signature', $signature );
		}
		return rest_do_request( $request );
	}

	public function test_answers_the_signed_request_with_the_store_address_and_bacs_accounts() {
		$response = $this->get( self::signed( self::SECRET, time() ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame(
			array(
				'name'         => 'Woo Sidecar Test Shop',
				'address'      => array( '1 Test Street', 'Testville, CA 90001', 'US' ),
				'bankAccounts' => array(
					array( 'accountName' => 'Fixture Shop Ltd', 'bankName' => 'First Test Bank', 'accountNumber' => '12345678', 'iban' => 'GB33BUKB20201555555555', 'bic' => 'BUKBGB22', 'sortCode' => '12-34-56' ),
					array( 'accountName' => 'Fixture Shop Sp. z o.o.', 'bankName' => 'Drugi Bank Testowy', 'accountNumber' => '61109010140000071219812874', 'iban' => 'PL61109010140000071219812874', 'bic' => 'WBKPPLPP' ),
				),
			),
			$response->get_data()['company']
		);
	}

	public function test_answers_the_site_title_as_the_shop_name_decoded_as_wordpress_shows_it() {
		// update_option() runs sanitize_option(), which stores blogname through esc_html().
		update_option( 'blogname', "Tom & Jerry's Kraków <Shop>" );
		$this->assertSame( 'Tom &amp; Jerry&#039;s Kraków &lt;Shop&gt;', get_option( 'blogname' ) );
		$data = $this->get( self::signed( self::SECRET, time() ) )->get_data();
		update_option( 'blogname', 'Woo Sidecar Test Shop' );
		$this->assertSame( "Tom & Jerry's Kraków <Shop>", $data['name'] );
	}

	public function test_answers_how_the_shop_writes_prices_and_dates() {
		update_option( 'woocommerce_price_num_decimals', '3' );
		update_option( 'woocommerce_price_decimal_sep', ',' );
		update_option( 'woocommerce_price_thousand_sep', '.' );
		update_option( 'woocommerce_currency_pos', 'right_space' );
		update_option( 'date_format', 'j. F Y' );
		update_option( 'time_format', 'H:i' );
		update_option( 'timezone_string', 'Europe/Warsaw' );
		$formats = $this->get( self::signed( self::SECRET, time() ) )->get_data()['formats'];
		$this->assertSame( array( 'decimals' => 3, 'decimalSeparator' => ',', 'thousandSeparator' => '.', 'position' => 'right_space' ), $formats['price'] );
		$this->assertSame( 'Europe/Warsaw', $formats['timeZone'] );
		$this->assertSame( 'j. F Y', $formats['dates']['format'] );
		// The admin screens write a moment as the shop does: its date, then its time.
		$this->assertSame( 'H:i', $formats['dates']['timeFormat'] );
		// WordPress's own (untranslated here) names, in calendar order.
		$this->assertSame( 'January', $formats['dates']['months'][0] );
		$this->assertSame( 'Dec', $formats['dates']['monthsShort'][11] );
		$this->assertSame( array( 'Sunday', 'Monday' ), array_slice( $formats['dates']['weekdays'], 0, 2 ) );
		$this->assertSame( 'Sat', $formats['dates']['weekdaysShort'][6] );
		$this->assertSame( array( 'am' => 'am', 'pm' => 'pm', 'AM' => 'AM', 'PM' => 'PM' ), $formats['dates']['meridiem'] );
		$this->assertFalse( $formats['dates']['declineMonths'] );
		// The recorded shop is in the US (US:CA): WooCommerce calls the field "Routing number" there.
		$this->assertSame( 'Routing number', $formats['labels']['sortCode'] );
	}

	/** The store address in its country's WooCommerce format (shortcodes/vectors/store-address.json, shared with the sidecar). */
	public function test_writes_the_store_address_as_woocommerce_does_in_its_country() {
		$file     = json_decode( file_get_contents( dirname( __DIR__, 3 ) . '/shortcodes/vectors/store-address.json' ), true );
		$actual   = array();
		$expected = array();
		foreach ( $file['vectors'] as $vector ) {
			$actual[ $vector['name'] ]   = Comeback_Shop_Profile::address_lines( $vector['parts'] );
			$expected[ $vector['name'] ] = $vector['expected'];
		}
		$this->assertSame( $expected, $actual );
	}

	/** WooCommerce's label for the sort-code field per store country (shortcodes/vectors/bacs-labels.json, shared with the sidecar). */
	public function test_labels_the_sort_code_as_woocommerce_does_in_the_store_country() {
		$file     = json_decode( file_get_contents( dirname( __DIR__, 3 ) . '/shortcodes/vectors/bacs-labels.json' ), true );
		$recorded = get_option( 'woocommerce_default_country' );
		$actual   = array();
		$expected = array();
		foreach ( $file['vectors'] as $vector ) {
			update_option( 'woocommerce_default_country', $vector['country'] );
			$actual[ $vector['country'] ]   = Comeback_Shop_Profile::formats()['labels']['sortCode'];
			$expected[ $vector['country'] ] = $vector['sortCode'];
		}
		update_option( 'woocommerce_default_country', $recorded );
		$this->assertSame( $expected, $actual );
	}

	/** A shop that changed the table through WooCommerce's own filter sees its label in reminders too. */
	public function test_follows_woocommerces_bacs_locale_filter() {
		$filter = function ( $locale ) {
			$locale['GB'] = array( 'sortcode' => array( 'label' => 'Sort code (6 digits)' ) );
			return $locale;
		};
		add_filter( 'woocommerce_get_bacs_locale', $filter );
		$this->assertSame( 'Sort code (6 digits)', Comeback_Shop_Profile::sort_code_label( 'GB' ) );
		remove_filter( 'woocommerce_get_bacs_locale', $filter );
		$this->assertSame( 'Sort code', Comeback_Shop_Profile::sort_code_label( 'GB' ) );
	}

	public function test_answers_woocommerces_email_sender_and_template_settings() {
		// WooCommerce → Settings → Emails; WordPress stores the name through sanitize_option() as given.
		$options = array(
			'woocommerce_email_from_name'             => 'Tea &amp; Co',
			'woocommerce_email_from_address'          => ' hello@tea.example.test ',
			'woocommerce_email_base_color'            => '#1e73be',
			'woocommerce_email_background_color'      => '#fdf6e3',
			'woocommerce_email_body_background_color' => '#fffef8',
			'woocommerce_email_text_color'            => '#222222',
			'woocommerce_email_header_image'          => 'https://tea.example.test/logo.png',
		);
		foreach ( $options as $option => $value ) {
			update_option( $option, $value );
		}
		$email = $this->get( self::signed( self::SECRET, time() ) )->get_data()['email'];
		foreach ( array_keys( $options ) as $option ) {
			delete_option( $option );
		}
		$this->assertEquals(
			(object) array(
				'fromName'            => 'Tea & Co',
				'fromAddress'         => 'hello@tea.example.test',
				'baseColor'           => '#1e73be',
				'backgroundColor'     => '#fdf6e3',
				'bodyBackgroundColor' => '#fffef8',
				'textColor'           => '#222222',
				'headerImage'         => 'https://tea.example.test/logo.png',
			),
			$email
		);
		// Nothing set: an empty object, and the sidecar keeps its own sender and look.
		$this->assertEquals( new stdClass(), $this->get( self::signed( self::SECRET, time() ) )->get_data()['email'] );
	}

	public function test_answers_the_gateways_enabled_or_not_with_woocommerces_default_instructions_and_the_merchants_own() {
		// The recorded shop (fixture 118): bank transfer enabled with the merchant's instructions; cheque and cod never saved, so off,
		// yet answered with their titles: an order paid by a method switched off since is still named as its customer saw it.
		$bacs = array( 'id' => 'bacs', 'title' => 'Direct bank transfer', 'instructions' => 'Please transfer the total to one of the accounts below, with the order number as reference.', 'offline' => true, 'enabled' => true );
		$this->assertSame(
			array(
				$bacs,
				array( 'id' => 'cheque', 'title' => 'Check payments', 'instructions' => '', 'offline' => true, 'enabled' => false ),
				array( 'id' => 'cod', 'title' => 'Cash on delivery', 'instructions' => 'Pay with cash upon delivery.', 'offline' => true, 'enabled' => false ),
			),
			$this->get( self::signed( self::SECRET, time() ) )->get_data()['gateways']
		);
		// Enabled as the merchant's Payments screen saves them: cheque and cod with WooCommerce's defaults untouched.
		update_option( 'woocommerce_cheque_settings', array( 'enabled' => 'yes' ) );
		update_option( 'woocommerce_cod_settings', array( 'enabled' => 'yes' ) );
		$this->assertSame(
			array(
				$bacs,
				array( 'id' => 'cheque', 'title' => 'Check payments', 'instructions' => '', 'offline' => true, 'enabled' => true ),
				array( 'id' => 'cod', 'title' => 'Cash on delivery', 'instructions' => 'Pay with cash upon delivery.', 'offline' => true, 'enabled' => true ),
			),
			$this->get( self::signed( self::SECRET, time() ) )->get_data()['gateways']
		);
		// The merchant renames cheque and writes its instructions.
		update_option(
			'woocommerce_cheque_settings',
			array(
				'enabled'      => 'yes',
				'title'        => 'Cheque &amp; postal order',
				'instructions' => "Make it payable to Fixture Shop Ltd.\nPost it to 1 Test Street.",
			)
		);
		$gateways = $this->get( self::signed( self::SECRET, time() ) )->get_data()['gateways'];
		delete_option( 'woocommerce_cheque_settings' );
		delete_option( 'woocommerce_cod_settings' );
		$this->assertSame( array( 'id' => 'cheque', 'title' => 'Cheque & postal order', 'instructions' => "Make it payable to Fixture Shop Ltd.\nPost it to 1 Test Street.", 'offline' => true, 'enabled' => true ), $gateways[1] );
	}

	public function test_adds_the_tax_id_when_the_shop_sets_one() {
		add_filter(
			'comeback_company_tax_id',
			function () {
				return 'PL1234567890';
			}
		);
		$response = $this->get( self::signed( self::SECRET, time() ) );
		remove_all_filters( 'comeback_company_tax_id' );
		$this->assertSame( 'PL1234567890', $response->get_data()['company']['taxId'] );
	}

	public function test_refuses_a_missing_wrong_or_stale_signature() {
		$this->assertSame( 401, $this->get( null )->get_status() );
		$this->assertSame( 401, $this->get( self::signed( 'another-secret-another-secret', time() ) )->get_status() );
		$this->assertSame( 401, $this->get( self::signed( self::SECRET, time() - 301 ) )->get_status() );
		$this->assertSame( 'comeback_bad_signature', $this->get( 't=1,v1=zz' )->get_data()['code'] );
		// A signature made by the plugin for the sidecar is no good here, even with the right secret.
		$this->assertSame( 401, $this->get( Comeback_Sidecar_Client::sign( self::SECRET, 'plugin-to-sidecar', 'GET', '/comeback/v1/shop-profile', '', time() ) )->get_status() );
	}
}
