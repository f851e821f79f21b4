<?php
use Automattic\WooCommerce\Internal\Utilities\Users;

/**
 * One click for guests: WooCommerce asks a guest to verify the order's email address before
 * order-pay / order-received once the order is more than ten minutes old. A visitor who came
 * through the signed payment link (sent to that address) is let through for that order, for
 * this visit; another order, an expired or tampered pass, or no link still meets the wall.
 */
class GuestPassTest extends PHPUnit\Framework\TestCase {

	private $owner;

	public function setUp(): void {
		update_option( Comeback_Options::SHARED_SECRET, getenv( 'COMEBACK_TEST_SHARED_SECRET' ) );
		$this->owner                     = self::factory_user();
		$an_hour_ago                     = new WC_DateTime( '@' . ( time() - HOUR_IN_SECONDS ) );
		$GLOBALS['comeback_test_orders'] = array(
			77 => new WC_Order( array( 'id' => 77, 'status' => 'pending', 'key' => 'wc_order_guest77', 'created' => $an_hour_ago, 'billing' => array( 'email' => 'ada@example.test' ) ) ),
			78 => new WC_Order( array( 'id' => 78, 'status' => 'processing', 'key' => 'wc_order_guest78', 'created' => $an_hour_ago, 'billing' => array( 'email' => 'bo@example.test' ) ) ),
			80 => new WC_Order( array( 'id' => 80, 'status' => 'pending', 'key' => 'wc_order_owner80', 'created' => $an_hour_ago, 'billing' => array( 'email' => 'cy@example.test' ), 'customer_id' => $this->owner ) ),
		);
		unset( $_COOKIE[ Comeback_Guest_Pass::COOKIE ] );
		WC()->session = null;
		wp_set_current_user( 0 );
		_set_cron_array( array() );
	}

	public function tearDown(): void {
		unset( $_COOKIE[ Comeback_Guest_Pass::COOKIE ] );
		WC()->session = null;
		wp_set_current_user( 0 );
	}

	private static function factory_user() {
		$user = get_user_by( 'login', 'guest-pass-owner' );
		return $user ? $user->ID : wp_insert_user( array( 'user_login' => 'guest-pass-owner', 'user_pass' => wp_generate_password(), 'user_email' => 'cy@example.test', 'role' => 'customer' ) );
	}

	private static function follow( $order_id ) {
		$token = Comeback_Link_Token::sign( array( 'kind' => 'pay', 'ref' => 'o' . $order_id . '_AAAAAAAAAAAAAAAAAAAAAA', 'expiresAt' => time() + 3600 ), getenv( 'COMEBACK_TEST_SHARED_SECRET' ) );
		return Comeback_Resume_Links::answer( $token );
	}

	private static function must_verify( $order_id, $context = 'order-pay' ) {
		return Users::should_user_verify_order_email( $order_id, null, $context );
	}

	public function test_a_guest_order_past_the_grace_period_meets_the_wall_without_a_link() {
		$this->assertTrue( self::must_verify( 77 ) );
		$this->assertTrue( self::must_verify( 78, 'order-received' ) );
		$GLOBALS['comeback_test_orders'][77] = new WC_Order( array( 'id' => 77, 'created' => new WC_DateTime( '@' . ( time() - 5 * MINUTE_IN_SECONDS ) ), 'billing' => array( 'email' => 'ada@example.test' ) ) );
		$this->assertFalse( self::must_verify( 77 ), 'within the ten minutes after the order, WooCommerce asks nothing' );
	}

	public function test_the_shoppers_own_session_email_is_enough_for_woocommerce() {
		WC()->session = new WC_Session_Handler( 'guest-1' );
		WC()->session->set( 'customer', array( 'email' => 'ADA@example.test' ) );
		$this->assertFalse( self::must_verify( 77 ) );
	}

