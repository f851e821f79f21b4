<?php
/**
 * WooCommerce → Settings → Advanced → Comeback, through the hooks WooCommerce's settings page
 * calls: the section, its fields, the toggle showing the sidecar's state, and a save that
 * switches recovery in the real sidecar.
 */
class WcSettingsSectionTest extends PHPUnit\Framework\TestCase {

	public function setUp(): void {
		update_option( Comeback_Options::SIDECAR_URL, getenv( 'COMEBACK_TEST_SIDECAR_URL' ) );
		update_option( Comeback_Options::SHARED_SECRET, getenv( 'COMEBACK_TEST_SHARED_SECRET' ) );
		wp_set_current_user( 1 );
	}

	public function tearDown(): void {
		$_POST = array();
	}

	private static function enabled() {
		return Comeback_Sidecar_Client::configured()->request( 'GET', '/api/settings/recovery' )['body']['enabled'];
	}

	public function test_adds_the_section_and_its_fields_only_to_it() {
		$this->assertSame( 'Comeback', apply_filters( 'woocommerce_get_sections_advanced', array() )['comeback'] );
		$fields = apply_filters( 'woocommerce_get_settings_advanced', array(), 'comeback' );
		$this->assertSame( array( 'title', 'comeback_toggle', 'comeback_consent_text', 'comeback_marketing_optins', 'sectionend' ), array_column( $fields, 'type' ) );
		$this->assertSame( array( 'kept' ), apply_filters( 'woocommerce_get_settings_advanced', array( 'kept' ), 'webhooks' ) );
	}

	public function test_the_toggle_switches_recovery_in_the_sidecar_and_shows_its_state() {
		$_POST = array( Comeback_WC_Settings::FIELD => '1' );
		do_action( 'woocommerce_update_options_advanced_comeback' );
		$this->assertTrue( self::enabled() );
		ob_start();
		do_action( 'woocommerce_admin_field_comeback_toggle', array( 'title' => 'Recover unpaid orders' ) );
		$html = ob_get_clean();
		$this->assertMatchesRegularExpression( '/name="comeback_recover_unpaid" value="1"\s+checked=/', $html );
		$this->assertStringContainsString( 'page=comeback', $html );

		$_POST = array();
		do_action( 'woocommerce_update_options_advanced_comeback' );
		$this->assertFalse( self::enabled() );
	}

	public function test_a_user_without_manage_woocommerce_changes_nothing() {
		$_POST = array( Comeback_WC_Settings::FIELD => '1' );
		do_action( 'woocommerce_update_options_advanced_comeback' );
		$subscriber = wp_insert_user( array( 'user_login' => 'wcsub' . wp_rand(), 'user_pass' => 'pw-pw-pw-pw', 'role' => 'subscriber' ) );
		wp_set_current_user( $subscriber );
		$_POST = array();
		do_action( 'woocommerce_update_options_advanced_comeback' );
		$this->assertTrue( self::enabled() );
	}

	public function test_says_so_when_the_sidecar_cannot_be_reached() {
		update_option( Comeback_Options::SIDECAR_URL, 'http://127.0.0.1:9' );
		ob_start();
		do_action( 'woocommerce_admin_field_comeback_toggle', array( 'title' => 'Recover unpaid orders' ) );
		$this->assertStringContainsString( 'not connected to its sidecar', ob_get_clean() );
	}
}
