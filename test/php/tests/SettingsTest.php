<?php
/**
 * WooCommerce → Comeback, the settings form: nonce and capability first, values sanitised, the
 * reminder saved through a real sidecar (started by test/php/php.test.ts, real HTTP over loopback)
 * whose validation errors reach the merchant with field, line and column.
 */
class SettingsTest extends PHPUnit\Framework\TestCase {

	public function setUp(): void {
		// wp_die() and redirects end a request; in a test they become exceptions to assert on.
		add_filter( 'wp_die_handler', array( $this, 'die_handler' ) );
		add_filter( 'wp_redirect', array( $this, 'stop_redirect' ), 10, 2 );
		update_option( Comeback_Options::SIDECAR_URL, getenv( 'COMEBACK_TEST_SIDECAR_URL' ) );
		update_option( Comeback_Options::SHARED_SECRET, getenv( 'COMEBACK_TEST_SHARED_SECRET' ) );
		wp_set_current_user( 1 );
	}

	public function tearDown(): void {
		remove_filter( 'wp_die_handler', array( $this, 'die_handler' ) );
		remove_filter( 'wp_redirect', array( $this, 'stop_redirect' ), 10 );
		$_POST    = array();
		$_REQUEST = array();
	}

	public function die_handler() {
		return function ( $message, $title = '', $args = array() ) {
			throw new Comeback_Test_Stop( is_string( $message ) ? $message : 'died', (int) ( $args['response'] ?? 500 ) );
		};
	}

	public function stop_redirect( $location, $status ) {
		throw new Comeback_Test_Stop( 'redirect', $status, $location );
	}

	private function post( array $fields, $nonce_action = Comeback_Settings::SAVE ) {
		$_POST    = $fields + array( '_wpnonce' => wp_create_nonce( $nonce_action ) );
		$_REQUEST = $_POST;
		try {
			Comeback_Settings::save();
		} catch ( Comeback_Test_Stop $stop ) {
			return $stop;
		}
		$this->fail( 'the handler neither redirected nor stopped' );
	}

	private function valid_form( array $overrides = array() ) {
		return $overrides + array(
			'sidecar_url'   => getenv( 'COMEBACK_TEST_SIDECAR_URL' ),
			'shared_secret' => '',
			'enabled'       => '1',
			'delay_value'   => '2',
			'delay_unit'    => 'hours',
			'subject'       => 'Order [order_number] <b>is waiting</b>',
			'online_body'   => "Hello [customer_first_name],\n\npay here: [payment_link text=\"Pay now\"]<script>x</script>",
			'offline_body'  => "Your order [order_number] ([order_total]) is waiting for payment by [payment_method].\n[payment_instructions]",
		);
	}

	/** What deleting the plugin does with the shop's data in the sidecar (Comeback_Uninstall sends it). */
	public function test_the_merchant_chooses_whether_deleting_the_plugin_keeps_or_erases_the_shops_data() {
		$this->assertSame( 'keep', Comeback_Options::uninstall_data(), 'kept unless the merchant chose otherwise' );
		try {
			$this->assertMatchesRegularExpression( '/name="uninstall_data" type="radio" value="keep"\s+checked=\'checked\'/', $this->render_page() );
			$this->assertSame( 'redirect', $this->post( array( 'uninstall_data' => 'erase', 'sidecar_url' => getenv( 'COMEBACK_TEST_SIDECAR_URL' ) ) )->getMessage() );
			$this->assertSame( 'erase', get_option( Comeback_Options::UNINSTALL_DATA ) );
			$this->assertMatchesRegularExpression( '/name="uninstall_data" type="radio" value="erase"\s+checked=\'checked\'/', $this->render_page() );

			$this->post( array( 'uninstall_data' => 'everything<script>', 'sidecar_url' => getenv( 'COMEBACK_TEST_SIDECAR_URL' ) ) );
			$this->assertSame( 'keep', get_option( Comeback_Options::UNINSTALL_DATA ), 'anything but erase keeps' );

			// A user who may not manage WooCommerce changes nothing.
			comeback_test_sign_in_subscriber();
			$this->assertSame( 403, $this->post( array( 'uninstall_data' => 'erase', 'sidecar_url' => getenv( 'COMEBACK_TEST_SIDECAR_URL' ) ) )->status );
			$this->assertSame( 'keep', get_option( Comeback_Options::UNINSTALL_DATA ) );
		} finally {
			delete_option( Comeback_Options::UNINSTALL_DATA );
		}
	}

