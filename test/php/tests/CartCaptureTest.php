<?php
/**
 * Abandoned carts: nothing leaves the shop unless the shopper ticked the reminder box; with it,
 * the cart WooCommerce holds (not what the browser says) is queued and sent, signed, to the
 * sidecar's POST /api/carts, from the classic checkout's wc-ajax call and from the Store API
 * requests the block checkout sends. A cart link rebuilds the cart on any device from the
 * sidecar's answer. The sidecar is faked at the HTTP edge (pre_http_request): its cart routes
 * are another part's work.
 */
class CartCaptureTest extends PHPUnit\Framework\TestCase {

	private const SIDECAR = 'https://sidecar.example.test';
	private const SECRET  = 'cart-test-shared-secret-0123456789';

	use Comeback_Test_Sidecar_Edge;

	public function setUp(): void {
		$this->connect_fake_sidecar();
		update_option( 'woocommerce_currency', 'PLN' );
		delete_option( Comeback_Options::CART_CONSENT_TEXT );
		wp_set_current_user( 0 );
		add_filter( 'wp_die_handler', array( $this, 'die_handler' ) );
		_set_cron_array( array() );
		$GLOBALS['comeback_test_products'] = array(
			12 => new WC_Product( array( 'id' => 12, 'name' => 'Blue mug', 'sku' => 'MUG-B', 'price' => '12.5', 'manage_stock' => true, 'stock_quantity' => 3 ) ),
			30 => new WC_Product( array( 'id' => 30, 'name' => 'Tee' ) ),
			31 => new WC_Product( array( 'id' => 31, 'name' => 'Tee - L', 'price' => '20' ) ),
			40 => new WC_Product( array( 'id' => 40, 'name' => 'Old lamp', 'price' => '99', 'purchasable' => false ) ),
		);
		WC()->cart                         = new WC_Cart();
		WC()->session                      = new WC_Session_Handler( 't_ada' );
		WC()->customer                     = new WC_Customer();
		delete_transient( Comeback_Cart_Queue::PENDING . self::session_key( 't_ada' ) );
		global $wpdb;
		foreach ( $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_comeback\\_rl\\_%'" ) as $name ) {
			delete_transient( substr( $name, strlen( '_transient_' ) ) );
		}
		unset( $_SERVER['REMOTE_ADDR'] );
		$this->answers = array( 'POST /api/carts' => array( 201, array( 'ref' => 'cartRef0123456789abcdef' ) ) );
	}

	public function tearDown(): void {
		$this->disconnect_fake_sidecar();
		remove_filter( 'wp_die_handler', array( $this, 'die_handler' ) );
		$_POST    = array();
		$_REQUEST = array();
	}

	public function die_handler() {
		return function ( $message, $title = '', $args = array() ) {
			throw new Comeback_Test_Stop( is_string( $message ) ? $message : 'died', (int) ( $args['response'] ?? 500 ) );
		};
	}

	/** @var int The status the last classic_post() ended with. */
	private $last_status = 0;

	/** The AJAX wp_die() handler: wp_send_json() passes no status (it sent 200 itself), a refusal its own. */
	public function ajax_die_handler() {
		return function ( $message, $title = '', $args = array() ) {
			$this->last_status = (int) ( $args['response'] ?? 200 );
			throw new Comeback_Test_Stop( is_string( $message ) ? $message : 'died', $this->last_status );
		};
	}

	private static function session_key( $customer_id ) {
		return hash( 'sha256', $customer_id . '|' . home_url() );
	}

	private function fill_cart() {
		WC()->cart->add_to_cart( 12, 2 );
		WC()->cart->add_to_cart( 30, 1, 31, array( 'attribute_pa_size' => 'L' ) );
	}

