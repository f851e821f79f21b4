<?php
/**
 * WooCommerce → Comeback, "Import marketing opt-ins" from a user meta key the merchant names: a
 * dry run first (the sidecar's counts shown), then the import, both paged; admin only, with the
 * nonce. The sidecar is faked at the HTTP edge, answering POST /api/consents/import.
 */
class ConsentImportTest extends PHPUnit\Framework\TestCase {

	use Comeback_Test_Sidecar_Edge;

	private const SIDECAR = 'https://sidecar.example.test';
	private const SECRET  = 'import-test-shared-secret-0123456789';

	/** @var string A meta key of this test's own. */
	private $key;
	/** @var array email => user id */
	private $users = array();

	public function setUp(): void {
		$this->connect_fake_sidecar();
		add_filter( 'wp_die_handler', array( $this, 'die_handler' ) );
		add_filter( 'wp_redirect', array( $this, 'stop_redirect' ), 10, 2 );
		add_filter( 'comeback_consent_import_page_size', array( $this, 'two' ) );
		update_option( 'timezone_string', 'Europe/Warsaw' );
		wp_set_current_user( 1 );
		delete_transient( 'comeback_import_1' );
		$this->key = 'newsletter_' . wp_rand();
		$suffix    = wp_rand();
		$people    = array(
			'ada'   => array( '1', '2024-01-10 08:00:00' ),
			'grace' => array( 'yes', '2023-06-01 12:00:00' ),
			'alan'  => array( '2025-03-05 10:00:00', '2020-01-01 00:00:00' ), // agreed on that date (Warsaw time)
			'barb'  => array( '0', '2024-01-10 08:00:00' ),
			'ken'   => array( 'unsubscribed', '2024-01-10 08:00:00' ),
			'linus' => array( null, '2024-01-10 08:00:00' ), // never asked: no meta at all
		);
		foreach ( $people as $name => list( $value, $registered ) ) {
			$id = wp_insert_user(
				array(
					'user_login'      => $name . $suffix,
					'user_pass'       => 'pw-pw-pw-pw',
					'user_email'      => "$name$suffix@example.com",
					'user_registered' => $registered,
					'role'            => 'subscriber',
				)
			);
			if ( null !== $value ) {
				update_user_meta( $id, $this->key, $value );
			}
			$this->users[ $name ] = "$name$suffix@example.com";
		}
		$this->answers['POST /api/consents/import'] = array( 200, array( 'counts' => array( 'new' => 2, 'keptWithdrawn' => 1 ), 'invalid' => array() ) );
	}

	public function tearDown(): void {
		$this->disconnect_fake_sidecar();
		remove_filter( 'wp_die_handler', array( $this, 'die_handler' ) );
		remove_filter( 'wp_redirect', array( $this, 'stop_redirect' ), 10 );
		remove_filter( 'comeback_consent_import_page_size', array( $this, 'two' ) );
		update_option( 'timezone_string', '' );
		wp_set_current_user( 0 );
		$_POST    = array();
		$_REQUEST = array();
	}

	public function two() {
		return 2;
	}

	public function die_handler() {
		return function ( $message, $title = '', $args = array() ) {
			throw new Comeback_Test_Stop( is_string( $message ) ? $message : 'died', (int) ( $args['response'] ?? 500 ) );
		};
	}

	public function stop_redirect( $location, $status ) {
		throw new Comeback_Test_Stop( 'redirect', $status, $location );
	}

	private function step( array $fields, $nonce = null ) {
		$_POST    = $fields + array( '_wpnonce' => $nonce ?? wp_create_nonce( Comeback_Consent_Import::ACTION ) );
		$_REQUEST = $_POST;
		try {
			do_action( 'admin_post_' . Comeback_Consent_Import::ACTION );
		} catch ( Comeback_Test_Stop $stop ) {
			return $stop;
		}
		$this->fail( 'the step was not answered' );
	}

	private static function section() {
		ob_start();
		Comeback_Consent_Import::render();
		return ob_get_clean();
	}

	/** Clicks "Continue" until the run is done (as the page's script does); the CSVs and dry-run flags sent. */
	private function run_to_the_end( array $first ) {
		$this->requests = array();
		$stop           = $this->step( $first );
		$this->assertSame( admin_url( 'admin.php?page=comeback' ) . '#comeback-import', $stop->location );
		// The page's script presses "Continue" while the run goes on.
		$pages = 1;
		while ( false !== strpos( self::section(), 'comeback-import-continue' ) ) {
			$this->assertLessThan( 10, ++$pages );
			$this->step( array( 'step' => 'continue' ) );
		}
		return array_map(
			function ( $request ) {
				$this->assertSame( 'POST /api/consents/import', $request['method'] . ' ' . $request['path'] );
				$this->assertSignedBySecret( $request );
				return json_decode( $request['body'], true );
			},
			$this->requests
		);
	}