	public function test_a_bad_nonce_is_refused_and_nothing_changes() {
		update_option( Comeback_Options::SIDECAR_URL, 'http://127.0.0.1:1' );
		$_POST    = $this->valid_form( array( 'sidecar_url' => 'http://changed.example', '_wpnonce' => 'not-a-nonce' ) );
		$_REQUEST = $_POST;
		try {
			Comeback_Settings::save();
			$this->fail( 'saved with a bad nonce' );
		} catch ( Comeback_Test_Stop $stop ) {
			$this->assertSame( 403, $stop->status );
		}
		$this->assertSame( 'http://127.0.0.1:1', Comeback_Options::sidecar_url() );
	}

	/** Signed requests and the shop's data never cross the network in plain http; http to this machine is for development. */
	public function test_a_plain_http_sidecar_url_off_this_machine_is_refused_with_a_plain_message() {
		foreach ( array( 'http://sidecar.example.com', 'http://10.0.0.5:8787', 'http://127.example.com' ) as $insecure ) {
			$this->post( array( 'sidecar_url' => $insecure ) );
			$notice = get_transient( Comeback_Settings::notice_key() );
			$this->assertFalse( $notice['ok'], $insecure );
			$this->assertStringContainsString( 'must start with https://', $notice['message'] );
			$this->assertSame( getenv( 'COMEBACK_TEST_SIDECAR_URL' ), Comeback_Options::sidecar_url(), "$insecure was not stored" );
		}
		// A URL stored before (an older version) sends nothing either: the client refuses it.
		$answer = ( new Comeback_Sidecar_Client( 'http://sidecar.example.com', getenv( 'COMEBACK_TEST_SHARED_SECRET' ), home_url() ) )->request( 'GET', '/api/shop/connection' );
		$this->assertInstanceOf( WP_Error::class, $answer );
		$this->assertSame( 'comeback_insecure_url', $answer->get_error_code() );

		try {
			foreach ( array( 'https://127.0.0.1:1', 'http://localhost:1', 'http://[::1]:1', getenv( 'COMEBACK_TEST_SIDECAR_URL' ) ) as $allowed ) {
				$this->post( array( 'sidecar_url' => $allowed ) );
				$this->assertSame( $allowed, Comeback_Options::sidecar_url(), "$allowed is stored" );
			}
		} finally {
			// The save writes the option without autoload; within this one PHP process WordPress's
			// in-memory alloptions would keep the value from before for later tests.
			wp_cache_delete( 'alloptions', 'options' );
		}
	}

	public function test_a_user_without_manage_woocommerce_is_refused() {
		comeback_test_sign_in_subscriber();
		$stop = $this->post( $this->valid_form( array( 'sidecar_url' => 'http://changed.example' ) ) );
		$this->assertSame( 403, $stop->status );
		$this->assertSame( getenv( 'COMEBACK_TEST_SIDECAR_URL' ), Comeback_Options::sidecar_url() );
	}

	public function test_saves_sanitised_values_and_the_reminder_through_the_sidecar() {
		$stop = $this->post( $this->valid_form( array( 'sidecar_url' => '  ' . getenv( 'COMEBACK_TEST_SIDECAR_URL' ) . '/  ', 'shared_secret' => "bad\nsecret" ) ) );
		$this->assertStringContainsString( 'page=comeback', $stop->location );
		$this->assertSame( getenv( 'COMEBACK_TEST_SIDECAR_URL' ), Comeback_Options::sidecar_url() );
		$this->assertSame( getenv( 'COMEBACK_TEST_SHARED_SECRET' ), Comeback_Options::shared_secret(), 'an invalid secret keeps the stored one' );
		$notice = get_transient( Comeback_Settings::notice_key() );
		$this->assertTrue( $notice['ok'], $notice['message'] );

		$stored = Comeback_Sidecar_Client::configured()->request( 'GET', '/api/settings/recovery' );
		$this->assertSame( 200, $stored['status'] );
		$this->assertTrue( $stored['body']['enabled'] );
		$this->assertSame( array( 'value' => 2, 'unit' => 'hours' ), $stored['body']['reminders'][0]['delay'] );
		$this->assertSame( 'Order [order_number] is waiting', $stored['body']['reminders'][0]['subject'] );
		$this->assertSame( "Hello [customer_first_name],\n\npay here: [payment_link text=\"Pay now\"]", $stored['body']['reminders'][0]['onlineBody'] );
		// From now on the sidecar mints payment links on this shop's domain.
		$this->assertSame( home_url( '/' ), Comeback_Sidecar_Client::configured()->request( 'GET', '/api/shop/connection' )['body']['linkBase'] );
	}

