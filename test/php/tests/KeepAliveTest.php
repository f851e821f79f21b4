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
		delete_option( 'woocommerce_hold_stock_minutes' );
		delete_option( 'woocommerce_manage_stock' );
		unset( $GLOBALS['comeback_test_orders'] );
	}

	/** Unpaid orders placed $placed_hours_ago, by name: where they came from and the mark the sidecar pushed. */
	private static function shop( $placed_hours_ago, array $orders ) {
		$GLOBALS['comeback_test_orders'] = array();
		$names                           = array();
		$id                              = 100;
		foreach ( $orders as $name => list( $created_via, $recovery_until ) ) {
			$names[ $name ] = ++$id;

			$GLOBALS['comeback_test_orders'][ $id ] = new WC_Order(
				array(
					'id'          => $id,
					'status'      => 'pending',
					'created_via' => $created_via,
					'meta'        => array( Comeback_Keep_Alive::META => $recovery_until ),
					'created'     => new DateTimeImmutable( '@' . ( time() - $placed_hours_ago * HOUR_IN_SECONDS ) ),
				)
			);
		}
		update_option( 'woocommerce_hold_stock_minutes', 60 );
		update_option( 'woocommerce_manage_stock', 'yes' );
		do_action( 'woocommerce_cancel_unpaid_orders' );
		$statuses = array();
		foreach ( $names as $name => $order_id ) {
			$statuses[ $name ] = wc_get_order( $order_id )->get_status();
		}
		return $statuses;
	}

	public function test_the_hold_stock_run_spares_checkout_orders_in_recovery_and_their_last_reminders_grace() {
		$this->assertSame(
			array(
				// The last reminder left 10 minutes ago: marked until that send + 48 h, its link must work.
				'checkout, after its last reminder' => 'pending',
				'checkout, reminders to come'       => 'pending',
				'checkout, grace over'              => 'cancelled',
				'checkout, never marked or cleared' => 'cancelled',
				'block checkout (Store API)'        => 'pending',
				'REST API'                          => 'pending',
			),
			self::shop(
				3,
				array(
					'checkout, after its last reminder' => array( 'checkout', time() - 600 + 48 * HOUR_IN_SECONDS ),
					'checkout, reminders to come'       => array( 'checkout', time() + DAY_IN_SECONDS ),
					'checkout, grace over'              => array( 'checkout', time() - 60 ),
					'checkout, never marked or cleared' => array( 'checkout', '' ),
					'block checkout (Store API)'        => array( 'store-api', '' ),
					'REST API'                          => array( 'rest-api', '' ),
				)
			)
		);
	}

	public function test_the_hold_stock_run_cancels_a_marked_checkout_order_past_the_merchants_limit() {
		update_option( Comeback_Options::KEEP_ALIVE, 24 );
		$this->assertSame( array( 'marked' => 'pending' ), self::shop( 23, array( 'marked' => array( 'checkout', time() + DAY_IN_SECONDS ) ) ) );
		$this->assertSame( array( 'marked' => 'cancelled' ), self::shop( 25, array( 'marked' => array( 'checkout', time() + DAY_IN_SECONDS ) ) ) );
	}

	public function test_the_hold_stock_run_cancels_nothing_when_stock_is_not_held() {
		$GLOBALS['comeback_test_orders'] = array();
		update_option( 'woocommerce_manage_stock', 'no' );
		$order                              = new WC_Order(
			array(
				'status'      => 'pending',
				'created_via' => 'checkout',
				'created'     => new DateTimeImmutable( '@' . ( time() - DAY_IN_SECONDS ) ),
			)
		);
		$GLOBALS['comeback_test_orders'][1] = $order;
		update_option( 'woocommerce_hold_stock_minutes', 60 );
		do_action( 'woocommerce_cancel_unpaid_orders' );
		$this->assertSame( 'pending', $order->get_status() );
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
