<?php
/**
 * Marketing opt-ins at checkout: one optional, unticked box per channel the merchant offers, in
 * their wording, at the classic and the block checkout; once the order is placed, the ticked ones
 * reach the sidecar's POST /api/consents (signed, from the queue) as marketing grants with source
 * checkout, the wording, the order's IP and the customer's user id. The sidecar is faked at the
 * HTTP edge (pre_http_request), answering its consent contract.
 */
class MarketingOptinsTest extends PHPUnit\Framework\TestCase {

	private const SIDECAR = 'https://sidecar.example.test';
	private const SECRET  = 'optin-test-shared-secret-0123456789';

	use Comeback_Test_Sidecar_Edge;

	public function setUp(): void {
		$this->connect_fake_sidecar();
		foreach ( array( 501, 502 ) as $order_id ) {
			delete_transient( 'comeback_optins_' . $order_id );
		}
		foreach ( array_merge( array( Comeback_Options::MARKETING_CHANNELS ), array_map( array( $this, 'text_option' ), Comeback_Options::CHANNELS ) ) as $option ) {
			delete_option( $option );
		}
		$GLOBALS['comeback_test_checkout_fields'] = array();
		_set_cron_array( array() );
		$this->answers = array(
			'POST /api/consents' => array( 200, array( 'results' => array( array( 'outcome' => 'recorded' ), array( 'outcome' => 'recorded' ) ) ) ),
		);
	}

	public function tearDown(): void {
		$this->disconnect_fake_sidecar();
		$_POST = array();
	}

	public function text_option( $channel ) {
		return Comeback_Options::MARKETING_TEXT . $channel;
	}

	/** The consent sends waiting in WP-Cron: [ timestamp, args ]. */
	private static function queued() {
		$queued = array();
		foreach ( (array) _get_cron_array() as $timestamp => $hooks ) {
			foreach ( $hooks[ Comeback_Consents::SEND_HOOK ] ?? array() as $event ) {
				$queued[] = array( $timestamp, $event['args'] );
			}
		}
		return $queued;
	}

	/** Runs the due consent sends as WP-Cron would; the changes the sidecar received. */
	private function run_queue( $until = null ) {
		$before = count( $this->requests );
		foreach ( self::queued() as list( $timestamp, $args ) ) {
			if ( $timestamp <= ( $until ?? time() ) ) {
				wp_unschedule_event( $timestamp, Comeback_Consents::SEND_HOOK, $args );
				Comeback_Consents::send( ...$args );
			}
		}
		return array_map(
			function ( $request ) {
				$this->assertSame( 'POST /api/consents', $request['method'] . ' ' . $request['path'] );
				return json_decode( $request['body'], true )['changes'];
			},
			array_slice( $this->requests, $before )
		);
	}

	private static function classic_checkout_html() {
		ob_start();
		do_action( 'woocommerce_after_checkout_billing_form', null );
		return ob_get_clean();
	}

	/** The classic checkout placing an order with these fields posted, as WC_Checkout::process_checkout() runs the hooks. */
	private static function place_classic_order( array $posted, array $order_data ) {
		$_POST = $posted;
		$order = new WC_Order( $order_data );
		do_action( 'woocommerce_checkout_create_order', $order, array() );
		do_action( 'woocommerce_checkout_order_processed', $order->get_id(), array(), $order );
		$_POST = array();
		return $order;
	}

	private static function ada_order( array $more = array() ) {
		return $more + array(
			'id'                  => 501,
			'customer_id'         => 7,
			'customer_ip_address' => '203.0.113.9',
			'billing'             => array( 'email' => 'ada@example.com', 'phone' => '+48 601 234 567', 'first_name' => 'Ada' ),
		);
	}

