<?php
/**
 * Deleting Comeback from a site where WooCommerce is gone (deleted first, its tables never there
 * or dropped): uninstall.php touches no WooCommerce table or function that is not there, still
 * disconnects the shop from the sidecar, and removes every option.
 *
 * @group no-woocommerce
 */
require_once dirname( __DIR__ ) . '/fake-sidecar-server.php';
require_once dirname( __DIR__ ) . '/plugin-action-request.php';

class UninstallWithoutWooCommerceTest extends PHPUnit\Framework\TestCase {

	public function test_deleting_the_plugin_without_woocommerce_disconnects_and_removes_everything() {
		global $wpdb;
		$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->prefix . 'woocommerce_api_keys' ) ) );
		$sidecar = new Comeback_Test_Fake_Sidecar();
		try {
			update_option( Comeback_Options::SIDECAR_URL, $sidecar->url );
			update_option( Comeback_Options::SHARED_SECRET, 'no-woocommerce-shared-secret-0123' );
			update_option( Comeback_Options::UNINSTALL_DATA, 'erase' );
			update_option( 'active_plugins', array() );

			$deleted = comeback_test_plugin_action( 'uninstall' );

			$this->assertSame( 0, $deleted['code'], $deleted['output'] );
			$this->assertSame( "uninstalled\n", $deleted['output'], 'no database error, notice or warning' );
			$requests = $sidecar->requests();
			$this->assertCount( 1, $requests );
			$this->assertSame( '/api/shop/disconnect', $requests[0]['path'] );
			$this->assertSame( '{"data":"erase","reason":"plugin-uninstalled"}', $requests[0]['body'] );
			foreach ( Comeback_Options::all() as $option ) {
				$this->assertFalse( get_option( $option ), $option );
			}
		} finally {
			$sidecar->stop();
			update_option( 'active_plugins', array( 'comeback/comeback.php' ) );
		}
	}
}
