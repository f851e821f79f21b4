<?php
/**
 * WordPress's own privacy tools reach Comeback: a request created with wp_create_user_request()
 * is exported and erased through WordPress core's AJAX handlers (wp-admin/includes/ajax-actions.php,
 * wp_ajax_wp_privacy_export_personal_data() and wp_ajax_wp_privacy_erase_personal_data()), which
 * call the exporters and erasers registered with wp_privacy_personal_data_exporters /
 * wp_privacy_personal_data_erasers page by page until done. The sidecar is a recording fake over
 * HTTP answering the contract of POST /api/privacy/export and /erase; the end-to-end test over the
 * real sidecar is test/e2e/privacy-tools.test.ts.
 */
require_once dirname( __DIR__ ) . '/fake-sidecar-server.php';
require_once dirname( __DIR__ ) . '/test-stop.php';

class PrivacyTest extends PHPUnit\Framework\TestCase {

	private const SECRET = 'privacy-test-shared-secret-0123456789';

	use Comeback_Test_With_Fake_Sidecar;

	public static function setUpBeforeClass(): void {
		require_once ABSPATH . 'wp-admin/includes/ajax-actions.php';
		self::$sidecar = new Comeback_Test_Fake_Sidecar();
	}

	public function setUp(): void {
		$this->use_fake_sidecar();
	}

	public function tearDown(): void {
		$this->use_real_sidecar();
	}

	public function die_handler() {
		return function ( $message, $title = '', $args = array() ) {
			throw new Comeback_Test_Stop( is_string( $message ) ? $message : 'died', (int) ( $args['response'] ?? 500 ) );
		};
	}

	/**
	 * One page of WordPress's export or erase request, as Tools → Export/Erase Personal Data posts it
	 * (the request id, the exporter's or eraser's 1-based index, the page, the nonce core checks).
	 *
	 * @param string $kind 'export' or 'erase'.
	 * @return array WordPress's JSON answer: { success, data }.
	 */
	private function tool_page( $kind, $request_id, $page ) {
		$filter = 'export' === $kind ? 'wp_privacy_personal_data_exporters' : 'wp_privacy_personal_data_erasers';
		$index  = array_search( Comeback_Privacy::KEY, array_keys( apply_filters( $filter, array() ) ), true ) + 1;
		$_POST  = array(
			'id'       => $request_id,
			'page'     => $page,
			'security' => wp_create_nonce( 'wp-privacy-' . $kind . '-personal-data-' . $request_id ),
		);
		$_POST[ 'export' === $kind ? 'exporter' : 'eraser' ] = $index;
		$_REQUEST = $_POST;
		add_filter( 'wp_doing_ajax', '__return_true' );
		add_filter( 'wp_die_ajax_handler', array( $this, 'die_handler' ) );
		ob_start();
		try {
			'export' === $kind ? wp_ajax_wp_privacy_export_personal_data() : wp_ajax_wp_privacy_erase_personal_data();
			$this->fail( 'WordPress did not answer' );
		} catch ( Comeback_Test_Stop $stop ) {
			return json_decode( ob_get_clean(), true );
		} finally {
			remove_filter( 'wp_doing_ajax', '__return_true' );
			remove_filter( 'wp_die_ajax_handler', array( $this, 'die_handler' ) );
		}
	}

	/** The bodies the fake sidecar received on a path, each request signed as the sidecar checks. */
	private function signed_bodies( $path ) {
		$on_path = array_filter(
			$this->checked_requests(),
			function ( $request ) use ( $path ) {
				return $path === $request['path'];
			}
		);
		return array_values(
			array_map(
				function ( $request ) {
					return json_decode( $request['body'], true );
				},
				$on_path
			)
		);
	}

	public function test_wordpress_exports_what_the_sidecar_holds_page_by_page_escaped_with_the_accounts_phone() {
		$user = wp_insert_user(
			array(
				'user_login' => 'ada-export',
				'user_email' => 'ada.export@example.test',
				'user_pass'  => wp_generate_password(),
			)
		);
		update_user_meta( $user, 'billing_phone', '500 000 001' );
		update_user_meta( $user, 'billing_country', 'PL' );
		$request_id = wp_create_user_request( 'ada.export@example.test', 'export_personal_data' );
		$this->assertIsInt( $request_id );

		$item = function ( $id, $value ) {
			return array(
				'groupId'    => 'comeback-messages',
				'groupLabel' => 'Messages sent',
				'itemId'     => 'comeback-message:' . $id,
				'data'       => array(
					array(
						'name'  => 'Text',
						'value' => $value,
					),
				),
			);
		};
		self::$sidecar->answer(
			'POST ' . Comeback_Privacy::EXPORT_PATH,
			200,
			array(
				'data'     => array( $item( 1, 'Hi <a href="https://evil.example">Ada</a> & co' ) ),
				'done'     => false,
				'nextPage' => 2,
			)
		);
		$first = $this->tool_page( 'export', $request_id, 1 );
		$this->assertTrue( $first['success'], wp_json_encode( $first ) );
		$this->assertFalse( $first['data']['done'] );
		$this->assertSame(
			array(
				array(
					'group_id'    => 'comeback-messages',
					'group_label' => 'Messages sent',
					'item_id'     => 'comeback-message1',
					'data'        => array(
						array(
							'name'  => 'Text',
							'value' => 'Hi &lt;a href=&quot;https://evil.example&quot;&gt;Ada&lt;/a&gt; &amp; co',
						),
					),
				),
			),
			$first['data']['data']
		);

		self::$sidecar->answer(
			'POST ' . Comeback_Privacy::EXPORT_PATH,
			200,
			array(
				'data' => array( $item( 2, 'Second page' ) ),
				'done' => true,
			)
		);
		$second = $this->tool_page( 'export', $request_id, 2 );
		$this->assertTrue( $second['data']['done'] );
		$this->assertSame( 'Second page', $second['data']['data'][0]['data'][0]['value'] );

		$this->assertSame(
			array(
				array(
					'email'   => 'ada.export@example.test',
					'page'    => 1,
					'phone'   => '500 000 001',
					'country' => 'PL',
				),
				array(
					'email'   => 'ada.export@example.test',
					'page'    => 2,
					'phone'   => '500 000 001',
					'country' => 'PL',
				),
			),
			$this->signed_bodies( Comeback_Privacy::EXPORT_PATH )
		);
	}

