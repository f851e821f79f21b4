<?php
/**
 * The plugin in the site's language: its PHP strings from languages/comeback-<locale>.mo, and the
 * admin UI script handed its JSON translations by WordPress (wp_set_script_translations, found by
 * load_script_textdomain() as comeback-<locale>-comeback-admin.json), both made by the build
 * (scripts/make-translations.mjs) from comeback-pl_PL.po and shipped in the zip.
 */
class TranslationsTest extends PHPUnit\Framework\TestCase {

	public function setUp(): void {
		add_filter( 'locale', array( $this, 'polish' ) );
		unload_textdomain( 'comeback' );
		Comeback_Plugin::load_textdomain();
		wp_set_current_user( 1 );
	}

	public function tearDown(): void {
		remove_filter( 'locale', array( $this, 'polish' ) );
		unload_textdomain( 'comeback' );
		Comeback_Plugin::load_textdomain();
		wp_set_current_user( 0 );
	}

	public function polish() {
		return 'pl_PL';
	}

	public function test_the_plugin_speaks_polish_on_a_polish_site() {
		$this->assertSame(
			'Comeback wymaga WooCommerce. Zainstaluj i włącz WooCommerce, aby odzyskiwać nieopłacone zamówienia.',
			__( 'Comeback needs WooCommerce. Install and activate WooCommerce to recover unpaid orders.', 'comeback' )
		);
	}

	public function test_the_admin_ui_script_gets_the_polish_translations_after_wp_i18n() {
		Comeback_Admin_UI::enqueue( 'woocommerce_page_comeback' );
		$script = wp_scripts()->registered[ Comeback_Admin_UI::HANDLE ];
		$this->assertContains( 'wp-i18n', $script->deps );
		$this->assertSame( 'comeback', $script->textdomain );
		$json = load_script_textdomain( Comeback_Admin_UI::HANDLE, 'comeback', $script->translations_path );
		$this->assertIsString( $json, 'languages/comeback-pl_PL-comeback-admin.json is in the plugin' );
		$messages = json_decode( $json, true )['locale_data']['messages'];
		$this->assertSame( 'pl_PL', $messages['']['lang'] );
		$this->assertSame( array( 'Zapisz' ), $messages['Save'] );
		// Printed before the module, as a classic script that hands them to wp.i18n.
		ob_start();
		wp_scripts()->do_item( Comeback_Admin_UI::HANDLE );
		$tag = ob_get_clean();
		$this->assertStringContainsString( 'wp.i18n.setLocaleData', $tag );
		$this->assertStringContainsString( 'Zapisz', $tag );
		$this->assertMatchesRegularExpression( "#<script (?![^>]*module)[^>]*id='comeback-admin-js-translations'#", $tag );
		$this->assertMatchesRegularExpression( '#<script type="module" [^>]*src=[^>]*admin-ui/comeback-admin\.js#', $tag );
	}
}