	/** The page as the merchant sees it (the admin UI's build moved away: the plain form of a checkout). */
	private function render_page() {
		require_once ABSPATH . 'wp-admin/includes/template.php'; // loaded on every wp-admin page
		ob_start();
		Comeback_Settings::render();
		return ob_get_clean();
	}

	/** What the browser posts from the page's save form: every field with its value, as rendered. */
	private function save_form_fields( $html ) {
		$document = new DOMDocument();
		libxml_use_internal_errors( true );
		$document->loadHTML( '<?xml encoding="utf-8"?>' . $html );
		libxml_clear_errors();
		$xpath = new DOMXPath( $document );
		$form  = $xpath->query( '//form[.//input[@name="action" and @value="' . Comeback_Settings::SAVE . '"]]' )->item( 0 );
		$this->assertNotNull( $form, 'the page has the save form' );
		$fields = array();
		foreach ( $xpath->query( './/input[@name]|.//textarea[@name]|.//select[@name]', $form ) as $field ) {
			$name = $field->getAttribute( 'name' );
			if ( 'textarea' === $field->nodeName ) {
				$fields[ $name ] = $field->textContent;
			} elseif ( 'select' === $field->nodeName ) {
				$selected        = $xpath->query( './/option[@selected]', $field )->item( 0 ) ?? $xpath->query( './/option', $field )->item( 0 );
				$fields[ $name ] = $selected ? $selected->getAttribute( 'value' ) : '';
			} elseif ( 'checkbox' !== $field->getAttribute( 'type' ) || $field->hasAttribute( 'checked' ) ) {
				$fields[ $name ] = $field->getAttribute( 'value' );
			}
		}
		return $fields;
	}

	public function test_the_first_save_stores_url_and_secret_alone_then_the_form_shows_the_sidecars_reminder() {
		$sidecar = new Comeback_Sidecar_Client( getenv( 'COMEBACK_TEST_SIDECAR_URL' ), getenv( 'COMEBACK_TEST_SHARED_SECRET' ), home_url() );
		$before  = $sidecar->request( 'GET', '/api/settings/recovery' )['body'];
		$sidecar->request( 'PUT', '/api/shop/plugin', array( 'linkBase' => null ) );
		delete_option( Comeback_Options::SIDECAR_URL );
		delete_option( Comeback_Options::SHARED_SECRET );
		$build = COMEBACK_DIR . '/admin-ui/comeback-admin.js';
		rename( $build, $build . '.away' );
		try {
			// Before connecting: no reminder fields, so no blank reminder can be posted.
			$fields = $this->save_form_fields( $this->render_page() );
			foreach ( array( 'subject', 'online_body', 'offline_body', 'enabled', 'delay_value' ) as $reminder_field ) {
				$this->assertArrayNotHasKey( $reminder_field, $fields, 'no reminder field before the sidecar answered' );
			}
			$fields['sidecar_url']   = getenv( 'COMEBACK_TEST_SIDECAR_URL' );
			$fields['shared_secret'] = getenv( 'COMEBACK_TEST_SHARED_SECRET' );
			$this->post( $fields );
			$notice = get_transient( Comeback_Settings::notice_key() );
			$this->assertTrue( $notice['ok'], $notice['message'] );
			$this->assertStringContainsString( 'The sidecar answered', $notice['message'], 'the connection was tested' );
			$this->assertSame( getenv( 'COMEBACK_TEST_SIDECAR_URL' ), Comeback_Options::sidecar_url() );
			$this->assertSame( getenv( 'COMEBACK_TEST_SHARED_SECRET' ), Comeback_Options::shared_secret() );
			$this->assertSame( $before, $sidecar->request( 'GET', '/api/settings/recovery' )['body'], 'no reminder was written' );
			$this->assertSame( home_url( '/' ), $sidecar->request( 'GET', '/api/shop/connection' )['body']['linkBase'], 'the save registered the plugin' );

			// Connected: the form shows what the sidecar holds, and saving it as shown works.
			$fields = $this->save_form_fields( $this->render_page() );
			$this->assertNotSame( '', $before['reminders'][0]['subject'] );
			$this->assertSame( $before['reminders'][0]['subject'], $fields['subject'] );
			$this->assertSame( $before['reminders'][0]['onlineBody'], $fields['online_body'] );
			$this->assertSame( $before['reminders'][0]['offlineBody'], $fields['offline_body'] );
			$fields['subject'] = 'Your order [order_number] is waiting';
			$this->post( $fields );
			$notice = get_transient( Comeback_Settings::notice_key() );
			$this->assertTrue( $notice['ok'], $notice['message'] );
			$this->assertSame( 'Your order [order_number] is waiting', $sidecar->request( 'GET', '/api/settings/recovery' )['body']['reminders'][0]['subject'] );
		} finally {
			rename( $build . '.away', $build );
			$sidecar->request( 'PUT', '/api/settings/recovery', $before );
		}
	}

