<?php
/**
 * /?comeback=<token> on the shop's domain: a link the sidecar minted (signed with the shared
 * secret) leads to the order's pay page, or its order-received page once nothing is left to pay;
 * the click is queued (WP-Cron here, Action Scheduler with WooCommerce) and the queued job
 * reports it to the real sidecar. Bad links get a readable page with the way back to the shop.
 */
class ResumeLinkTest extends PHPUnit\Framework\TestCase {

	public function setUp(): void {
		update_option( Comeback_Options::SIDECAR_URL, getenv( 'COMEBACK_TEST_SIDECAR_URL' ) );
		update_option( Comeback_Options::SHARED_SECRET, getenv( 'COMEBACK_TEST_SHARED_SECRET' ) );
		add_filter( 'wp_die_handler', array( $this, 'die_handler' ) );
		$GLOBALS['comeback_test_orders'] = array(
			77 => new WC_Order( array( 'id' => 77, 'status' => 'pending', 'key' => 'wc_order_pending77' ) ),
			78 => new WC_Order( array( 'id' => 78, 'status' => 'processing', 'key' => 'wc_order_paid78' ) ),
			79 => new WC_Order( array( 'id' => 79, 'status' => 'cancelled', 'key' => 'wc_order_gone79' ) ),
		);
		_set_cron_array( array() );
	}

	public function tearDown(): void {
		remove_filter( 'wp_die_handler', array( $this, 'die_handler' ) );
	}

	public function die_handler() {
		return function ( $message, $title = '', $args = array() ) {
			throw new Comeback_Test_Stop( (string) $message, (int) ( $args['response'] ?? 500 ) );
		};
	}

	private static function link( $ref, $expires_in = 3600 ) {
		return Comeback_Link_Token::sign( array( 'kind' => 'pay', 'ref' => $ref, 'expiresAt' => time() + $expires_in ), getenv( 'COMEBACK_TEST_SHARED_SECRET' ) );
	}

	private function stop( $token ) {
		try {
			Comeback_Resume_Links::answer( $token );
		} catch ( Comeback_Test_Stop $stop ) {
			return $stop;
		}
		$this->fail( 'the link was followed' );
	}

	public function test_leads_to_the_pay_page_and_queues_the_click_report_which_reaches_the_sidecar() {
		$ref = getenv( 'COMEBACK_TEST_LINK_REF' ); // a reminder the sidecar holds for order 77
		$this->assertSame( home_url( '/checkout/order-pay/77/?pay_for_order=true&key=wc_order_pending77' ), Comeback_Resume_Links::answer( self::link( $ref ) ) );

		$queued = array_values( _get_cron_array() )[0][ Comeback_Resume_Links::REPORT_HOOK ] ?? array();
		$this->assertCount( 1, $queued, 'the click is reported later, not in the customer’s request' );
		$args = array_values( $queued )[0]['args'];
		$this->assertSame( $ref, $args[0] );
		$answer = Comeback_Resume_Links::report_click( ...$args );
		$this->assertSame( 201, $answer['status'] );
		$this->assertSame( 200, Comeback_Resume_Links::report_click( ...$args )['status'], 'a repeated report is the same click' );
	}

	public function test_a_paid_order_leads_to_its_order_received_page() {
		$this->assertSame( home_url( '/checkout/order-received/78/?key=wc_order_paid78' ), Comeback_Resume_Links::answer( self::link( 'o78_AAAAAAAAAAAAAAAAAAAAAA' ) ) );
	}

	public function test_unfollowable_links_get_a_readable_page() {
		$expired = $this->stop( self::link( 'o77_AAAAAAAAAAAAAAAAAAAAAA', -1 ) );
		$this->assertSame( 410, $expired->status );
		$this->assertStringContainsString( 'expired', $expired->getMessage() );

		$tampered = $this->stop( substr( self::link( 'o77_AAAAAAAAAAAAAAAAAAAAAA' ), 0, -2 ) . 'xx' );
		$this->assertSame( 400, $tampered->status );
		$this->assertStringContainsString( 'not valid', $tampered->getMessage() );

		$this->assertSame( 404, $this->stop( self::link( 'o999_AAAAAAAAAAAAAAAAAAAAAA' ) )->status );
		$this->assertSame( 404, $this->stop( self::link( 'AAAAAAAAAAAAAAAAAAAAAA' ) )->status, 'a sidecar-domain reference names no order' );
		$this->assertSame( array(), array_filter( _get_cron_array() ), 'nothing was queued for links that were not followed' );
		// A cancelled order cannot be paid: the page says so, and the click (which happened) is reported.
		$this->assertSame( 410, $this->stop( self::link( 'o79_AAAAAAAAAAAAAAAAAAAAAA' ) )->status );
		$this->assertCount( 1, array_filter( _get_cron_array() ) );
	}

	public function test_a_link_signed_with_another_secret_is_not_valid_here() {
		$foreign = Comeback_Link_Token::sign( array( 'kind' => 'pay', 'ref' => 'o77_AAAAAAAAAAAAAAAAAAAAAA', 'expiresAt' => time() + 60 ), 'another-shops-secret-123456' );
		$this->assertSame( 400, $this->stop( $foreign )->status );
	}

	public function test_nothing_is_followed_while_no_shared_secret_is_set() {
		update_option( Comeback_Options::SHARED_SECRET, '' );
		$signed_with_empty_key = Comeback_Link_Token::sign( array( 'kind' => 'pay', 'ref' => 'o77_AAAAAAAAAAAAAAAAAAAAAA', 'expiresAt' => time() + 60 ), '' );
		$this->assertSame( 400, $this->stop( $signed_with_empty_key )->status );
		$this->assertSame( array(), array_filter( _get_cron_array() ) );
	}
}
