<?php
/**
 * The plugin as WordPress loads it: active, hooked, and quiet about WooCommerce when it is there.
 */
class PluginBootTest extends PHPUnit\Framework\TestCase {

	public function test_wordpress_loaded_comeback_as_an_active_plugin() {
		$this->assertContains( 'comeback/comeback.php', get_option( 'active_plugins' ) );
		$this->assertTrue( defined( 'COMEBACK_VERSION' ) );
		$this->assertNotFalse( has_action( 'before_woocommerce_init', array( 'Comeback_Plugin', 'declare_compatibility' ) ) );
	}

	public function test_started_because_woocommerce_is_there() {
		$this->assertSame( 1, did_action( 'comeback_started' ) );
		$this->assertFalse( has_action( 'admin_notices', array( 'Comeback_Plugin', 'missing_woocommerce_notice' ) ) );
	}

	public function test_the_catalogue_is_the_shared_one() {
		$names = array_keys( Comeback_Catalog::shortcodes() );
		$this->assertContains( 'payment_link', $names );
		$this->assertContains( 'bank_details', $names );
		$this->assertContains( 'cart_link', $names );
		$this->assertContains( 'tracking_number', $names );
		$this->assertContains( 'coupon_code', $names );
		$shared = json_decode( file_get_contents( dirname( __DIR__, 3 ) . '/shortcodes/catalog.json' ), true );
		$this->assertSame( array_column( $shared, 'name' ), $names );
	}
}
