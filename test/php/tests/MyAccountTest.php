<?php
/**
 * My Account → Communication preferences: the endpoint WooCommerce registers for it, the page
 * showing what the sidecar holds for the signed-in customer's own addresses, a change posted with
 * source my-account, the nonce and sign-in required, and a sidecar that is down: a clear message,
 * the change queued. The sidecar is faked at the HTTP edge, answering its consent contract.
 */
class MyAccountTest extends PHPUnit\Framework\TestCase {

	use Comeback_Test_Sidecar_Edge;

	private const SIDECAR = 'https://sidecar.example.test';
	private const SECRET  = 'account-test-shared-secret-0123456789';

	/** @var int */
	private $ada;

	public function setUp(): void {
		$this->connect_fake_sidecar();
		add_filter( 'wp_die_handler', array( $this, 'die_handler' ) );
		add_filter( 'wp_redirect', array( $this, 'stop_redirect' ), 10, 2 );
		_set_cron_array( array() );
		$login     = 'ada' . wp_rand();
		$this->ada = wp_insert_user(
			array(
				'user_login' => $login,
				'user_pass'  => 'pw-pw-pw-pw',
				'user_email' => $login . '@account.example',
				'role'       => 'subscriber',
			)
		);
		update_user_meta( $this->ada, 'billing_email', 'ada@example.com' );
		update_user_meta( $this->ada, 'billing_phone', '+48 601 234 567' );
		wp_set_current_user( $this->ada );
		$_SERVER['REMOTE_ADDR'] = '203.0.113.5';
		$this->answers          = array(
			'GET /api/consents'  => array(
				200,
				array(
					'current' => array(
						array( 'purpose' => 'order', 'channel' => 'email', 'address' => 'ada@example.com', 'state' => 'granted', 'source' => 'checkout', 'at' => '2026-01-02T10:00:00Z', 'canGrant' => true ),
						array( 'purpose' => 'marketing', 'channel' => 'email', 'address' => 'ada@example.com', 'state' => 'granted', 'source' => 'checkout', 'at' => '2026-01-02T10:00:00Z', 'canGrant' => true ),
						array( 'purpose' => 'cart', 'channel' => 'sms', 'address' => '+48601234567', 'state' => 'withdrawn', 'source' => 'keyword', 'at' => '2026-01-03T10:00:00Z', 'canGrant' => true ),
						array( 'purpose' => 'marketing', 'channel' => 'whatsapp', 'address' => '+48601234567', 'state' => 'none', 'source' => '', 'at' => null, 'canGrant' => false, 'why' => 'WhatsApp is not offered by this shop.' ),
					),
					'history' => array(),
				),
			),
			'POST /api/consents' => array( 200, array( 'results' => array( array( 'outcome' => 'recorded' ), array( 'outcome' => 'pending-confirmation' ) ) ) ),
		);
	}

	public function tearDown(): void {
		$this->disconnect_fake_sidecar();
		remove_filter( 'wp_die_handler', array( $this, 'die_handler' ) );
		remove_filter( 'wp_redirect', array( $this, 'stop_redirect' ), 10 );
		wp_set_current_user( 0 );
		$_POST   = array();
		$_SERVER = array_diff_key( $_SERVER, array( 'REQUEST_METHOD' => true, 'REMOTE_ADDR' => true ) );
	}

	public function die_handler() {
		return function ( $message, $title = '', $args = array() ) {
			throw new Comeback_Test_Stop( is_string( $message ) ? $message : 'died', (int) ( $args['response'] ?? 500 ) );
		};
	}

	public function stop_redirect( $location, $status ) {
		throw new Comeback_Test_Stop( 'redirect', $status, $location );
	}

	private static function page() {
		ob_start();
		do_action( 'woocommerce_account_' . Comeback_My_Account::ENDPOINT . '_endpoint', '' );
		return ob_get_clean();
	}

	/** The page's form posted as the browser would: the radios as shown, overridden by $choices. */
	private function submit( array $choices, $nonce = null ) {
		preg_match_all( '/name="shown\[(\w+)\]\[(\w+)\]" value="(\w+)"/', self::page(), $m, PREG_SET_ORDER );
		$post = array(
			'comeback_action' => Comeback_My_Account::SAVE,
			'_wpnonce'        => $nonce ?? wp_create_nonce( Comeback_My_Account::SAVE ),
		);
		foreach ( $m as list( , $purpose, $channel, $shown ) ) {
			$post['shown'][ $purpose ][ $channel ] = $shown;
			if ( 'unknown' !== $shown ) {
				$post['choice'][ $purpose ][ $channel ] = $shown;
			}
		}
		$_POST                     = array_replace_recursive( $post, $choices );
		$_SERVER['REQUEST_METHOD'] = 'POST';
		$this->requests            = array();
		$this->assertSame( 10, has_action( 'template_redirect', array( 'Comeback_My_Account', 'save' ) ) );
		try {
			Comeback_My_Account::save();
		} catch ( Comeback_Test_Stop $stop ) {
			return $stop;
		}
		$this->fail( 'the form was not answered' );
	}