	public function test_wordpress_erases_through_the_sidecar_until_done_and_completes_the_request() {
		$request_id = wp_create_user_request( 'guest.erase@example.test', 'remove_personal_data' );
		self::$sidecar->answer(
			'POST ' . Comeback_Privacy::ERASE_PATH,
			200,
			array(
				'itemsRemoved'  => 500,
				'itemsRetained' => 1,
				'messages'      => array( 'Coupon <b>CB-1</b> could not be deleted in WooCommerce now; delete it there, or erase again later.' ),
				'done'          => false,
			)
		);
		$first = $this->tool_page( 'erase', $request_id, 1 );
		$this->assertTrue( $first['success'], wp_json_encode( $first ) );
		$this->assertSame(
			array(
				'items_removed'  => true,
				'items_retained' => true,
				'messages'       => array( 'Coupon &lt;b&gt;CB-1&lt;/b&gt; could not be deleted in WooCommerce now; delete it there, or erase again later.' ),
				'done'           => false,
			),
			$first['data']
		);
		self::$sidecar->answer(
			'POST ' . Comeback_Privacy::ERASE_PATH,
			200,
			array(
				'itemsRemoved'  => 3,
				'itemsRetained' => 0,
				'messages'      => array(),
				'done'          => true,
			)
		);
		$second = $this->tool_page( 'erase', $request_id, 2 );
		$this->assertSame(
			array(
				'items_removed'  => true,
				'items_retained' => false,
				'messages'       => array(),
				'done'           => true,
			),
			$second['data']
		);
		$this->assertSame(
			array(
				array(
					'email' => 'guest.erase@example.test',
					'page'  => 1,
				),
				array(
					'email' => 'guest.erase@example.test',
					'page'  => 2,
				),
			),
			$this->signed_bodies( Comeback_Privacy::ERASE_PATH )
		);
	}

	public function test_a_sidecar_that_cannot_answer_fails_the_request_instead_of_reporting_nothing_held() {
		$request_id = wp_create_user_request( 'down@example.test', 'export_personal_data' );
		self::$sidecar->answer( 'POST ' . Comeback_Privacy::EXPORT_PATH, 503, array( 'error' => array( 'code' => 'busy' ) ) );
		$answer = $this->tool_page( 'export', $request_id, 1 );
		$this->assertFalse( $answer['success'] );
		$this->assertStringContainsString( 'HTTP 503', wp_json_encode( $answer['data'] ) );
	}

	/**
	 * WooCommerce's order exporter and eraser ask these filters for extensions' meta
	 * (includes/class-wc-privacy-exporters.php get_order_personal_data(); class-wc-privacy-erasers.php
	 * remove_order_personal_data(): a meta whose anonymised value is empty is deleted).
	 */
	public function test_comeback_order_meta_goes_with_woocommerces_order_export_and_erasure() {
		$export = apply_filters( 'woocommerce_privacy_export_order_personal_data_meta', array( 'Transaction ID' => 'Transaction ID' ) );
		$this->assertArrayHasKey( Comeback_Cart_Capture::ORDER_META, $export );
		$this->assertArrayHasKey( Comeback_Keep_Alive::META, $export );
		$order = new WC_Order( array( 'id' => 77 ) );
		$this->assertSame( 'Yes', apply_filters( 'woocommerce_privacy_export_order_personal_data_meta_value', 'yes', Comeback_Cart_Capture::ORDER_META, $order ) );

		$remove = apply_filters( 'woocommerce_privacy_remove_order_personal_data_meta', array( 'Transaction ID' => 'numeric_id' ) );
		$this->assertSame( 'text', $remove[ Comeback_Cart_Capture::ORDER_META ] );
		$this->assertSame( 'text', $remove[ Comeback_Keep_Alive::META ] );
		$anonymised = wp_privacy_anonymize_data( 'text', 'yes' );
		$this->assertSame( '', apply_filters( 'woocommerce_privacy_remove_order_personal_data_meta_value', $anonymised, Comeback_Cart_Capture::ORDER_META, 'yes', 'text', $order ) );
		$this->assertSame( $anonymised, apply_filters( 'woocommerce_privacy_remove_order_personal_data_meta_value', $anonymised, 'Transaction ID', '1', 'text', $order ) );
	}
}
