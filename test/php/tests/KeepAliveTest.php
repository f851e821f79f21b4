<?php
/**
 * woocommerce_cancel_unpaid_order: an order the sidecar marked as in recovery is not cancelled by
 * the hold-stock timer, within the merchant's limit; everything else keeps WooCommerce's rule.
 */
class KeepAliveTest extends PHPUnit\Framework\TestCase {

	private static function order( $recovery_until, $placed_hours_ago ) {
		return new WC_Order(
			array(
				'meta'    => array( Comeback_Keep_Alive::META => $recovery_until ),
				'created' => new DateTimeImmutable( '@' . ( time() - $placed_hours_ago * HOUR_IN_SECONDS ) ),
			)
		);
	}

	private static function cancel( $would_cancel, $order ) {
		return apply_filters( 'woocommerce_cancel_unpaid_order', $would_cancel, $order );
	}

	public function tearDown(): void {
		delete_option( Comeback_Options::KEEP_ALIVE );
	}

	public function test_spares_an_order_with_reminders_to_come() {
		$this->assertFalse( self::cancel( true, self::order( time() + DAY_IN_SECONDS, 1 ) ) );
	}

	public function test_cancels_as_woocommerce_would_once_recovery_is_over_or_never_began() {
		$this->assertTrue( self::cancel( true, self::order( time() - 60, 1 ) ) );
		$this->assertTrue( self::cancel( true, self::order( '', 1 ) ) );
	}

	public function test_the_merchants_limit_ends_the_reprieve() {
		update_option( Comeback_Options::KEEP_ALIVE, 24 );
		$this->assertFalse( self::cancel( true, self::order( time() + DAY_IN_SECONDS, 23 ) ) );
		$this->assertTrue( self::cancel( true, self::order( time() + DAY_IN_SECONDS, 25 ) ) );
		update_option( Comeback_Options::KEEP_ALIVE, 0 );
		$this->assertTrue( self::cancel( true, self::order( time() + DAY_IN_SECONDS, 1 ) ) );
	}

	public function test_never_cancels_what_woocommerce_would_not() {
		$this->assertFalse( self::cancel( false, self::order( '', 1 ) ) );
	}
}