	public function test_by_default_one_unticked_email_box_in_the_shops_name_apart_from_the_cart_box() {
		$html = self::classic_checkout_html();
		$this->assertStringContainsString( 'name="comeback_marketing_email"', $html );
		$this->assertStringContainsString( 'Email me offers and news from Comeback Test Shop', $html );
		$this->assertStringNotContainsString( 'comeback_marketing_sms', $html );
		$this->assertStringNotContainsString( 'checked', $html );
		$this->assertStringContainsString( 'name="comeback_cart_reminders"', $html, 'the cart-reminder box stays, a box of its own' );
		$this->assertLessThan( strpos( $html, 'comeback_marketing_email' ), strpos( $html, 'comeback_cart_reminders' ) );

		Comeback_Marketing_Optins::register_block_fields();
		$this->assertSame( array( 'comeback/marketing-email' ), array_keys( $GLOBALS['comeback_test_checkout_fields'] ) );

		$field = $GLOBALS['comeback_test_checkout_fields']['comeback/marketing-email'];
		$this->assertSame(
			array( 'order', 'checkbox', false, false, 'Email me offers and news from Comeback Test Shop' ),
			array( $field['location'], $field['type'], $field['required'], $field['show_in_order_confirmation'], $field['label'] ),
			'stored on the order only (never prefilled from the customer), not on the thank-you page or in emails'
		);

		// Not connected to a sidecar yet: no agreement is asked for that could not be kept.
		delete_option( Comeback_Options::SHARED_SECRET );
		$GLOBALS['comeback_test_checkout_fields'] = array();
		Comeback_Marketing_Optins::register_block_fields();
		$this->assertSame( array(), $GLOBALS['comeback_test_checkout_fields'] );
		$this->assertStringNotContainsString( 'comeback_marketing', self::classic_checkout_html() );
	}

	public function test_the_merchant_offers_each_channel_in_their_own_wording_saved_sanitised() {
		wp_set_current_user( 1 );
		$_POST = array(
			Comeback_Options::MARKETING_CHANNELS => array( 'sms', 'whatsapp', 'fax' ),
			'comeback_marketing_text_email'      => '',
			'comeback_marketing_text_sms'        => 'Texts about <b>deals</b> & "drops"',
			'comeback_marketing_text_whatsapp'   => '',
		);
		do_action( 'woocommerce_update_options_advanced_comeback' );
		wp_set_current_user( 0 );
		$this->assertSame( array( 'sms', 'whatsapp' ), Comeback_Options::marketing_channels() );

		$html = self::classic_checkout_html();
		$this->assertStringNotContainsString( 'comeback_marketing_email', $html );
		$this->assertStringContainsString( '<span>Texts about deals &amp; &quot;drops&quot;</span>', $html );
		$this->assertStringContainsString( '<span>Send me offers and news from Comeback Test Shop on WhatsApp</span>', $html );
		$this->assertStringNotContainsString( 'checked', $html );

		Comeback_Marketing_Optins::register_block_fields();
		$this->assertSame( array( 'comeback/marketing-sms', 'comeback/marketing-whatsapp' ), array_keys( $GLOBALS['comeback_test_checkout_fields'] ) );
		$this->assertSame( 'Texts about deals & "drops"', $GLOBALS['comeback_test_checkout_fields']['comeback/marketing-sms']['label'] );

		ob_start();
		do_action( 'woocommerce_admin_field_comeback_marketing_optins', array( 'title' => 'Offers and news at checkout' ) );
		$form = ob_get_clean();
		$this->assertMatchesRegularExpression( '/value="sms"\s+checked=\'checked\'/', $form );
		$this->assertDoesNotMatchRegularExpression( '/value="email"\s+checked/', $form );
		$this->assertStringContainsString( 'value="Texts about deals &amp; &quot;drops&quot;"', $form );
	}

	public function test_ticked_classic_boxes_reach_the_sidecar_after_the_order_with_wording_ip_and_user() {
		update_option( Comeback_Options::MARKETING_CHANNELS, array( 'email', 'sms', 'whatsapp' ) );
		$order = self::place_classic_order(
			array( 'comeback_marketing_email' => '1', 'comeback_marketing_sms' => '1', 'comeback_cart_reminders' => '1' ),
			self::ada_order()
		);
		$this->assertSame( array(), $this->requests, 'nothing is sent while the customer waits' );
		$this->assertCount( 1, self::queued() );
		$this->assertStringNotContainsString( 'ada@', wp_json_encode( self::queued() ), 'the queue carries no address' );

		$sent = $this->run_queue();
		$this->assertCount( 1, $sent );
		$this->assertSame(
			array(
				array(
					'purpose' => 'marketing',
					'channel' => 'email',
					'address' => 'ada@example.com',
					'granted' => true,
					'text'    => 'Email me offers and news from Comeback Test Shop',
					'source'  => 'checkout',
					'userId'  => 7,
					'ip'      => '203.0.113.9',
					'locale'  => 'en_US',
				),
				array(
					'purpose' => 'marketing',
					'channel' => 'sms',
					'address' => '+48 601 234 567',
					'granted' => true,
					'text'    => 'Text me offers and news from Comeback Test Shop',
					'source'  => 'checkout',
					'userId'  => 7,
					'ip'      => '203.0.113.9',
					'locale'  => 'en_US',
				),
			),
			$sent[0]
		);
		$this->assertSignedBySecret( $this->requests[0] );
		$this->assertSame( array(), self::queued() );
		// A failed payment tried again: WooCommerce processes the same order again.
		do_action( 'woocommerce_checkout_order_processed', $order->get_id(), array(), $order );
		$this->assertSame( array(), $this->run_queue(), 'sent once' );

		ob_start();
		do_action( 'woocommerce_admin_order_data_after_billing_address', $order );
		$this->assertStringContainsString( '<strong>Offers and news:</strong> email, text message</p>', ob_get_clean() );
	}

