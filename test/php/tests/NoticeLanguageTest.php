<?php
/**
 * What the plugin shows a customer who followed a message's link speaks the message's language:
 * the cart restore notices the language the sidecar answers with the cart, the link pages the
 * language the link carries beside its token (comeback_locale). WordPress switches to it with its
 * own switch_to_locale() when the site has it installed, and back afterwards. The Polish .mo is made
 * here from plugin/languages/comeback-pl_PL.po with WordPress's POMO, into a temporary directory;
 * "installed" is WordPress's own list (get_available_languages), read by a fresh locale switcher.
 */
class NoticeLanguageTest extends PHPUnit\Framework\TestCase {

	private const SIDECAR = 'https://sidecar.example.test';
	private const SECRET  = 'notice-language-shared-secret-0123456789';
	private const REF     = 'cartLinkRef0123456789';

	use Comeback_Test_Sidecar_Edge;

	/** @var string The temporary languages directory. */
	private static $dir;
	/** @var WP_Locale_Switcher The site's own switcher, put back after each test. */
	private $site_switcher;

	public static function setUpBeforeClass(): void {
		require_once ABSPATH . WPINC . '/pomo/po.php';
		self::$dir = get_temp_dir() . 'comeback-l10n-' . wp_generate_password( 8, false );
		wp_mkdir_p( self::$dir );
		$po = new PO();
		$po->import_from_file( dirname( __DIR__, 3 ) . '/plugin/languages/comeback-pl_PL.po' );
		$mo = new MO();
		$mo->set_headers( $po->headers );
		foreach ( $po->entries as $entry ) {
			$mo->add_entry( $entry );
		}
		$mo->export_to_file( self::$dir . '/comeback-pl_PL.mo' );
	}

	public static function tearDownAfterClass(): void {
		array_map( 'unlink', glob( self::$dir . '/*' ) );
		rmdir( self::$dir );
	}

	public function setUp(): void {
		$this->connect_fake_sidecar();
		add_filter( 'wp_die_handler', array( $this, 'die_handler' ) );
		_set_cron_array( array() );
		$GLOBALS['comeback_test_products'] = array(
			12 => new WC_Product( array( 'id' => 12, 'name' => 'Blue mug', 'price' => '12.5' ) ),
			40 => new WC_Product( array( 'id' => 40, 'name' => 'Old lamp', 'price' => '99', 'purchasable' => false ) ),
		);
		WC()->cart                         = new WC_Cart();
		WC()->session                      = new WC_Session_Handler( 't_notice' );
		WC()->customer                     = new WC_Customer();
		// Polish installed: the site's languages list names it, and the plugin's Polish file is ours.
		add_filter( 'get_available_languages', array( $this, 'with_polish' ) );
		add_filter( 'load_textdomain_mofile', array( $this, 'polish_file' ), 10, 2 );
		$this->site_switcher           = $GLOBALS['wp_locale_switcher'];
		$GLOBALS['wp_locale_switcher'] = new WP_Locale_Switcher();
		$GLOBALS['wp_locale_switcher']->init();
	}

	public function tearDown(): void {
		remove_filter( 'locale', array( $GLOBALS['wp_locale_switcher'], 'filter_locale' ) );
		$GLOBALS['wp_locale_switcher'] = $this->site_switcher;
		remove_filter( 'get_available_languages', array( $this, 'with_polish' ) );
		remove_filter( 'load_textdomain_mofile', array( $this, 'polish_file' ), 10 );
		$this->disconnect_fake_sidecar();
		remove_filter( 'wp_die_handler', array( $this, 'die_handler' ) );
		unset( $_GET['comeback'], $_GET['comeback_locale'] );
	}

	public function with_polish( $languages ) {
		return array_merge( (array) $languages, array( 'pl_PL' ) );
	}

	public function polish_file( $file, $domain ) {
		return 'comeback' === $domain && 'comeback-pl_PL.mo' === basename( $file ) ? self::$dir . '/comeback-pl_PL.mo' : $file;
	}

	public function die_handler() {
		return function ( $message, $title = '', $args = array() ) {
			throw new Comeback_Test_Stop( is_string( $message ) ? $message : 'died', (int) ( $args['response'] ?? 500 ) );
		};
	}

	private static function link( $kind, $expires_in = 3600 ) {
		return Comeback_Link_Token::sign( array( 'kind' => $kind, 'ref' => self::REF, 'expiresAt' => time() + $expires_in ), self::SECRET );
	}

	private function cart_answer( $locale ) {
		$this->answers[ 'GET /api/carts/' . self::REF ] = array(
			200,
			array(
				'items'  => array( array( 'productId' => 12, 'quantity' => 1 ), array( 'productId' => 40, 'quantity' => 1 ) ),
				'locale' => $locale,
			),
		);
	}

	public function test_a_polish_cart_links_notice_is_polish_and_the_site_speaks_its_own_language_again_after() {
		$this->cart_answer( 'pl_PL' );
		$this->assertSame( wc_get_checkout_url(), Comeback_Resume_Links::answer( self::link( 'cart' ) ) );
		$this->assertSame( 'Produkt Old lamp nie jest już dostępny, więc nie ma go w Twoim koszyku.', WC()->session->get( 'wc_notices' )['notice'][0]['notice'] );
		$this->assertSame( 'en_US', determine_locale() );
		$this->assertSame( 'Go to the shop', __( 'Go to the shop', 'comeback' ) );
	}

	public function test_a_language_the_site_has_not_installed_leaves_the_notice_in_the_sites_language() {
		$this->cart_answer( 'de_DE' );
		Comeback_Resume_Links::answer( self::link( 'cart' ) );
		$this->assertSame( 'Old lamp is no longer available, so it is not in your cart.', WC()->session->get( 'wc_notices' )['notice'][0]['notice'] );
	}

	public function test_an_expired_link_carrying_polish_gets_its_page_in_polish() {
		$_GET['comeback']        = self::link( 'pay', -60 );
		$_GET['comeback_locale'] = 'pl_PL';
		try {
			Comeback_Resume_Links::maybe_answer();
			$this->fail( 'the link was followed' );
		} catch ( Comeback_Test_Stop $stop ) {
			$this->assertSame( 410, $stop->status );
			$this->assertStringContainsString( 'Ten link do płatności wygasł', $stop->getMessage() );
		}
	}
}