	/** The classic checkout's script posting to ?wc-ajax=comeback_capture_cart; its JSON answer. */
	private function classic_post( array $fields, $nonce = null ) {
		$_POST    = $fields + array( 'nonce' => null === $nonce ? wp_create_nonce( Comeback_Cart_Capture::AJAX ) : $nonce );
		$_REQUEST = $_POST;
		add_filter( 'wp_doing_ajax', '__return_true' );
		add_filter( 'wp_die_ajax_handler', array( $this, 'ajax_die_handler' ) );
		ob_start();
		try {
			do_action( 'wc_ajax_' . Comeback_Cart_Capture::AJAX );
			$this->fail( 'the endpoint did not answer' );
		} catch ( Comeback_Test_Stop $stop ) {
			$output = ob_get_clean();
			// wp_send_json() prints its body before wp_die(); a refusal passes it to wp_die().
			return json_decode( '' !== $output ? $output : $stop->getMessage(), true );
		} finally {
			remove_filter( 'wp_doing_ajax', '__return_true' );
			remove_filter( 'wp_die_ajax_handler', array( $this, 'ajax_die_handler' ) );
		}
	}

	/** A Store API request as WordPress builds it from the block checkout's JSON body. */
	private static function store_api( $method, $route, array $body ) {
		$request = new WP_REST_Request( $method, $route );
		$request->set_header( 'content-type', 'application/json' );
		$request->set_body( wp_json_encode( $body ) );
		return $request;
	}

	private static function queued() {
		$args = array();
		foreach ( (array) _get_cron_array() as $hooks ) {
			foreach ( $hooks[ Comeback_Cart_Queue::SEND_HOOK ] ?? array() as $event ) {
				$args[] = $event['args'];
			}
		}
		return $args;
	}

	/** Runs the queued sends as WP-Cron would; the bodies the sidecar received, decoded. */
	private function run_queue() {
		$before = count( $this->requests );
		foreach ( (array) _get_cron_array() as $timestamp => $hooks ) {
			foreach ( $hooks[ Comeback_Cart_Queue::SEND_HOOK ] ?? array() as $event ) {
				wp_unschedule_event( $timestamp, Comeback_Cart_Queue::SEND_HOOK, $event['args'] );
				Comeback_Cart_Queue::send( ...$event['args'] );
			}
		}
		return array_map(
			function ( $request ) {
				$this->assertSame( 'POST /api/carts', $request['method'] . ' ' . $request['path'] );
				return json_decode( $request['body'], true );
			},
			array_slice( $this->requests, $before )
		);
	}

	private static function cart_link( $ref, $expires_in = 3600, $secret = self::SECRET ) {
		return Comeback_Link_Token::sign( array( 'kind' => 'cart', 'ref' => $ref, 'expiresAt' => time() + $expires_in ), $secret );
	}

	public function test_nothing_is_queued_or_sent_without_the_box_ticked() {
		$this->fill_cart();
		$answer = $this->classic_post( array( 'consent' => '0', 'email' => 'ada@example.com', 'phone' => '+48 601 234 567' ) );
		$this->assertTrue( $answer['success'] );
		$this->assertFalse( $answer['data']['queued'] );

		$typed = self::store_api( 'POST', '/wc/store/v1/cart/update-customer', array( 'billing_address' => array( 'email' => 'ada@example.com', 'phone' => '+48 601 234 567' ) ) );
		do_action( 'woocommerce_store_api_cart_update_customer_from_request', WC()->customer, $typed );
		$unticked = self::store_api( 'PUT', '/wc/store/v1/checkout', array( 'additional_fields' => array( Comeback_Cart_Capture::FIELD => false ) ) );
		do_action( 'woocommerce_store_api_checkout_update_order_from_request', new WC_Order( array( 'id' => 5 ) ), $unticked );
		do_action( 'woocommerce_cart_updated' );

		$this->assertSame( array(), self::queued() );
		$this->assertSame( array(), $this->requests, 'nothing reached the sidecar' );
	}