	public function test_unticked_boxes_send_nothing_and_a_guest_order_carries_no_user() {
		self::place_classic_order( array( 'comeback_cart_reminders' => '1' ), self::ada_order() );
		$this->assertSame( array(), self::queued(), 'the cart-reminder box is no marketing consent' );

		update_option( Comeback_Options::MARKETING_CHANNELS, array( 'email', 'sms' ) );
		self::place_classic_order(
			array( 'comeback_marketing_sms' => '1' ),
			array(
				'id'      => 502,
				'billing' => array( 'email' => 'guest@example.com' ),
			)
		);
		$this->assertSame( array(), $this->run_queue(), 'SMS ticked without a phone number: nothing to agree for' );

		self::place_classic_order( array( 'comeback_marketing_email' => '1' ), array( 'billing' => array( 'email' => 'guest@example.com' ) ) );
		$sent = $this->run_queue();
		$this->assertSame( array( 'marketing', 'email', 'guest@example.com', 'checkout' ), array( $sent[0][0]['purpose'], $sent[0][0]['channel'], $sent[0][0]['address'], $sent[0][0]['source'] ) );
		$this->assertArrayNotHasKey( 'userId', $sent[0][0] );
		$this->assertArrayNotHasKey( 'ip', $sent[0][0] );
	}

	public function test_the_block_checkout_fields_woocommerce_stored_on_the_order_are_read_when_it_is_processed() {
		update_option( Comeback_Options::MARKETING_CHANNELS, array( 'email', 'whatsapp' ) );
		// CheckoutFields::set_array_meta() keeps a checkbox as '1' or '0' under _wc_other/<id>.
		$order = new WC_Order(
			self::ada_order(
				array(
					'meta' => array(
						'_wc_other/comeback/marketing-email'    => '0',
						'_wc_other/comeback/marketing-whatsapp' => '1',
						'_wc_other/comeback/marketing-sms'      => '1', // no longer offered: not read
					),
				)
			)
		);
		do_action( 'woocommerce_store_api_checkout_order_processed', $order );
		$sent = $this->run_queue();
		$this->assertCount( 1, $sent[0] );
		$this->assertSame(
			array( 'marketing', 'whatsapp', '+48 601 234 567', true, 'Send me offers and news from Comeback Test Shop on WhatsApp', 'checkout', 7, '203.0.113.9', 'en_US' ),
			array_values( $sent[0][0] )
		);
	}

	public function test_a_sidecar_that_cannot_be_reached_gets_the_consent_later_nothing_lost() {
		$this->answers['POST /api/consents'] = new WP_Error( 'http_request_failed', 'cURL error 7: Failed to connect' );
		self::place_classic_order( array( 'comeback_marketing_email' => '1' ), self::ada_order() );
		$this->run_queue();
		$retry = self::queued();
		$this->assertCount( 1, $retry, 'tried again later' );
		$this->assertGreaterThan( time() + 4 * MINUTE_IN_SECONDS, $retry[0][0] );

		$this->answers['POST /api/consents'] = array( 200, array( 'results' => array( array( 'outcome' => 'recorded' ) ) ) );
		$sent                                = $this->run_queue( $retry[0][0] );
		$this->assertSame( 'ada@example.com', $sent[0][0]['address'] );
		$this->assertSame( array(), self::queued() );
	}
}