	public function test_the_plain_form_edits_the_cheque_message_and_keeps_the_messages_it_does_not_show() {
		$sidecar = new Comeback_Sidecar_Client( getenv( 'COMEBACK_TEST_SIDECAR_URL' ), getenv( 'COMEBACK_TEST_SHARED_SECRET' ), home_url() );
		$before  = $sidecar->request( 'GET', '/api/settings/recovery' )['body'];
		$this->assertArrayHasKey( 'bacs', $before['reminders'][0]['offlineBodies'], 'the preset has a bank-transfer message' );
		// The shop offers cheques (WooCommerce → Payments), not bank transfer.
		$bacs_settings = get_option( 'woocommerce_bacs_settings' );
		update_option( 'woocommerce_bacs_settings', array( 'enabled' => 'no' ) );
		update_option( 'woocommerce_cheque_settings', array( 'enabled' => 'yes' ) );
		$build = COMEBACK_DIR . '/admin-ui/comeback-admin.js';
		rename( $build, $build . '.away' );
		try {
			$html   = $this->render_page();
			$fields = $this->save_form_fields( $html );
			// One message per enabled offline method, titled as the customer saw it at checkout.
			$this->assertStringContainsString( '<label for="comeback-offline-cheque">Message for Check payments</label>', $html );
			$this->assertSame( $before['reminders'][0]['offlineBodies']['cheque'], $fields['offline_bodies[cheque]'] );
			$this->assertArrayNotHasKey( 'offline_bodies[bacs]', $fields, 'bank transfer is not enabled' );

			$_POST = array();
			$form  = array( 'offline_bodies' => array( 'cheque' => "Please make your cheque payable to [payable_to].\n[payment_instructions]<b>!</b>" ) );
			foreach ( $fields as $name => $value ) {
				if ( 0 !== strpos( $name, 'offline_bodies[' ) ) {
					$form[ $name ] = $value;
				}
			}
			$this->post( $form );
			$notice = get_transient( Comeback_Settings::notice_key() );
			$this->assertTrue( $notice['ok'], $notice['message'] );
			$after = $sidecar->request( 'GET', '/api/settings/recovery' )['body']['reminders'][0]['offlineBodies'];
			$this->assertSame( "Please make your cheque payable to [payable_to].\n[payment_instructions]!", $after['cheque'] );
			$this->assertSame( $before['reminders'][0]['offlineBodies']['bacs'], $after['bacs'], 'the bank-transfer message the form does not show is kept' );

			// A cheque message that asks for a payment link is refused, with its place.
			$form['offline_bodies']['cheque'] = "Cheque\n [payment_link]";
			$this->post( $form );
			$notice = get_transient( Comeback_Settings::notice_key() );
			$this->assertFalse( $notice['ok'] );
			$this->assertSame( array( 'reminders.0.offlineBodies.cheque', 2, 2 ), array( $notice['errors'][0]['field'], $notice['errors'][0]['line'], $notice['errors'][0]['column'] ) );
		} finally {
			rename( $build . '.away', $build );
			delete_option( 'woocommerce_cheque_settings' );
			false === $bacs_settings ? delete_option( 'woocommerce_bacs_settings' ) : update_option( 'woocommerce_bacs_settings', $bacs_settings );
			$sidecar->request( 'PUT', '/api/settings/recovery', $before );
		}
	}

	public function test_a_template_error_reaches_the_merchant_with_its_position() {
		$before = Comeback_Sidecar_Client::configured()->request( 'GET', '/api/settings/recovery' )['body'];
		$this->post( $this->valid_form( array( 'online_body' => "Hello,\n  pay: [paymnt_link]" ) ) );
		$notice = get_transient( Comeback_Settings::notice_key() );
		$this->assertFalse( $notice['ok'] );
		$this->assertSame( 'reminders.0.onlineBody', $notice['errors'][0]['field'] );
		$this->assertSame( 2, $notice['errors'][0]['line'] );
		$this->assertSame( 8, $notice['errors'][0]['column'] );
		$this->assertStringContainsString( 'payment_link', $notice['errors'][0]['message'] );
		$this->assertSame( $before, Comeback_Sidecar_Client::configured()->request( 'GET', '/api/settings/recovery' )['body'], 'nothing was stored' );
	}

