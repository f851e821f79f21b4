<?php
/**
 * Registration never depends on one screen: the plugin tells the real sidecar (started by
 * test/php/php.test.ts, HTTP over loopback) where it answers links — PUT /api/shop/plugin, which
 * also has the sidecar read the shop profile with the BACS accounts — on activation, on one-click
 * connect, and after a successful save through the admin UI's proxy (at most once a minute).
 * What the sidecar stored is read back from it (GET /api/shop/connection: linkBase).
 */
class RegistrationTest extends PHPUnit\Framework\TestCase {

	/** Comeback_Registration::RECENT: a registration in the last minute. */
	private const RECENT = 'comeback_registered_recently';

	/** @var string[] */
	private $sent = array();

	public function setUp(): void {
		update_option( Comeback_Options::SIDECAR_URL, getenv( 'COMEBACK_TEST_SIDECAR_URL' ) );
		update_option( Comeback_Options::SHARED_SECRET, getenv( 'COMEBACK_TEST_SHARED_SECRET' ) );
		wp_set_current_user( 1 );
		delete_transient( self::RECENT );
		$this->unregister();
		add_filter( 'pre_http_request', array( $this, 'record' ), 10, 3 );
	}

	public function tearDown(): void {
		remove_filter( 'pre_http_request', array( $this, 'record' ), 10 );
		remove_all_filters( 'wp_redirect' );
		update_option( Comeback_Options::SIDECAR_URL, getenv( 'COMEBACK_TEST_SIDECAR_URL' ) );
		update_option( Comeback_Options::SHARED_SECRET, getenv( 'COMEBACK_TEST_SHARED_SECRET' ) );
		// The other tests find the shop registered, as a connected shop is.
		$this->sidecar()->request( 'PUT', '/api/shop/plugin', array( 'linkBase' => home_url( '/' ) ) );
		wp_set_current_user( 0 );
		$_POST    = array();
		$_REQUEST = array();
	}

	/** Notes every request WordPress sends (the request itself goes out as usual). */
	public function record( $preempt, $args, $url ) {
		$this->sent[] = $args['method'] . ' ' . $url;
		return $preempt;
	}

	private function sidecar() {
		return new Comeback_Sidecar_Client( getenv( 'COMEBACK_TEST_SIDECAR_URL' ), getenv( 'COMEBACK_TEST_SHARED_SECRET' ), home_url() );
	}

	/** As a shop whose plugin never registered: links through the sidecar. */
	private function unregister() {
		$this->assertSame( 200, $this->sidecar()->request( 'PUT', '/api/shop/plugin', array( 'linkBase' => null ) )['status'] );
		$this->assertNull( $this->link_base() );
	}

	/** What the sidecar holds as this shop's link base. */
	private function link_base() {
		$connection = $this->sidecar()->request( 'GET', '/api/shop/connection' );
		$this->assertSame( 200, $connection['status'] );
		return $connection['body']['linkBase'];
	}

	private function through_proxy( $method, $path, $body = null ) {
		$request = new WP_REST_Request( $method, '/comeback/v1/admin' );
		$request->set_param( 'path', $path );
		if ( null !== $body ) {
			$request->set_header( 'content-type', 'application/json' );
			$request->set_body( wp_json_encode( $body ) );
		}
		return rest_do_request( $request );
	}

	public function test_a_save_in_the_admin_ui_registers_the_plugin_once_a_minute() {
		$settings = $this->through_proxy( 'GET', 'settings/recovery' );
		$this->assertSame( 200, $settings->get_status() );
		$this->assertNull( $this->link_base(), 'reading registers nothing' );

		$this->assertSame( 200, $this->through_proxy( 'PUT', 'settings/recovery', $settings->get_data() )->get_status() );
		$this->assertSame( home_url( '/' ), $this->link_base(), 'a save through the proxy registered the plugin' );

		// A burst of saves registers once: the next save within the minute does not.
		$this->unregister();
		$this->assertSame( 200, $this->through_proxy( 'PUT', 'settings/recovery', $settings->get_data() )->get_status() );
		$this->assertNull( $this->link_base() );

		// A save the sidecar refuses registers nothing.
		delete_transient( self::RECENT );
		$refused                            = $settings->get_data();
		$refused['reminders'][0]['subject'] = '';
		$this->assertSame( 400, $this->through_proxy( 'PUT', 'settings/recovery', $refused )->get_status() );
		$this->assertNull( $this->link_base() );

		// A minute later (the transient gone) a save on another screen registers again.
		$this->assertSame( 200, $this->through_proxy( 'PATCH', 'flows/post-sale', array( 'enabled' => false ) )->get_status() );
		$this->assertSame( home_url( '/' ), $this->link_base() );
	}

	public function test_activation_on_a_connected_shop_registers_the_plugin() {
		do_action( 'activate_' . plugin_basename( COMEBACK_FILE ) );
		$this->assertSame( home_url( '/' ), $this->link_base() );
	}

	public function test_activation_before_the_sidecar_is_set_sends_nothing() {
		update_option( Comeback_Options::SHARED_SECRET, '' );
		$this->sent = array();
		do_action( 'activate_' . plugin_basename( COMEBACK_FILE ) );
		$this->assertSame( array(), $this->sent );
	}

	public function test_one_click_connect_registers_the_plugin_before_sending_the_merchant_to_woocommerce() {
		add_filter(
			'wp_redirect',
			function ( $location, $status ) {
				throw new Comeback_Test_Stop( 'redirect', $status, $location );
			},
			10,
			2
		);
		$_POST    = array( '_wpnonce' => wp_create_nonce( Comeback_Settings::CONNECT ) );
		$_REQUEST = $_POST;
		try {
			Comeback_Settings::connect();
			$this->fail( 'no redirect' );
		} catch ( Comeback_Test_Stop $stop ) {
			$this->assertStringStartsWith( home_url( '/wc-auth/v1/authorize?' ), $stop->location );
		}
		$this->assertSame( home_url( '/' ), $this->link_base() );
	}
}
