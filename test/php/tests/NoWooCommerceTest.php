<?php
/**
 * Without WooCommerce the plugin must not fatal: it only tells administrators what is missing.
 *
 * @group no-woocommerce
 */
class NoWooCommerceTest extends PHPUnit\Framework\TestCase {

	public function test_does_not_start_and_tells_administrators_why() {
		$this->assertFalse( class_exists( 'WooCommerce', false ) );
		$this->assertSame( 0, did_action( 'comeback_started' ) );
		$this->assertNotFalse( has_action( 'admin_notices', array( 'Comeback_Plugin', 'missing_woocommerce_notice' ) ) );

		wp_set_current_user( 1 ); // the administrator wp_install() created
		ob_start();
		do_action( 'admin_notices' );
		$this->assertStringContainsString( 'Comeback needs WooCommerce', ob_get_clean() );

		wp_set_current_user( self::factory_subscriber() );
		ob_start();
		do_action( 'admin_notices' );
		$this->assertStringNotContainsString( 'Comeback needs WooCommerce', ob_get_clean() );
	}

	private static function factory_subscriber() {
		$id = username_exists( 'subscriber' ) ?: wp_insert_user( array( 'user_login' => 'subscriber', 'user_pass' => 'subscriber-password', 'role' => 'subscriber' ) );
		return (int) $id;
	}
}