	private function posted_changes() {
		$posts = array_values( wp_list_filter( $this->requests, array( 'method' => 'POST' ) ) );
		return array_map(
			function ( $request ) {
				$this->assertSame( '/api/consents', $request['path'] );
				$this->assertSignedBySecret( $request );
				return json_decode( $request['body'], true )['changes'];
			},
			$posts
		);
	}

	public function test_the_page_is_a_woocommerce_account_endpoint_with_a_menu_item_before_log_out() {
		global $wp_rewrite;
		$this->assertContains( Comeback_My_Account::ENDPOINT, array_column( $wp_rewrite->endpoints, 1 ), 'registered with add_rewrite_endpoint() by WooCommerce on init' );
		// The rules are flushed once for a new endpoint (after WooCommerce added it on init), not on every request.
		$this->assertSame( 99, has_action( 'init', array( 'Comeback_My_Account', 'flush_rules_once' ) ) );
		// Deactivating forgets them, so that activating again flushes them again.
		Comeback_Registration::on_deactivation();
		$this->assertFalse( get_option( Comeback_Options::REWRITE_ENDPOINTS ) );
		$flushed = 0;
		$count   = function ( $rules ) use ( &$flushed ) {
			++$flushed;
			return $rules;
		};
		add_filter( 'rewrite_rules_array', $count );
		update_option( 'permalink_structure', '/%postname%/' );
		$endpoints = $wp_rewrite->endpoints;
		$wp_rewrite->init(); // (which forgets the endpoints registered on init)
		$wp_rewrite->endpoints = $endpoints;
		Comeback_My_Account::flush_rules_once();
		Comeback_My_Account::flush_rules_once();
		$this->assertSame( 1, $flushed );
		$this->assertNotEmpty( preg_grep( '#/communication-preferences\(#', array_keys( get_option( 'rewrite_rules' ) ) ), 'a rule for pages ending in the endpoint' );
		remove_filter( 'rewrite_rules_array', $count );
		update_option( 'permalink_structure', '' );
		$wp_rewrite->init();
		$wp_rewrite->endpoints = $endpoints;
		$this->assertSame( array( 'dashboard', 'orders', 'edit-account', 'communication-preferences', 'customer-logout' ), array_keys( wc_get_account_menu_items() ) );
		$this->assertSame( 'Communication preferences', wc_get_account_menu_items()['communication-preferences'] );
		$this->assertSame( home_url( '/my-account/communication-preferences' ), untrailingslashit( Comeback_My_Account::url() ) );
	}

	public function test_a_signed_request_with_a_query_is_accepted_by_a_real_sidecar_as_sent() {
		// GET /api/consents?email=&phone= is signed over its path and query: the sidecar checks the
		// signature over the URL as it arrived (req.originalUrl), so what WordPress sends must be
		// what was signed. A real sidecar (test/php/php.test.ts) answers a signed query here.
		$real   = new Comeback_Sidecar_Client( getenv( 'COMEBACK_TEST_SIDECAR_URL' ), getenv( 'COMEBACK_TEST_SHARED_SECRET' ), home_url() );
		$answer = $real->request( 'GET', '/api/customers?' . http_build_query( array( 'tag' => 'vip club+', 'page' => '1' ), '', '&', PHP_QUERY_RFC3986 ) );
		$this->assertSame( 200, $answer['status'], wp_json_encode( $answer['body'] ) );
	}

	public function test_the_page_shows_what_the_sidecar_holds_for_the_customers_own_addresses() {
		$html = self::page();
		$get  = $this->requests[0];
		$this->assertSame( 'GET', $get['method'] );
		$this->assertSame( '/api/consents?email=ada%40example.com&phone=%2B48%20601%20234%20567', $get['path'], 'the billing email and phone of the signed-in customer' );
		$this->assertSignedBySecret( $get );

		$this->assertMatchesRegularExpression( '/name="choice\[marketing\]\[email\]" value="yes"\s+checked=\'checked\'/', $html );
		$this->assertMatchesRegularExpression( '/name="choice\[cart\]\[sms\]" value="no"\s+checked=\'checked\'/', $html );
		$this->assertMatchesRegularExpression( '/name="choice\[cart\]\[email\]" value="no"\s+checked=\'checked\'/', $html, 'never asked: no' );
		$this->assertMatchesRegularExpression( '/name="choice\[marketing\]\[whatsapp\]" value="yes"\s+disabled=\'disabled\'/', $html );
		$this->assertStringContainsString( 'WhatsApp is not offered by this shop.', $html );
		$this->assertStringContainsString( 'Email me offers and news from Comeback Test Shop', $html );
		$this->assertStringContainsString( 'Messages about your orders', $html, 'order messages explained, not switched' );
		$this->assertStringNotContainsString( 'choice[order]', $html );
		$this->assertStringContainsString( '<ul class="comeback-order-messages"><li>Email: on</li></ul>', $html, 'shown as information' );
		$this->assertStringContainsString( 'name="_wpnonce"', $html );
	}

