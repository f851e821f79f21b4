<?php
/**
 * Deleting the plugin through WordPress (uninstall.php under WP_UNINSTALL_PLUGIN) leaves nothing
 * of Comeback behind: options, per-user notices, queued actions.
 */
class UninstallTest extends PHPUnit\Framework\TestCase {

	public function test_uninstall_removes_every_option_and_transient_the_plugin_wrote() {
		update_option( Comeback_Options::SIDECAR_URL, 'https://sidecar.example.test' );
		update_option( Comeback_Options::SHARED_SECRET, 'a-secret-a-secret-a-secret' );
		set_transient( 'comeback_notice_1', array( 'ok' => true ), 60 );
		set_transient( 'someone_elses', 'kept', 60 );
		// Action Scheduler ships with WooCommerce; its function is recorded here, not faked as working.
		if ( ! function_exists( 'as_unschedule_all_actions' ) ) {
			function as_unschedule_all_actions( $hook, $args = array(), $group = '' ) {
				$GLOBALS['comeback_test_unscheduled'][] = $group;
			}
		}

		if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
			define( 'WP_UNINSTALL_PLUGIN', 'comeback/comeback.php' );
		}
		include WP_PLUGIN_DIR . '/comeback/uninstall.php';

		foreach ( Comeback_Options::all() as $option ) {
			$this->assertFalse( get_option( $option ), $option );
		}
		$this->assertFalse( get_transient( 'comeback_notice_1' ) );
		$this->assertSame( 'kept', get_transient( 'someone_elses' ) );
		$this->assertSame( array( 'comeback' ), $GLOBALS['comeback_test_unscheduled'] );
	}
}
