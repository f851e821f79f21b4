<?php
/**
 * The admin UI inside wp-admin: its build enqueued on WooCommerce → Comeback only, with a REST
 * nonce; its API calls through comeback/v1/admin, which needs a logged-in user with
 * manage_woocommerce and forwards only admin API paths (flows and alerts included, PATCH too),
 * signed, to the real sidecar (started by test/php/php.test.ts, HTTP over loopback).
 */
class AdminUiTest extends PHPUnit\Framework\TestCase {

	public static function setUpBeforeClass(): void {
		do_action( 'rest_api_init', rest_get_server() );
	}

	public function setUp(): void {
		update_option( Comeback_Options::SIDECAR_URL, getenv( 'COMEBACK_TEST_SIDECAR_URL' ) );
		update_option( Comeback_Options::SHARED_SECRET, getenv( 'COMEBACK_TEST_SHARED_SECRET' ) );
		wp_set_current_user( 1 );
	}

	public function tearDown(): void {
		wp_set_current_user( 0 );
	}

	private function call( $method, $path, $body = null ) {
		$request = new WP_REST_Request( $method, '/comeback/v1/admin' );
		$request->set_param( 'path', $path );
		if ( null !== $body ) {
			$request->set_header( 'content-type', 'application/json' );
			$request->set_body( is_string( $body ) ? $body : wp_json_encode( $body ) );
		}
		return rest_do_request( $request );
	}

	public function test_the_build_ships_in_the_plugin() {
		$this->assertTrue( Comeback_Admin_UI::available() );
	}

	public function test_forwards_an_admin_call_to_the_sidecar_signed_and_hands_back_its_answer() {
		$response = $this->call( 'GET', 'settings/recovery' );
		$this->assertSame( 200, $response->get_status() );
		$this->assertArrayHasKey( 'reminders', $response->get_data() );
		// The sidecar's own errors come back with their status and shape (a template error with its position).
		$settings                            = $response->get_data();
		$settings['reminders'][0]['subject'] = 'Hi [paymnt_link]';
		$refused                             = $this->call( 'PUT', 'settings/recovery', $settings );
		$this->assertSame( 400, $refused->get_status() );
		$this->assertSame( 'invalid_template', $refused->get_data()['error']['code'] );
		$this->assertSame( array( 1, 4 ), array( $refused->get_data()['error']['details'][0]['line'], $refused->get_data()['error']['details'][0]['column'] ) );
		// A query string travels with the path.
		$this->assertSame( 400, $this->call( 'GET', 'queue?status=bogus' )->get_status() );
		$this->assertSame( 200, $this->call( 'GET', 'queue?status=failing&page=1' )->get_status() );
	}

	public function test_the_sidecar_answers_in_the_users_wordpress_language() {
		$settings                            = $this->call( 'GET', 'settings/recovery' )->get_data();
		$settings['reminders'][0]['subject'] = 'Hi [paymnt_link]';
		update_user_meta( 1, 'locale', 'pl_PL' );
		try {
			$refused = $this->call( 'PUT', 'settings/recovery', $settings )->get_data()['error'];
		} finally {
			delete_user_meta( 1, 'locale' );
		}
		$this->assertSame( '1 problem w tekstach przypomnień', $refused['message'] );
		$this->assertStringStartsWith( 'Wiersz 1, kolumna 4: nieznany shortcode [paymnt_link]. Czy chodziło o [payment_link]? Dostępne shortcody: ', $refused['details'][0]['message'] );
		// A user without a locale of their own: the site's (English here), as before.
		$english = $this->call( 'PUT', 'settings/recovery', $settings )->get_data()['error'];
		$this->assertStringStartsWith( 'Line 1, column 4: unknown shortcode [paymnt_link]. Did you mean [payment_link]?', $english['details'][0]['message'] );
	}

	public function test_names_the_users_locale_to_the_sidecar_as_a_language_tag() {
		$this->assertSame( 'pl-PL, pl;q=0.9', Comeback_Sidecar_Client::accept_language( 'pl_PL' ) );
		$this->assertSame( 'de-DE, de;q=0.9', Comeback_Sidecar_Client::accept_language( 'de_DE_formal' ) );
		$this->assertSame( 'fi', Comeback_Sidecar_Client::accept_language( 'fi' ) );
		$this->assertSame( 'en-US', Comeback_Sidecar_Client::accept_language( '' ) );
	}

