<?php
/**
 * WooCommerce → Comeback → "Rotate the shared secret" (Comeback_Secret_Rotation): the button asks
 * the sidecar for a new secret (signed with the current one), confirms it signed with the new one,
 * keeps the old one for customers' links until they expire, and says what happened; a failed
 * confirm keeps both and the button finishes it. The sidecar is a recording fake over HTTP
 * (fake-sidecar-server.php); the sidecar's side is test/http/secret-rotation.test.ts.
 */
require_once dirname( __DIR__ ) . '/fake-sidecar-server.php';

class SecretRotationTest extends PHPUnit\Framework\TestCase {

	private const SECRET     = 'rotation-test-old-shared-secret-0123456789';
	private const NEW_SECRET = 'rotation-test-NEW-shared-secret-9876543210';

	use Comeback_Test_With_Fake_Sidecar;

	public static function setUpBeforeClass(): void {
		self::$sidecar = new Comeback_Test_Fake_Sidecar();
	}

	public function setUp(): void {
		$this->use_fake_sidecar();
		add_filter( 'wp_die_handler', array( $this, 'die_handler' ) );
		add_filter( 'wp_redirect', array( $this, 'stop_redirect' ), 10, 2 );
		$GLOBALS['comeback_test_orders'] = array( 77 => new WC_Order( array( 'id' => 77, 'status' => 'pending', 'key' => 'wc_order_pending77' ) ) );
	}

	public function tearDown(): void {
		remove_filter( 'wp_die_handler', array( $this, 'die_handler' ) );
		remove_filter( 'wp_redirect', array( $this, 'stop_redirect' ), 10 );
		foreach ( array( Comeback_Options::PENDING_SECRET, Comeback_Options::PREVIOUS_SECRET, Comeback_Options::PREVIOUS_SECRET_UNTIL ) as $option ) {
			delete_option( $option );
		}
		delete_transient( Comeback_Settings::notice_key() );
		$this->use_real_sidecar();
	}

	public function die_handler() {
		return function ( $message, $title = '', $args = array() ) {
			throw new Comeback_Test_Stop( is_string( $message ) ? $message : 'died', (int) ( $args['response'] ?? 500 ) );
		};
	}

	public function stop_redirect( $location, $status ) {
		throw new Comeback_Test_Stop( 'redirect', $status, $location );
	}

	/** Clicks the button (admin-post.php?action=comeback_rotate_secret); answers how the request ended and the notice shown. */
	private function click( $nonce_action = Comeback_Secret_Rotation::ACTION ) {
		$_POST    = array( '_wpnonce' => wp_create_nonce( $nonce_action ) );
		$_REQUEST = $_POST;
		try {
			Comeback_Secret_Rotation::handle();
		} catch ( Comeback_Test_Stop $stop ) {
			return array( $stop, get_transient( Comeback_Settings::notice_key() ) );
		}
		$this->fail( 'the handler neither redirected nor stopped' );
	}

	/** Whether `$signature` signs this request plugin-to-sidecar with `$secret`, as the sidecar checks (http/admin-auth.ts). */
	private static function signed_with( array $request, $secret ) {
		if ( ! preg_match( '/^t=(\d+),n=([0-9a-f]{16}),v1=([0-9a-f]{64})$/', $request['signature'], $m ) ) {
			return false;
		}
		$signed = implode( "\n", array( 'plugin-to-sidecar', $request['method'], $request['path'], $m[1] . ':' . $m[2], $request['body'] ) );
		return hash_equals( hash_hmac( 'sha256', $signed, $secret ), $m[3] );
	}

	private static function link( $secret ) {
		return Comeback_Link_Token::sign( array( 'kind' => 'pay', 'ref' => 'o77_AAAAAAAAAAAAAAAAAAAAAA', 'expiresAt' => time() + 3600 ), $secret );
	}

	private function render_page() {
		require_once ABSPATH . 'wp-admin/includes/template.php'; // loaded on every wp-admin page
		ob_start();
		Comeback_Settings::render();
		return (string) ob_get_clean();
	}