	public function test_a_ticked_box_sends_the_cart_woocommerce_holds_signed_and_from_the_queue() {
		$this->fill_cart();
		$answer = $this->classic_post(
			array(
				'consent'    => '1',
				'email'      => 'ada@example.com',
				'phone'      => '+48 601 234 567',
				'first_name' => 'Ada',
				'country'    => 'pl',
				// What a tampered browser might add: never read.
				'items'      => array( array( 'productId' => 12, 'price' => '0.01' ) ),
				'total'      => '0.01',
			)
		);
		$this->assertTrue( $answer['data']['queued'] );
		$this->assertSame( array(), $this->requests, 'nothing is sent during the shopper’s request' );
		$this->assertSame( array( array( self::session_key( 't_ada' ) ) ), self::queued(), 'the queue carries the session key only' );

		$sent = $this->run_queue();
		$this->assertCount( 1, $sent );
		$cart = $sent[0];
		$this->assertSame( self::session_key( 't_ada' ), $cart['sessionKey'] );
		$this->assertSame( array( 'ada@example.com', '+48 601 234 567', 'Ada', 'PL', 'en_US' ), array( $cart['email'], $cart['phone'], $cart['firstName'], $cart['country'], $cart['locale'] ) );
		$this->assertSame(
			array(
				'granted'  => true,
				'text'     => 'Send me a reminder about my cart by email or text message',
				'channels' => array( 'email', 'sms', 'whatsapp' ),
			),
			$cart['consent']
		);
		$this->assertSame(
			array(
				'productId'   => 12,
				'variationId' => 0,
				'quantity'    => 2,
				'name'        => 'Blue mug',
				'sku'         => 'MUG-B',
				'price'       => '12.50',
				'total'       => '25.00',
				'stock'       => 3,
				'image'       => null,
				'variation'   => array(),
			),
			$cart['items'][0]
		);
		$this->assertSame( array( 30, 31, '20.00', '20.00', null, null, array( 'attribute_pa_size' => 'L' ) ), array( $cart['items'][1]['productId'], $cart['items'][1]['variationId'], $cart['items'][1]['price'], $cart['items'][1]['total'], $cart['items'][1]['stock'], $cart['items'][1]['sku'], $cart['items'][1]['variation'] ) );
		$this->assertSame( array( '45.00', 'PLN', 'classic' ), array( $cart['total'], $cart['currency'], $cart['source'] ) );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $cart['capturedAt'] );
		$this->assertStringContainsString( '"variation":{}', $this->requests[0]['body'], 'an item without attributes still sends an object' );