	public function test_forwards_the_flows_and_the_alerts_with_patch() {
		$list = $this->call( 'GET', 'flows' );
		$this->assertSame( 200, $list->get_status() );
		$this->assertContains( 'abandoned-cart', array_column( $list->get_data()['flows'], 'key' ) );
		$flow = $this->call( 'GET', 'flows/post-sale' );
		$this->assertSame( 200, $flow->get_status() );
		$this->assertArrayHasKey( 'versions', $flow->get_data() );
		// PATCH goes through: the switch in the flow list.
		$on = $this->call( 'PATCH', 'flows/post-sale', array( 'enabled' => true ) );
		$this->assertSame( 200, $on->get_status() );
		$this->assertTrue( $on->get_data()['enabled'] );
		$this->assertFalse( $this->call( 'PATCH', 'flows/post-sale', array( 'enabled' => false ) )->get_data()['enabled'] );
		// A save the sidecar refuses comes back with the field it names.
		$definition                               = $flow->get_data()['definition'];
		$definition['steps'][0]['delay']['value'] = -1;
		$refused                                  = $this->call( 'PUT', 'flows/post-sale', array( 'definition' => $definition, 'enabled' => false ) );
		$this->assertSame( 400, $refused->get_status() );
		$this->assertSame( 'steps.0.delay.value', $refused->get_data()['error']['details'][0]['field'] );

		$this->assertSame( 200, $this->call( 'GET', 'alerts?state=open' )->get_status() );
		$this->assertSame( 200, $this->call( 'GET', 'settings/alerts' )->get_status() );
		// A POST without a body (dismiss, cancel, retry) is forwarded as such, not refused as bad JSON.
		$dismiss = $this->call( 'POST', 'alerts/999999999/dismiss' );
		$this->assertSame( 404, $dismiss->get_status() );
		$this->assertSame( 409, $this->call( 'POST', 'queue/999999999/cancel' )->get_status() );
		// Cancelling an order paid again as another one reaches the sidecar (which knows no such enrollment).
		$this->assertSame( 404, $this->call( 'POST', 'queue/999999999/cancel-order' )->get_status() );
		// Issue F's screens: customers, segments, campaigns, NPS, the customer report.
		foreach ( array( 'segments', 'settings/segments', 'customers?tag=vip&page=1&perPage=25', 'customers/import', 'campaigns', 'campaigns/audience?tags=vip,at-risk&channels=email', 'nps', 'reports/customers', 'settings/loyalty', 'setup/first-run' ) as $path ) {
			$this->assertSame( 200, $this->call( 'GET', $path )->get_status(), $path );
		}
		$this->assertSame( 404, $this->call( 'PUT', 'customers/nobody%40example.test/tags', array( 'tags' => array() ) )->get_status() );
		$this->assertSame( 404, $this->call( 'POST', 'campaigns/999999999/cancel' )->get_status() );
	}

	public function test_previews_any_step_and_sends_a_test_email_to_the_merchants_own_address_only() {
		$preview = $this->call( 'POST', 'previews', array( 'flow' => 'win-back', 'channel' => 'sms', 'subject' => 'sample' ) );
		$this->assertSame( 200, $preview->get_status() );
		$this->assertSame( 'GSM-7', $preview->get_data()['count']['encoding'] );
		$this->assertSame( 200, $this->call( 'GET', 'previews/subjects?kind=customer' )->get_status() );
		// Someone else's address is refused here, before the sidecar is asked.
		$refused = $this->call( 'POST', 'previews/test', array( 'flow' => 'win-back', 'channel' => 'email', 'to' => 'someone@else.test' ) );
		$this->assertSame( 400, $refused->get_status() );
		$this->assertSame( 'comeback_test_to_own_address', $refused->get_data()['code'] );
		$this->assertSame( 400, $this->call( 'POST', 'recovery/test', array( 'gateway' => 'online', 'to' => 'someone@else.test' ) )->get_status() );
		// Without one, the test goes to the signed-in merchant.
		$own  = wp_get_current_user()->user_email;
		$sent = $this->call( 'POST', 'previews/test', array( 'flow' => 'win-back', 'channel' => 'email', 'to' => '' ) );
		$this->assertSame( 202, $sent->get_status() );
		$this->assertSame( $own, $sent->get_data()['to'] );
		$this->assertSame( 202, $this->call( 'POST', 'previews/test', array( 'flow' => 'win-back', 'channel' => 'email', 'to' => strtoupper( $own ) ) )->get_status() );
		// A text message goes to the merchant's own mobile only: the billing phone of their profile.
		delete_user_meta( 1, 'billing_phone' );
		$no_phone = $this->call( 'POST', 'previews/test', array( 'flow' => 'win-back', 'channel' => 'sms', 'to' => '+48 500 000 002' ) );
		$this->assertSame( 400, $no_phone->get_status() );
		$this->assertSame( 'comeback_test_to_own_number', $no_phone->get_data()['code'] );
		$this->assertStringContainsString( 'billing phone in your WordPress profile', $no_phone->get_data()['message'] );
		update_user_meta( 1, 'billing_phone', '+48 500 000 002' );
		$other = $this->call( 'POST', 'previews/test', array( 'flow' => 'win-back', 'channel' => 'sms', 'to' => '+48 600 000 009' ) );
		$this->assertSame( 400, $other->get_status() );
		$this->assertStringContainsString( '+48 500 000 002', $other->get_data()['message'] );
		$sms = $this->call( 'POST', 'previews/test', array( 'flow' => 'win-back', 'channel' => 'sms', 'to' => '0048500000002' ) );
		$this->assertSame( 202, $sms->get_status() );
		$this->assertSame( '+48500000002', $sms->get_data()['to'] );
		$filled = $this->call( 'POST', 'previews/test', array( 'flow' => 'win-back', 'channel' => 'sms', 'to' => '' ) );
		$this->assertSame( 202, $filled->get_status() );
		$this->assertSame( '+48500000002', $filled->get_data()['to'] );
		delete_user_meta( 1, 'billing_phone' );
	}