	public function test_the_button_rotates_and_confirms_and_old_links_verify_until_they_expire() {
		$this->assertStringContainsString( 'Rotate the shared secret', $this->render_page() );
		self::$sidecar->reset();
		self::$sidecar->answer( 'POST /api/shop/secret/rotate', 200, array( 'secret' => self::NEW_SECRET ) );
		self::$sidecar->answer( 'POST /api/shop/secret/confirm', 200, array( 'rotatedAt' => gmdate( 'c' ), 'webhooks' => array(), 'linkTtlDays' => 30 ) );

		list( $stop, $notice ) = $this->click();

		$this->assertSame( 'redirect', $stop->getMessage() );
		$this->assertTrue( $notice['ok'] );
		$this->assertStringContainsString( 'The shared secret was changed', $notice['message'] );
		$requests = self::$sidecar->requests();
		$this->assertSame( array( 'POST /api/shop/secret/rotate', 'POST /api/shop/secret/confirm' ), array_map( fn( $r ) => $r['method'] . ' ' . $r['path'], $requests ) );
		$this->assertTrue( self::signed_with( $requests[0], self::SECRET ), 'rotate is signed with the current secret' );
		$this->assertTrue( self::signed_with( $requests[1], self::NEW_SECRET ), 'confirm is signed with the new secret' );
		$this->assertSame( self::NEW_SECRET, Comeback_Options::shared_secret() );
		$this->assertSame( '', Comeback_Options::pending_secret() );
		$this->assertEqualsWithDelta( time() + 30 * DAY_IN_SECONDS, (int) get_option( Comeback_Options::PREVIOUS_SECRET_UNTIL ), 5 );
		$this->assertStringNotContainsString( self::NEW_SECRET, $this->render_page(), 'the secret is never printed' );

		// A link already in a customer's inbox (signed with the old secret) still leads to the pay page, and a new one too.
		$pay = home_url( '/checkout/order-pay/77/?pay_for_order=true&key=wc_order_pending77' );
		$this->assertSame( $pay, Comeback_Resume_Links::answer( self::link( self::SECRET ) ) );
		$this->assertSame( $pay, Comeback_Resume_Links::answer( self::link( self::NEW_SECRET ) ) );
		$this->assertFalse( Comeback_Resume_Links::verify( self::link( 'some-other-secret-0123456789' ) )['ok'] );

		// A guest's pass to the order's pages, given by a link followed just before the rotation, still opens them.
		$guest                                  = new WC_Order( array( 'id' => 77, 'status' => 'pending', 'key' => 'wc_order_pending77' ) );
		$before                                 = Comeback_Guest_Pass::issue( 77, time() + 1800, self::SECRET );
		$_COOKIE[ Comeback_Guest_Pass::COOKIE ] = $before;
		$this->assertFalse( Comeback_Guest_Pass::waive( true, $guest ), 'no email check for the pass holder' );
		$_COOKIE[ Comeback_Guest_Pass::COOKIE ] = Comeback_Guest_Pass::issue( 77, time() + 1800, 'some-other-secret-0123456789' );
		$this->assertTrue( Comeback_Guest_Pass::waive( true, $guest ) );

		// Once the longest link has expired, the old secret is forgotten and its links are not valid.
		update_option( Comeback_Options::PREVIOUS_SECRET_UNTIL, time() - 1 );
		$this->assertSame( 'bad_signature', Comeback_Resume_Links::verify( self::link( self::SECRET ) )['reason'] );
		$this->assertFalse( get_option( Comeback_Options::PREVIOUS_SECRET ) );
		$this->assertTrue( Comeback_Resume_Links::verify( self::link( self::NEW_SECRET ) )['ok'] );
		$_COOKIE[ Comeback_Guest_Pass::COOKIE ] = $before;
		$this->assertTrue( Comeback_Guest_Pass::waive( true, $guest ) );
		unset( $_COOKIE[ Comeback_Guest_Pass::COOKIE ] );
	}