	public function test_requests_signed_with_another_secret_are_refused_by_the_sidecar() {
		$client = new Comeback_Sidecar_Client( getenv( 'COMEBACK_TEST_SIDECAR_URL' ), 'another-secret-another-secret', home_url() );
		$this->assertSame( 401, $client->request( 'GET', '/api/settings/recovery' )['status'] );
	}

	public function test_test_connection_says_what_the_sidecar_reports() {
		$_POST    = array( '_wpnonce' => wp_create_nonce( Comeback_Settings::TEST ) );
		$_REQUEST = $_POST;
		try {
			Comeback_Settings::test_connection();
		} catch ( Comeback_Test_Stop $stop ) {
			$this->assertSame( 'redirect', $stop->getMessage() );
		}
		$notice = get_transient( Comeback_Settings::notice_key() );
		// The test shop has no REST key and no webhooks yet: reached, but not fully connected.
		$this->assertFalse( $notice['ok'] );
		$this->assertStringContainsString( 'not fully connected', $notice['message'] );
	}

	public function test_the_page_escapes_what_it_shows_and_never_prints_the_secret() {
		set_transient(
			Comeback_Settings::notice_key(),
			array(
				'ok'      => false,
				'message' => 'Bad <b>input</b>',
				'errors'  => array( array( 'field' => 'reminders.0.subject', 'line' => 1, 'column' => 4, 'message' => 'unknown <script>' ) ),
			),
			60
		);
		require_once ABSPATH . 'wp-admin/includes/template.php'; // loaded on every wp-admin page
		ob_start();
		Comeback_Settings::render();
		$html = ob_get_clean();
		$this->assertStringContainsString( 'Bad &lt;b&gt;input&lt;/b&gt;', $html );
		$this->assertStringContainsString( 'reminders.0.subject 1:4', $html );
		$this->assertStringNotContainsString( '<script>', $html );
		$this->assertStringNotContainsString( getenv( 'COMEBACK_TEST_SHARED_SECRET' ), $html );
		$this->assertStringContainsString( 'name="_wpnonce"', $html );
		$this->assertFalse( get_transient( Comeback_Settings::notice_key() ), 'a notice is shown once' );
	}

	public function test_one_click_connect_sends_the_merchant_to_woocommerce_with_a_pairing_token_for_the_sidecar() {
		$_POST    = array( '_wpnonce' => wp_create_nonce( Comeback_Settings::CONNECT ) );
		$_REQUEST = $_POST;
		try {
			Comeback_Settings::connect();
			$this->fail( 'no redirect' );
		} catch ( Comeback_Test_Stop $stop ) {
			$location = $stop->location;
		}
		$this->assertStringStartsWith( home_url( '/wc-auth/v1/authorize?' ), $location );
		parse_str( (string) wp_parse_url( $location, PHP_URL_QUERY ), $query );
		$this->assertSame( 'Comeback', $query['app_name'] );
		$this->assertSame( 'read_write', $query['scope'] );
		$this->assertSame( getenv( 'COMEBACK_TEST_SIDECAR_URL' ) . '/woocommerce/keys?shop=' . rawurlencode( home_url( '/' ) ), $query['callback_url'] );
		$this->assertStringContainsString( 'page=comeback', $query['return_url'] );
		$claims = Comeback_Link_Token::verify( $query['user_id'], getenv( 'COMEBACK_TEST_SHARED_SECRET' ), time() );
		$this->assertTrue( $claims['ok'] );
		$this->assertSame( 'connect', $claims['kind'] );
		$this->assertLessThanOrEqual( time() + 900, $claims['expiresAt'] );
	}

	public function test_one_click_connect_needs_its_nonce() {
		$_POST    = array( '_wpnonce' => wp_create_nonce( Comeback_Settings::SAVE ) ); // another form's nonce
		$_REQUEST = $_POST;
		try {
			Comeback_Settings::connect();
			$this->fail( 'connected without its nonce' );
		} catch ( Comeback_Test_Stop $stop ) {
			$this->assertSame( 403, $stop->status );
		}
	}
}