	public function test_needs_a_user_who_manages_woocommerce() {
		wp_set_current_user( 0 );
		$this->assertSame( 401, $this->call( 'GET', 'settings/recovery' )->get_status() );
		$subscriber = wp_insert_user( array( 'user_login' => 'ui-sub-' . wp_generate_password( 6, false ), 'user_pass' => wp_generate_password(), 'role' => 'subscriber' ) );
		wp_set_current_user( $subscriber );
		$this->assertSame( 403, $this->call( 'GET', 'settings/recovery' )->get_status() );
	}

	public function test_forwards_only_the_admin_api() {
		foreach ( array( 'shops', '../healthz', 'settings/recovery/../../shops', 'queue/1/delete', 'outbox?x=<script>', 'flows/events', 'flows/Cart', 'flows/a/b', 'alerts/1', 'alerts/1/delete', 'events', 'customers/a%40b.test/../../shops', 'customers/a%40b.test/delete', 'campaigns/1/launch', 'nps/x', 'setup/first-run/test', 'setup/first-run/../../shops' ) as $path ) {
			$response = $this->call( 'GET', $path );
			$this->assertSame( 400, $response->get_status(), $path );
			$this->assertSame( 'comeback_path_refused', $response->get_data()['code'], $path );
		}
		$this->assertSame( 400, $this->call( 'POST', 'recovery/preview', '{not json' )->get_status() );
	}

	public function test_enqueues_the_build_with_a_rest_nonce_on_its_page_only() {
		Comeback_Admin_UI::enqueue( 'index.php' );
		$this->assertFalse( wp_script_is( Comeback_Admin_UI::HANDLE, 'enqueued' ) );
		Comeback_Admin_UI::enqueue( 'woocommerce_page_comeback' );
		$this->assertTrue( wp_script_is( Comeback_Admin_UI::HANDLE, 'enqueued' ) );
		$this->assertTrue( wp_style_is( Comeback_Admin_UI::HANDLE, 'enqueued' ) );
		$inline = implode( '', wp_scripts()->get_data( Comeback_Admin_UI::HANDLE, 'before' ) ?: array() );
		$this->assertStringContainsString( '"nonce":"' . wp_create_nonce( 'wp_rest' ) . '"', $inline );
		ob_start();
		wp_scripts()->do_item( Comeback_Admin_UI::HANDLE );
		$tag = ob_get_clean();
		$this->assertStringContainsString( '<script type="module" ', $tag );
		$this->assertStringContainsString( 'admin-ui/comeback-admin.js', $tag );
		// And the settings page gives it its place, without the plain reminder fields.
		require_once ABSPATH . 'wp-admin/includes/template.php'; // loaded on every wp-admin page
		ob_start();
		Comeback_Settings::render();
		$html = ob_get_clean();
		$this->assertStringContainsString( '<div id="comeback-admin"', $html );
		$this->assertStringNotContainsString( 'name="online_body"', $html );
	}
}
