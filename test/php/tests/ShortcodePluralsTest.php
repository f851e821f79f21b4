<?php
/**
 * Counts with their noun in the message's language: the shared plural vectors
 * (shortcodes/vectors/plurals.json, the same file the sidecar's plurals.test.ts reads) through the
 * plugin's Comeback_Shortcodes::count_words(), translated by WordPress's own _n() from the plugin's
 * catalogue, plugin/languages/comeback-<locale>.po: read with WordPress's POMO classes
 * (PO::import_from_file(), wp-includes/pomo/po.php), written as the .mo WordPress loads
 * (MO::export_to_file(), wp-includes/pomo/mo.php) and loaded with load_textdomain(). Only the MO
 * class chooses a plural form by the catalogue's Plural-Forms (MO::select_plural_form() calls
 * Gettext_Translations::gettext_select_plural_form(); PO keeps Translations' English two forms).
 */
class ShortcodePluralsTest extends PHPUnit\Framework\TestCase {

	/** @var string[] The .mo files a test wrote. */
	private $written = array();

	protected function tearDown(): void {
		unload_textdomain( 'comeback' );
		foreach ( $this->written as $file ) {
			unlink( $file );
		}
	}

	private static function root() {
		return dirname( __DIR__, 3 );
	}

	/** Speaks $locale for the plugin's domain as WordPress does once the locale's .mo is loaded. */
	private function speak( $locale ) {
		unload_textdomain( 'comeback' );
		if ( 'en_US' === $locale ) {
			return;
		}
		require_once ABSPATH . WPINC . '/pomo/po.php';
		$po = new PO();
		$this->assertTrue( $po->import_from_file( self::root() . '/plugin/languages/comeback-' . $locale . '.po' ), "no catalogue for $locale" );
		$mo = new MO();
		$mo->set_headers( $po->headers );
		foreach ( $po->entries as $entry ) {
			$mo->add_entry( $entry );
		}
		$file            = tempnam( sys_get_temp_dir(), 'comeback-' . $locale );
		$this->written[] = $file;
		$this->assertTrue( $mo->export_to_file( $file ) );
		$this->assertTrue( load_textdomain( 'comeback', $file ) );
	}

	public function vector_provider() {
		$file  = json_decode( file_get_contents( self::root() . '/shortcodes/vectors/plurals.json' ), true );
		$cases = array();
		foreach ( $file['vectors'] as $vector ) {
			$cases[ $vector['locale'] . ' ' . $vector['count'] . ' ' . $vector['noun'] ] = array( $vector );
		}
		return $cases;
	}

	/** @dataProvider vector_provider */
	public function test_the_plugin_counts_as_the_sidecar_does( array $vector ) {
		$this->speak( $vector['locale'] );
		$this->assertSame( $vector['expected'], Comeback_Shortcodes::count_words( $vector['noun'], $vector['count'], (string) $vector['count'] ) );
	}

	public function test_the_polish_catalogue_has_three_forms_by_the_polish_rule() {
		$this->speak( 'pl_PL' );
		$mo = get_translations_for_domain( 'comeback' );
		$this->assertSame( 3, $mo->get_plural_forms_count() );
		$this->assertSame( array( 0, 1, 2, 1, 2, 2 ), array_map( array( $mo, 'select_plural_form' ), array( 1, 22, 12, 102, 112, 0 ) ) );
	}

	public function test_item_count_in_an_order_speaks_the_language_wordpress_speaks() {
		$file    = json_decode( file_get_contents( self::root() . '/shortcodes/vectors/render.json' ), true );
		$context = $file['contexts']['pl'];
		// 2 + 1 pieces.
		$this->speak( 'pl_PL' );
		$this->assertSame( 'Zamówienie (3 produkty) czeka.', Comeback_Shortcodes::render( 'Zamówienie ([item_count]) czeka.', $context, 'text' ) );
		$context['order']['items'][0]['quantity'] = 4;
		$this->assertSame( '5 produktów', Comeback_Shortcodes::render( '[item_count]', $context, 'html' ) );
		$context['order']['items'][0]['quantity'] = 0;
		$this->assertSame( '1 produkt', Comeback_Shortcodes::render( '[item_count]', $context, 'text' ) );
		$this->speak( 'en_US' );
		$this->assertSame( '1 item', Comeback_Shortcodes::render( '[item_count]', $context, 'text' ) );
	}
}