		$request = $this->requests[0];
		$this->assertSame( home_url(), $request['headers']['x-comeback-shop'] );
		preg_match( '/^t=(\d+),n=([0-9a-f]{16}),v1=/', $request['headers']['x-comeback-signature'], $m );
		$this->assertSame( Comeback_Sidecar_Client::sign( self::SECRET, 'plugin-to-sidecar', 'POST', '/api/carts', $request['body'], (int) $m[1], $m[2] ), $request['headers']['x-comeback-signature'] );
		$this->assertFalse( get_transient( Comeback_Cart_Queue::PENDING . self::session_key( 't_ada' ) ), 'nothing waits once sent' );
	}

	public function test_unticking_the_box_drops_what_was_waiting_and_stops_further_sends() {
		$this->fill_cart();
		$this->assertTrue( $this->classic_post( array( 'consent' => '1', 'email' => 'ada@example.com' ) )['data']['queued'] );
		$this->assertFalse( $this->classic_post( array( 'consent' => '0' ) )['data']['queued'] );
		WC()->cart->add_to_cart( 12, 1 );
		do_action( 'woocommerce_cart_updated' );
		$this->assertSame( array(), $this->run_queue() );
	}

	public function test_the_same_capture_is_sent_once_within_thirty_seconds_and_a_change_is_sent_again() {
		$this->fill_cart();
		$fields = array( 'consent' => '1', 'email' => 'ada@example.com' );
		$this->assertTrue( $this->classic_post( $fields )['data']['queued'] );
		$this->assertCount( 1, $this->run_queue() );
		$this->assertFalse( $this->classic_post( $fields )['data']['queued'] );
		$this->assertSame( array(), $this->run_queue() );

		$this->assertTrue( $this->classic_post( $fields + array( 'phone' => '601 234 567' ) )['data']['queued'] );
		WC()->cart->add_to_cart( 12, 1 );
		do_action( 'woocommerce_cart_updated' );
		$sent = $this->run_queue();
		$this->assertCount( 1, $sent, 'changes waiting together are sent as one' );
		$this->assertSame( array( '601 234 567', 3, '57.50' ), array( $sent[0]['phone'], $sent[0]['items'][0]['quantity'], $sent[0]['total'] ) );

		do_action( 'woocommerce_cart_updated' );
		$this->assertSame( array(), self::queued(), 'an unchanged cart is not sent again' );
	}

	public function test_an_empty_cart_or_no_way_to_reach_the_shopper_is_not_sent() {
		$this->assertFalse( $this->classic_post( array( 'consent' => '1', 'email' => 'ada@example.com' ) )['data']['queued'] );
		$this->fill_cart();
		$this->assertFalse( $this->classic_post( array( 'consent' => '1', 'email' => 'ada@', 'phone' => '12' ) )['data']['queued'] );
		$this->assertSame( array(), self::queued() );
	}

	public function test_one_visitor_may_capture_at_most_ten_addresses_an_hour_then_gets_429_with_retry_after() {
		$this->fill_cart();
		$_SERVER['REMOTE_ADDR'] = '203.0.113.7';
		for ( $i = 1; $i <= 10; $i++ ) {
			WC()->session = new WC_Session_Handler( 't_bot' . $i );
			$this->assertTrue( $this->classic_post( array( 'consent' => '1', 'email' => "victim{$i}@example.com" ) )['data']['queued'], "address $i" );
		}
		WC()->session = new WC_Session_Handler( 't_bot11' );
		$refused      = $this->classic_post( array( 'consent' => '1', 'email' => 'victim11@example.com' ) );
		$this->assertSame( 429, $this->last_status );
		$this->assertFalse( $refused['success'] );
		$this->assertGreaterThan( 3500, $refused['data']['retryAfter'], 'Retry-After: until the first address leaves the hour' );
		$this->assertLessThanOrEqual( 3600, $refused['data']['retryAfter'] );
		$this->assertCount( 10, self::queued(), 'the eleventh was not queued' );

		// The same visitor going on with an address it already gave is not refused; another IP is not either.
		WC()->session = new WC_Session_Handler( 't_bot3' );
		WC()->cart->add_to_cart( 12, 1 );
		$this->assertTrue( $this->classic_post( array( 'consent' => '1', 'email' => 'victim3@example.com' ) )['data']['queued'] );
		$_SERVER['REMOTE_ADDR'] = '198.51.100.2';
		$this->assertTrue( $this->classic_post( array( 'consent' => '1', 'email' => 'victim11@example.com' ) )['data']['queued'] );
	}

	public function test_one_address_may_be_captured_by_at_most_three_sessions_an_hour() {
		$this->fill_cart();
		for ( $i = 1; $i <= 3; $i++ ) {
			$_SERVER['REMOTE_ADDR'] = "192.0.2.$i";
			WC()->session           = new WC_Session_Handler( 't_forger' . $i );
			$this->assertTrue( $this->classic_post( array( 'consent' => '1', 'phone' => '+48 601 234 567' ) )['data']['queued'], "session $i" );
		}
		$_SERVER['REMOTE_ADDR'] = '192.0.2.4';
		WC()->session           = new WC_Session_Handler( 't_forger4' );
		$refused                = $this->classic_post( array( 'consent' => '1', 'phone' => '+48 (601) 234-567' ) );
		$this->assertSame( 429, $this->last_status, 'the same number however it is written' );
		$this->assertGreaterThan( 0, $refused['data']['retryAfter'] );

		// The block checkout's Store API requests are WooCommerce's own: nothing is captured, nothing breaks.
		$request = self::store_api(
			'POST',
			'/wc/store/v1/cart/update-customer',
			array(
				'billing_address'   => array( 'phone' => '+48 601 234 567' ),
				'additional_fields' => array( Comeback_Cart_Capture::FIELD => true ),
			)
		);
		do_action( 'woocommerce_store_api_cart_update_customer_from_request', WC()->customer, $request );
		$this->assertCount( 3, self::queued() );

		// A shopper typing and changing their own cart in one session is never limited.
		$_SERVER['REMOTE_ADDR'] = '192.0.2.1';
		WC()->session           = new WC_Session_Handler( 't_forger1' );
		for ( $i = 0; $i < 5; $i++ ) {
			WC()->cart->add_to_cart( 12, 1 );
			$this->classic_post( array( 'consent' => '1', 'phone' => '+48 601 234 567', 'first_name' => "Ada$i" ) );
			$this->assertSame( 200, $this->last_status );
		}
	}

	public function test_the_classic_endpoint_refuses_a_bad_nonce() {
		$this->fill_cart();
		$answer = $this->classic_post( array( 'consent' => '1', 'email' => 'ada@example.com' ), 'not-a-nonce' );
		$this->assertFalse( $answer['success'] );
		$this->assertSame( array(), self::queued() );
	}

	public function test_the_store_api_update_customer_request_with_the_box_ticked_is_captured() {
		$this->fill_cart();
		$billing  = array(
			'first_name' => 'Ada',
			'last_name'  => 'Lovelace',
			'company'    => '',
			'address_1'  => 'ul. Długa 1',
			'address_2'  => '',
			'city'       => 'Gdańsk',
			'state'      => '',
			'postcode'   => '80-001',
			'country'    => 'PL',
			'email'      => 'ada@example.com',
			'phone'      => '+48 601 234 567',
		);
		$shipping = array_diff_key( $billing, array( 'email' => true ) );
		$request  = self::store_api(
			'POST',
			'/wc/store/v1/cart/update-customer',
			array(
				'billing_address'   => $billing,
				'shipping_address'  => $shipping,
				'additional_fields' => array( Comeback_Cart_Capture::FIELD => true ),
			)
		);
		do_action( 'woocommerce_store_api_cart_update_customer_from_request', WC()->customer, $request );

		$sent = $this->run_queue();
		$this->assertCount( 1, $sent );
		$this->assertSame( array( 'store-api', 'ada@example.com', '+48 601 234 567', 'Ada', 'PL' ), array( $sent[0]['source'], $sent[0]['email'], $sent[0]['phone'], $sent[0]['firstName'], $sent[0]['country'] ) );
		$this->assertSame( array( '25.00', '20.00' ), array_column( $sent[0]['items'], 'total' ) );
	}

	public function test_ticking_the_block_checkout_box_captures_what_was_typed_and_placing_the_order_ends_it() {
		$this->fill_cart();
		// The block checkout sends the typed address on its own; WooCommerce sets it on the customer first.
		WC()->customer = new WC_Customer( array( 'email' => 'ada@example.com', 'first_name' => 'Ada', 'country' => 'PL' ) );
		$typed         = self::store_api( 'POST', '/wc/store/v1/cart/update-customer', array( 'billing_address' => array( 'email' => 'ada@example.com', 'first_name' => 'Ada', 'country' => 'PL' ) ) );
		do_action( 'woocommerce_store_api_cart_update_customer_from_request', WC()->customer, $typed );
		$this->assertSame( array(), self::queued(), 'not before the box is ticked' );

		$ticked = self::store_api( 'PUT', '/wc/store/v1/checkout', array( 'additional_fields' => array( Comeback_Cart_Capture::FIELD => true ) ) );
		do_action( 'woocommerce_store_api_checkout_update_order_from_request', new WC_Order( array( 'id' => 5 ) ), $ticked );
		$this->assertCount( 1, self::queued() );

		// Typing more is captured too, now that the session knows the box is ticked.
		$more = self::store_api( 'POST', '/wc/store/v1/cart/update-customer', array( 'billing_address' => array( 'phone' => '+48 601 234 567' ) ) );
		do_action( 'woocommerce_store_api_cart_update_customer_from_request', WC()->customer, $more );

		// Placing the order: the POST carries the field again, then the order is processed.
		$place = self::store_api( 'POST', '/wc/store/v1/checkout', array( 'additional_fields' => array( Comeback_Cart_Capture::FIELD => true ) ) );
		do_action( 'woocommerce_store_api_checkout_update_order_from_request', new WC_Order( array( 'id' => 5 ) ), $place );
		do_action( 'woocommerce_store_api_checkout_order_processed', new WC_Order( array( 'id' => 5 ) ) );
		$this->assertSame( array(), $this->run_queue(), 'a capture still waiting when the order is placed is dropped' );
		do_action( 'woocommerce_cart_updated' );
		$this->assertSame( array(), self::queued() );
	}

	public function test_the_checkboxes_carry_the_merchants_wording_unticked() {
		update_option( Comeback_Options::CART_CONSENT_TEXT, 'Remind me about my cart & "deals"' );
		ob_start();
		do_action( 'woocommerce_after_checkout_billing_form', null );
		$html = ob_get_clean();
		$this->assertStringContainsString( 'Remind me about my cart &amp; &quot;deals&quot;', $html );
		$this->assertStringContainsString( 'name="comeback_cart_reminders"', $html );
		$this->assertStringNotContainsString( 'checked', $html );

		Comeback_Cart_Capture::register_block_field();
		$field = $GLOBALS['comeback_test_checkout_fields'][ Comeback_Cart_Capture::FIELD ];
		$this->assertSame( array( 'contact', 'checkbox', false, 'Remind me about my cart & "deals"' ), array( $field['location'], $field['type'], $field['required'], $field['label'] ) );
	}

	public function test_the_block_consent_is_a_record_kept_off_the_thank_you_page_and_emails() {
		Comeback_Cart_Capture::register_block_field();
		$field = $GLOBALS['comeback_test_checkout_fields'][ Comeback_Cart_Capture::FIELD ];
		// WooCommerce lists a field on the thank-you page and in emails unless this is false.
		$this->assertFalse( $field['show_in_order_confirmation'] );
	}

	/** The order screen, under the billing address, as WooCommerce's order data meta box prints it. */
	private static function order_screen( WC_Order $order ) {
		ob_start();
		do_action( 'woocommerce_admin_order_data_after_billing_address', $order );
		return ob_get_clean();
	}

	public function test_the_order_screen_shows_the_block_checkout_answer() {
		// WooCommerce keeps a contact field's value under _wc_other/<id> (CheckoutFields::persist_field_for_order()).
		$agreed = new WC_Order( array( 'meta' => array( '_wc_other/comeback/cart-reminders' => '1' ) ) );
		$this->assertStringContainsString( '<strong>Cart reminders:</strong> agreed</p>', self::order_screen( $agreed ) );
		$declined = new WC_Order( array( 'meta' => array( '_wc_other/comeback/cart-reminders' => '' ) ) );
		$this->assertStringContainsString( '<strong>Cart reminders:</strong> not agreed</p>', self::order_screen( $declined ) );
		$never = new WC_Order( array() );
		$this->assertStringContainsString( '<strong>Cart reminders:</strong> not agreed</p>', self::order_screen( $never ) );
	}

	public function test_the_classic_checkout_records_the_answer_on_the_order_it_places() {
		$_POST  = array( 'comeback_cart_reminders' => '1' );
		$ticked = new WC_Order( array() );
		do_action( 'woocommerce_checkout_create_order', $ticked, array() );
		$_POST    = array();
		$unticked = new WC_Order( array() );
		do_action( 'woocommerce_checkout_create_order', $unticked, array() );
		$this->assertSame( array( 'yes', 'no' ), array( $ticked->get_meta( '_comeback_cart_reminders' ), $unticked->get_meta( '_comeback_cart_reminders' ) ) );
		$this->assertStringContainsString( '<strong>Cart reminders:</strong> agreed</p>', self::order_screen( $ticked ) );
		$this->assertStringContainsString( '<strong>Cart reminders:</strong> not agreed</p>', self::order_screen( $unticked ) );
	}

	public function test_the_settings_field_saves_the_wording_sanitised_and_shows_it_escaped() {
		wp_set_current_user( 1 );
		$_POST = array( Comeback_WC_Settings::CONSENT_FIELD => "  <b>Remind me</b> about my cart &\n \"deals\" <script>alert(1)</script> " );
		do_action( 'woocommerce_update_options_advanced_comeback' );
		$this->assertSame( 'Remind me about my cart & "deals"', get_option( Comeback_Options::CART_CONSENT_TEXT ) );

		ob_start();
		do_action( 'woocommerce_admin_field_comeback_consent_text', array( 'title' => 'Cart reminder checkbox' ) );
		$html = ob_get_clean();
		$this->assertStringContainsString( 'value="Remind me about my cart &amp; &quot;deals&quot;"', $html );
		$this->assertStringNotContainsString( '<script>', $html );

		$this->fill_cart();
		$this->classic_post( array( 'consent' => '1', 'email' => 'ada@example.com' ) );
		$this->assertSame( 'Remind me about my cart & "deals"', $this->run_queue()[0]['consent']['text'], 'the consent carries the wording as shown' );

		$_POST = array( Comeback_WC_Settings::CONSENT_FIELD => '' );
		do_action( 'woocommerce_update_options_advanced_comeback' );
		$this->assertSame( 'Send me a reminder about my cart by email or text message', Comeback_Options::cart_consent_text(), 'empty brings back the default' );
	}

	public function test_a_cart_link_rebuilds_the_cart_on_a_new_device_and_leads_to_the_checkout() {
		$ref = 'cartLinkRef0123456789';
		// Another device: no session cookie yet, something else in the cart.
		WC()->session = new WC_Session_Handler( 't_phone', false );
		WC()->cart->add_to_cart( 30, 1, 31, array( 'attribute_pa_size' => 'L' ) );
		$this->answers[ 'GET /api/carts/' . $ref ] = array(
			200,
			array(
				'items'     => array(
					array( 'productId' => 12, 'variationId' => 0, 'quantity' => 5 ),
					array( 'productId' => 30, 'variationId' => 31, 'quantity' => 1, 'variation' => array( 'attribute_pa_size' => 'L' ) ),
					array( 'productId' => 40, 'variationId' => 0, 'quantity' => 1 ),
				),
				'email'     => 'ada@example.com',
				'firstName' => 'Ada',
				'phone'     => '+48 601 234 567',
				'country'   => 'PL',
			),
		);

		$this->assertSame( wc_get_checkout_url(), Comeback_Resume_Links::answer( self::cart_link( $ref ) ) );

		$items = array_values( WC()->cart->get_cart() );
		$this->assertSame( array( array( 12, 3 ), array( 30, 1 ) ), array_map( null, array_column( $items, 'product_id' ), array_column( $items, 'quantity' ) ), 'the mug as many as are in stock; the lamp left out' );
		$this->assertSame( array( 'attribute_pa_size' => 'L' ), $items[1]['variation'] );
		$notices = WC()->session->get( 'wc_notices' );
		$this->assertStringContainsString( 'Old lamp', $notices['notice'][0]['notice'] );
		$this->assertSame( array( 'ada@example.com', 'Ada', '+48 601 234 567', 'PL' ), array( WC()->customer->get_billing_email(), WC()->customer->get_billing_first_name(), WC()->customer->get_billing_phone(), WC()->customer->get_billing_country() ) );
		$this->assertTrue( WC()->session->has_session(), 'the rebuilt cart stays with the new device' );

		$request = $this->requests[0];
		$this->assertSame( 'GET /api/carts/' . $ref, $request['method'] . ' ' . $request['path'] );
		$this->assertSame( 5, $request['timeout'], 'the shopper waits for this one: briefly' );
		preg_match( '/^t=(\d+),n=([0-9a-f]{16}),v1=/', $request['headers']['x-comeback-signature'], $m );
		$this->assertSame( Comeback_Sidecar_Client::sign( self::SECRET, 'plugin-to-sidecar', 'GET', '/api/carts/' . $ref, '', (int) $m[1], $m[2] ), $request['headers']['x-comeback-signature'] );
		$reports = array();
		foreach ( (array) _get_cron_array() as $hooks ) {
			foreach ( $hooks[ Comeback_Resume_Links::REPORT_HOOK ] ?? array() as $event ) {
				$reports[] = $event['args'][0];
			}
		}
		$this->assertSame( array( $ref ), $reports, 'the click is reported later, as for payment links' );
	}

	public function test_a_signed_in_customers_details_are_not_replaced_by_a_links() {
		wp_set_current_user( 1 );
		WC()->customer = new WC_Customer( array( 'email' => 'admin@example.test' ) );
		$this->answers['GET /api/carts/cartLinkRef0123456789'] = array( 200, array( 'items' => array( array( 'productId' => 12, 'quantity' => 1 ) ), 'email' => 'ada@example.com' ) );
		$this->assertSame( wc_get_checkout_url(), Comeback_Resume_Links::answer( self::cart_link( 'cartLinkRef0123456789' ) ) );
		$this->assertSame( 'admin@example.test', WC()->customer->get_billing_email() );
	}

	public function test_expired_tampered_and_unknown_cart_links_get_a_readable_page() {
		$stop    = function ( $token ) {
			try {
				Comeback_Resume_Links::answer( $token );
			} catch ( Comeback_Test_Stop $stop ) {
				return $stop;
			}
			$this->fail( 'the link was followed' );
		};
		$expired = $stop( self::cart_link( 'cartLinkRef0123456789', -1 ) );
		$this->assertSame( 410, $expired->status );
		$this->assertStringContainsString( 'expired', $expired->getMessage() );
		$this->assertSame( 400, $stop( self::cart_link( 'cartLinkRef0123456789', 3600, 'another-shops-secret-123456' ) )->status );
		$this->assertSame( array(), $this->requests, 'the sidecar is not asked about links that are not valid' );

		$unknown = $stop( self::cart_link( 'cartLinkRef0123456789' ) );
		$this->assertSame( 404, $unknown->status );
		$this->assertStringContainsString( 'could not find this cart', $unknown->getMessage() );
	}

	public function test_an_unreachable_sidecar_leads_to_the_cart_page_with_a_notice() {
		WC()->cart->add_to_cart( 12, 1 );
		$this->answers['GET /api/carts/cartLinkRef0123456789'] = new WP_Error( 'http_request_failed', 'cURL error 28: Operation timed out' );
		$this->assertSame( wc_get_cart_url(), Comeback_Resume_Links::answer( self::cart_link( 'cartLinkRef0123456789' ) ) );
		$this->assertCount( 1, WC()->session->get( 'wc_notices' )['error'] );
		$this->assertCount( 1, WC()->cart->get_cart(), 'the cart the shopper had is kept' );
	}
}