	public function test_a_change_is_posted_as_the_customers_own_from_my_account_and_the_outcome_told_plainly() {
		$stop = $this->submit(
			array(
				'choice' => array(
					'marketing' => array( 'email' => 'no' ),
					'cart'      => array( 'email' => 'yes' ),
				),
				// Someone else's address or user in the form is never read.
				'email'  => 'grace@example.com',
				'userId' => 1,
			)
		);
		$this->assertSame( 'redirect', $stop->getMessage() );
		$this->assertSame( Comeback_My_Account::url(), $stop->location );
		$this->assertSame(
			array(
				array(
					array(
						'purpose' => 'cart',
						'channel' => 'email',
						'address' => 'ada@example.com',
						'granted' => true,
						'text'    => 'Remind me by email about a cart I left',
						'source'  => 'my-account',
						'userId'  => $this->ada,
						'ip'      => '203.0.113.5',
						'locale'  => 'en_US',
					),
					array(
						'purpose' => 'marketing',
						'channel' => 'email',
						'address' => 'ada@example.com',
						'granted' => false,
						'text'    => 'Email me offers and news from Comeback Test Shop',
						'source'  => 'my-account',
						'userId'  => $this->ada,
						'ip'      => '203.0.113.5',
						'locale'  => 'en_US',
					),
				),
			),
			$this->posted_changes(),
			'only what changed, for the signed-in customer'
		);

		$html = self::page();
		$this->assertStringContainsString( 'Your communication preferences were saved.', $html );
		$this->assertStringContainsString( 'we sent an email to ada@example.com. Open the link in it to confirm', $html );
	}

	public function test_a_refusal_is_shown_with_its_reason() {
		$this->answers['POST /api/consents'] = array( 200, array( 'results' => array( array( 'outcome' => 'refused', 'reason' => 'This number has no WhatsApp <b>account</b>.' ) ) ) );
		$this->submit( array( 'choice' => array( 'cart' => array( 'whatsapp' => 'yes' ) ) ) );
		$html = self::page();
		$this->assertStringContainsString( 'Not changed — WhatsApp: Remind me on WhatsApp about a cart I left: This number has no WhatsApp &lt;b&gt;account&lt;/b&gt;.', $html );
		$this->assertStringNotContainsString( 'were saved', $html );
	}

	public function test_without_the_nonce_or_signed_out_nothing_is_changed() {
		$stop = $this->submit( array( 'choice' => array( 'marketing' => array( 'email' => 'no' ) ) ), 'forged' );
		$this->assertSame( 403, $stop->status );
		$this->assertSame( array(), $this->posted_changes() );

		// Another user's nonce does not work for this one.
		wp_set_current_user( 1 );
		$admins = wp_create_nonce( Comeback_My_Account::SAVE );
		wp_set_current_user( $this->ada );
		$this->assertSame( 403, $this->submit( array( 'choice' => array( 'marketing' => array( 'email' => 'no' ) ) ), $admins )->status );

		wp_set_current_user( 0 );
		$_POST                     = array( 'comeback_action' => Comeback_My_Account::SAVE, 'choice' => array( 'marketing' => array( 'email' => 'no' ) ) );
		$_SERVER['REQUEST_METHOD'] = 'POST';
		try {
			Comeback_My_Account::save();
			$this->fail( 'a signed-out visitor was answered' );
		} catch ( Comeback_Test_Stop $stop ) {
			$this->assertSame( 403, $stop->status );
		}
		$this->assertSame( '', self::page(), 'nothing shown to a signed-out visitor' );
		$this->assertSame( array(), $this->posted_changes() );
	}

	public function test_with_the_sidecar_down_the_page_says_so_and_a_choice_is_kept_until_it_answers() {
		$down                                = new WP_Error( 'http_request_failed', 'cURL error 7: Failed to connect' );
		$this->answers['GET /api/consents']  = $down;
		$this->answers['POST /api/consents'] = $down;
		$html                                = self::page();
		$this->assertStringContainsString( 'Your current choices cannot be shown right now', $html );
		$this->assertDoesNotMatchRegularExpression( '/checked=/', $html, 'no state is made up' );

		$this->submit( array( 'choice' => array( 'marketing' => array( 'sms' => 'no' ) ) ) );
		$this->assertStringContainsString( 'Your choices are saved. Our messaging service is not answering right now', self::page() );

		$this->answers['POST /api/consents'] = array( 200, array( 'results' => array( array( 'outcome' => 'recorded' ) ) ) );
		$this->requests                      = array();
		foreach ( (array) _get_cron_array() as $timestamp => $hooks ) {
			foreach ( $hooks[ Comeback_Consents::SEND_HOOK ] ?? array() as $event ) {
				wp_unschedule_event( $timestamp, Comeback_Consents::SEND_HOOK, $event['args'] );
				Comeback_Consents::send( ...$event['args'] );
			}
		}
		$sent = $this->posted_changes();
		$this->assertSame( array( 'marketing', 'sms', '+48 601 234 567', false, 'my-account', $this->ada ), array( $sent[0][0]['purpose'], $sent[0][0]['channel'], $sent[0][0]['address'], $sent[0][0]['granted'], $sent[0][0]['source'], $sent[0][0]['userId'] ) );
	}
}