	public function test_a_visit_through_a_valid_payment_link_opens_the_pay_page_of_that_order() {
		$this->assertSame( home_url( '/checkout/order-pay/77/?pay_for_order=true&key=wc_order_guest77' ), self::follow( 77 ) );
		$this->assertArrayHasKey( Comeback_Guest_Pass::COOKIE, $_COOKIE );
		$this->assertFalse( self::must_verify( 77, 'order-pay' ) );
		$this->assertFalse( self::must_verify( 77, 'order-received' ), 'and its thank-you page once paid' );
		$this->assertTrue( self::must_verify( 78, 'order-received' ), 'another order still asks for its email' );
	}

	public function test_a_paid_orders_link_opens_its_order_received_page() {
		$this->assertSame( home_url( '/checkout/order-received/78/?key=wc_order_guest78' ), self::follow( 78 ) );
		$this->assertFalse( self::must_verify( 78, 'order-received' ) );
		$this->assertTrue( self::must_verify( 77, 'order-pay' ) );
	}

	public function test_an_expired_pass_meets_the_wall() {
		$secret                                 = getenv( 'COMEBACK_TEST_SHARED_SECRET' );
		$_COOKIE[ Comeback_Guest_Pass::COOKIE ] = Comeback_Guest_Pass::issue( 77, time() - 1, $secret );
		$this->assertTrue( self::must_verify( 77 ) );
		$_COOKIE[ Comeback_Guest_Pass::COOKIE ] = Comeback_Guest_Pass::issue( 77, time() + 60, $secret );
		$this->assertFalse( self::must_verify( 77 ), 'the same pass, still valid' );
	}

	public function test_a_pass_lasts_thirty_minutes() {
		self::follow( 77 );
		list( , $expires ) = explode( '.', $_COOKIE[ Comeback_Guest_Pass::COOKIE ] );
		$this->assertEqualsWithDelta( time() + 30 * MINUTE_IN_SECONDS, (int) $expires, 2 );
	}

	public function test_a_tampered_or_foreign_pass_meets_the_wall() {
		$secret                     = getenv( 'COMEBACK_TEST_SHARED_SECRET' );
		list( $id, $expires, $mac ) = explode( '.', Comeback_Guest_Pass::issue( 77, time() + 600, $secret ) );
		$tries                      = array(
			'another order, same signature' => "78.$expires.$mac",
			'a later expiry'                => '77.' . ( $expires + 3600 ) . ".$mac",
			'a changed signature'           => "$id.$expires." . ( 'A' === $mac[0] ? 'B' : 'A' ) . substr( $mac, 1 ),
			'signed with another secret'    => Comeback_Guest_Pass::issue( 77, time() + 600, 'another-shops-secret-123456' ),
			'not a pass'                    => '77',
		);
		foreach ( $tries as $what => $value ) {
			$_COOKIE[ Comeback_Guest_Pass::COOKIE ] = $value;
			$this->assertTrue( self::must_verify( 77 ), $what );
			$this->assertTrue( self::must_verify( 78 ), $what );
		}
	}

	public function test_no_pass_while_no_shared_secret_is_set() {
		$_COOKIE[ Comeback_Guest_Pass::COOKIE ] = Comeback_Guest_Pass::issue( 77, time() + 600, '' );
		update_option( Comeback_Options::SHARED_SECRET, '' );
		$this->assertTrue( self::must_verify( 77 ) );
	}

	public function test_an_account_order_is_unchanged_its_owner_signs_in() {
		wp_set_current_user( $this->owner );
		$this->assertFalse( self::must_verify( 80 ), 'the signed-in owner is never asked' );
		wp_set_current_user( 0 );
		self::follow( 80 );
		$this->assertArrayNotHasKey( Comeback_Guest_Pass::COOKIE, $_COOKIE, 'no pass for an order that belongs to an account' );
		$_COOKIE[ Comeback_Guest_Pass::COOKIE ] = Comeback_Guest_Pass::issue( 80, time() + 600, getenv( 'COMEBACK_TEST_SHARED_SECRET' ) );
		$this->assertTrue( self::must_verify( 80 ) );
	}
}