	public function test_a_failed_confirm_keeps_both_secrets_and_the_button_finishes_it() {
		self::$sidecar->answer( 'POST /api/shop/secret/rotate', 200, array( 'secret' => self::NEW_SECRET ) );
		self::$sidecar->answer( 'POST /api/shop/secret/confirm', 502, array( 'error' => array( 'code' => 'webhooks_not_updated', 'message' => 'the shop’s WooCommerce webhooks could not be given the new secret' ) ) );

		list( , $notice ) = $this->click();

		$this->assertFalse( $notice['ok'] );
		$this->assertStringContainsString( 'not confirmed yet', $notice['message'] );
		$this->assertStringContainsString( 'webhooks could not be given the new secret', $notice['message'] );
		$this->assertSame( self::SECRET, Comeback_Options::shared_secret(), 'the old secret stays the one the plugin signs with' );
		$this->assertSame( self::NEW_SECRET, Comeback_Options::pending_secret() );
		$this->assertTrue( Comeback_Resume_Links::verify( self::link( self::SECRET ) )['ok'] );
		// Had the sidecar confirmed without its answer arriving, it would sign its calls here with the new secret: taken too.
		foreach ( array( self::SECRET => 200, self::NEW_SECRET => 200, 'some-other-secret-0123456789' => 401 ) as $secret => $status ) {
			$profile = new WP_REST_Request( 'GET', '/comeback/v1/shop-profile' );
			$profile->set_header( 'X-Comeback-Signature', Comeback_Sidecar_Client::sign( $secret, 'sidecar-to-plugin', 'GET', '/comeback/v1/shop-profile', '', time() ) );
			$this->assertSame( $status, rest_do_request( $profile )->get_status() );
		}
		$page = $this->render_page();
		$this->assertStringContainsString( 'Finish rotating the shared secret', $page );
		$this->assertStringNotContainsString( self::NEW_SECRET, $page );

		// The retry confirms the waiting secret; no second rotate.
		self::$sidecar->reset();
		self::$sidecar->answer( 'POST /api/shop/secret/confirm', 200, array( 'rotatedAt' => gmdate( 'c' ), 'webhooks' => array(), 'linkTtlDays' => 7 ) );
		list( , $notice ) = $this->click();
		$this->assertTrue( $notice['ok'] );
		$requests = self::$sidecar->requests();
		$this->assertSame( array( 'POST /api/shop/secret/confirm' ), array_map( fn( $r ) => $r['method'] . ' ' . $r['path'], $requests ) );
		$this->assertTrue( self::signed_with( $requests[0], self::NEW_SECRET ) );
		$this->assertSame( self::NEW_SECRET, Comeback_Options::shared_secret() );
		$this->assertEqualsWithDelta( time() + 7 * DAY_IN_SECONDS, (int) get_option( Comeback_Options::PREVIOUS_SECRET_UNTIL ), 5 );
	}

	public function test_a_refused_rotate_changes_nothing_and_the_write_needs_the_nonce_and_the_capability() {
		self::$sidecar->answer( 'POST /api/shop/secret/rotate', 409, array( 'error' => array( 'code' => 'shop_not_active', 'message' => 'this shop is paused: resume it before rotating its shared secret' ) ) );
		list( , $notice ) = $this->click();
		$this->assertFalse( $notice['ok'] );
		$this->assertStringContainsString( 'was not changed', $notice['message'] );
		$this->assertStringContainsString( 'paused', $notice['message'] );
		$this->assertSame( self::SECRET, Comeback_Options::shared_secret() );
		$this->assertSame( '', Comeback_Options::pending_secret() );

		self::$sidecar->reset();
		list( $stop ) = $this->click( 'another-action' );
		$this->assertNotSame( 'redirect', $stop->getMessage(), 'a wrong nonce stops the request' );
		comeback_test_sign_in_subscriber();
		list( $stop ) = $this->click();
		$this->assertSame( 403, $stop->status );
		$this->assertSame( array(), self::$sidecar->requests(), 'nothing reached the sidecar' );
	}
}