	public function test_a_dry_run_then_the_import_send_the_users_who_agreed_a_page_at_a_time() {
		$sent = $this->run_to_the_end( array( 'step' => 'dry-run', 'meta_key' => ' ' . $this->key . ' ' ) );
		$this->assertSame( $this->key, get_option( Comeback_Options::OPTIN_META_KEY ), 'the key is remembered' );
		$this->assertSame( array( true, true ), array_column( $sent, 'dryRun' ), 'five users with the key, two a page: the two pages with someone who agreed' );
		$rows = array_merge(
			...array_map(
				function ( $body ) {
					$lines = array_map( 'str_getcsv', array_filter( explode( "\n", $body['csv'] ) ) );
					$this->assertSame( array( 'email', 'channel', 'purpose', 'date', 'source' ), $lines[0] );
					return array_slice( $lines, 1 );
				},
				$sent
			)
		);
		$this->assertSame(
			array(
				array( $this->users['ada'], 'email', 'marketing', '2024-01-10T08:00:00Z', 'import' ),
				array( $this->users['grace'], 'email', 'marketing', '2023-06-01T12:00:00Z', 'import' ),
				array( $this->users['alan'], 'email', 'marketing', '2025-03-05T09:00:00Z', 'import' ),
			),
			$rows,
			'yes words dated by registration, a date by itself (site time to UTC); 0, unsubscribed and no meta left out'
		);

		$html = self::section();
		$this->assertStringContainsString( 'Dry run (nothing was changed)', $html );
		$this->assertStringContainsString( '5 users read, 3 who agreed', $html );
		$this->assertMatchesRegularExpression( '#<th>New</th><td>4</td></tr><tr><th>Kept withdrawn</th><td>2</td>#', $html, 'the sidecar’s counts, added up over the pages, in words' );
		$this->assertStringContainsString( 'Import the 3 customers who agreed', $html );

		$sent = $this->run_to_the_end( array( 'step' => 'import' ) );
		$this->assertSame( array( false, false ), array_column( $sent, 'dryRun' ) );
		$this->assertStringContainsString( $this->users['alan'], $sent[1]['csv'] );
		$html = self::section();
		$this->assertStringContainsString( 'Import finished.', $html );
		$this->assertStringNotContainsString( 'Import the 3', $html );
	}

	public function test_rows_the_sidecar_refuses_are_listed_by_customer() {
		$this->answers['POST /api/consents/import'] = array(
			200,
			array(
				'counts'  => array( 'new' => 1 ),
				'invalid' => array( array( 'line' => 3, 'reason' => 'Withdrawn <later> than this date' ) ),
			),
		);
		$this->run_to_the_end( array( 'step' => 'dry-run', 'meta_key' => $this->key ) );
		$html = self::section();
		$this->assertStringContainsString( '<li>' . $this->users['grace'] . ': Withdrawn &lt;later&gt; than this date</li>', $html );
	}

	public function test_the_import_needs_a_finished_dry_run_of_the_same_key() {
		$this->step( array( 'step' => 'import' ) );
		$this->assertStringContainsString( 'Run the dry run first', self::section() );
		$this->assertSame( array(), $this->requests );

		$this->run_to_the_end( array( 'step' => 'dry-run', 'meta_key' => $this->key ) );
		update_option( Comeback_Options::OPTIN_META_KEY, 'another_key' );
		$this->requests = array();
		$this->step( array( 'step' => 'import' ) );
		$this->assertSame( array(), $this->requests, 'the key changed since the dry run' );
	}

	public function test_a_sidecar_failure_stops_the_run_to_be_continued() {
		$this->answers['POST /api/consents/import'] = new WP_Error( 'http_request_failed', 'cURL error 7: Failed to connect' );
		$this->step( array( 'step' => 'dry-run', 'meta_key' => $this->key ) );
		$html = self::section();
		$this->assertStringContainsString( 'The sidecar did not take this page of customers', $html );
		$this->assertStringContainsString( 'comeback-import-continue', $html, 'a Continue button' );
		$this->assertStringNotContainsString( '.submit()', $html, 'not pressed by itself after a failure' );

		$this->answers['POST /api/consents/import'] = array( 200, array( 'counts' => array( 'new' => 2 ), 'invalid' => array() ) );
		$this->step( array( 'step' => 'continue' ) );
		$this->assertStringContainsString( 'ada', json_decode( end( $this->requests )['body'], true )['csv'], 'the failed page again' );
	}

	public function test_only_a_shop_manager_with_the_nonce_may_run_it() {
		$this->assertSame( 403, $this->step( array( 'step' => 'dry-run', 'meta_key' => $this->key ), 'forged' )->status );
		$subscriber = wp_insert_user( array( 'user_login' => 'importsub' . wp_rand(), 'user_pass' => 'pw-pw-pw-pw', 'role' => 'subscriber' ) );
		wp_set_current_user( $subscriber );
		$this->assertSame( 403, $this->step( array( 'step' => 'dry-run', 'meta_key' => $this->key ) )->status );
		$this->assertSame( array(), $this->requests );
		$this->assertNotSame( $this->key, get_option( Comeback_Options::OPTIN_META_KEY ) );
	}

	public function test_the_section_is_on_the_comeback_page_once_connected() {
		ob_start();
		Comeback_Settings::render();
		$html = ob_get_clean();
		$this->assertStringContainsString( 'Import marketing opt-ins', $html );
		$this->assertStringContainsString( 'name="action" value="comeback_consent_import"', $html );
	}
}
