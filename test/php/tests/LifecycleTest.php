<?php
/**
 * The plugin's lifecycle reaches the sidecar, through WordPress core's own deactivate_plugins(),
 * activate_plugin() and uninstall_plugin() (the last in a process of its own, as WordPress deletes
 * a plugin in a request where it is not loaded): deactivating pauses the shop, activating
 * registers and resumes it, deleting disconnects it with the merchant's choice for its data, then
 * revokes the REST key WooCommerce issued to Comeback, deletes Comeback's webhooks and order
 * marks, and every option. The sidecar is a recording fake over HTTP (fake-sidecar-server.php);
 * the end-to-end test over the real sidecar is test/e2e/plugin-lifecycle.test.ts.
 */
require_once dirname( __DIR__ ) . '/fake-sidecar-server.php';
require_once dirname( __DIR__ ) . '/plugin-action-request.php';

class LifecycleTest extends PHPUnit\Framework\TestCase {

	private const PLUGIN = 'comeback/comeback.php';
	private const SECRET = 'lifecycle-test-shared-secret-0123456789';

	/** @var Comeback_Test_Fake_Sidecar */
	private static $sidecar;

	public static function setUpBeforeClass(): void {
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		self::$sidecar = new Comeback_Test_Fake_Sidecar();
	}

	public static function tearDownAfterClass(): void {
		self::$sidecar->stop();
	}

	public function setUp(): void {
		self::$sidecar->reset();
		update_option( Comeback_Options::SIDECAR_URL, self::$sidecar->url );
		update_option( Comeback_Options::SHARED_SECRET, self::SECRET );
		wp_set_current_user( 1 );
	}

	public function tearDown(): void {
		global $wpdb;
		// The other tests find Comeback active and connected to the real sidecar, as before.
		update_option( 'active_plugins', array( self::PLUGIN ) );
		update_option( Comeback_Options::SIDECAR_URL, getenv( 'COMEBACK_TEST_SIDECAR_URL' ) );
		update_option( Comeback_Options::SHARED_SECRET, getenv( 'COMEBACK_TEST_SHARED_SECRET' ) );
		foreach ( array( 'woocommerce_api_keys', 'wc_webhooks', 'wc_orders_meta' ) as $table ) {
			$wpdb->query( "DELETE FROM {$wpdb->prefix}{$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- test tables.
		}
		wp_set_current_user( 0 );
		$_POST    = array();
		$_REQUEST = array();
	}

	/**
	 * The requests the fake sidecar received, each checked as the sidecar checks it
	 * (sidecar/src/http/admin-auth.ts): this shop, and HMAC-SHA256 with the shared secret over
	 * "plugin-to-sidecar\n<METHOD>\n<path>\n<t>:<nonce>\n<body>".
	 *
	 * @return string[] "<METHOD> <path> <body>" each.
	 */
	private function signed_requests() {
		return array_map(
			function ( $request ) {
				$this->assertSame( home_url(), $request['shop'] );
				$this->assertMatchesRegularExpression( '/^t=(\d+),n=([0-9a-f]{16}),v1=([0-9a-f]{64})$/', $request['signature'] );
				preg_match( '/^t=(\d+),n=([0-9a-f]{16}),v1=([0-9a-f]{64})$/', $request['signature'], $m );
				$this->assertLessThan( 300, abs( time() - (int) $m[1] ) );
				// The nonce makes each request's signature its own: the sidecar takes a signed write once.
				$signed = implode( "\n", array( 'plugin-to-sidecar', $request['method'], $request['path'], $m[1] . ':' . $m[2], $request['body'] ) );
				$this->assertTrue( hash_equals( hash_hmac( 'sha256', $signed, self::SECRET ), $m[3] ), 'signed with the shared secret' );
				return $request['method'] . ' ' . $request['path'] . ' ' . $request['body'];
			},
			self::$sidecar->requests()
		);
	}

	public function test_deactivating_the_plugin_pauses_the_shop_in_the_sidecar() {
		deactivate_plugins( self::PLUGIN );

		$this->assertFalse( is_plugin_active( self::PLUGIN ) );
		$this->assertSame( array( 'POST /api/shop/pause {"reason":"plugin-deactivated"}' ), $this->signed_requests() );
	}

	public function test_a_sidecar_that_is_slow_or_gone_never_holds_up_deactivation() {
		self::$sidecar->answer( 'POST /api/shop/pause', 200, array( 'state' => 'paused' ), 10 );
		$started = microtime( true );
		deactivate_plugins( self::PLUGIN );
		$this->assertLessThan( 6, microtime( true ) - $started, 'a few seconds at most' );
		$this->assertFalse( is_plugin_active( self::PLUGIN ) );

		update_option( 'active_plugins', array( self::PLUGIN ) );
		update_option( Comeback_Options::SIDECAR_URL, 'http://127.0.0.1:9' );
		deactivate_plugins( self::PLUGIN );
		$this->assertFalse( is_plugin_active( self::PLUGIN ) );
	}

	public function test_deactivating_an_unconnected_plugin_sends_nothing() {
		update_option( Comeback_Options::SHARED_SECRET, '' );
		deactivate_plugins( self::PLUGIN );
		$this->assertSame( array(), self::$sidecar->requests() );
	}

	public function test_activating_the_plugin_registers_it_then_resumes_the_shop_it_paused() {
		update_option( 'active_plugins', array() );
		$this->assertNull( activate_plugin( self::PLUGIN ) );

		$this->assertTrue( is_plugin_active( self::PLUGIN ) );
		$this->assertSame(
			array(
				'PUT /api/shop/plugin ' . wp_json_encode( array( 'linkBase' => home_url( '/' ) ) ),
				'POST /api/shop/resume {"reason":"plugin-activated"}',
			),
			$this->signed_requests()
		);
	}

	/**
	 * What a connected shop holds of Comeback, and of others beside it: the REST key the merchant
	 * approved for Comeback (and one from an earlier connection), another app's key, the webhooks
	 * the sidecar created over REST (one renamed by the merchant), another plugin's webhook, and
	 * keep-alive marks on orders in both of WooCommerce's order storages — more than one batch.
	 *
	 * @return array What a test asserts on: the keys by name, the ids of the orders marked.
	 */
	private function connected_shop() {
		global $wpdb;
		$auth     = new WC_Auth();
		$keys     = array(
			'earlier' => $auth->create_keys( 'Comeback', 'pairing-token-1', 'read_write' ),
			'current' => $auth->create_keys( 'Comeback', 'pairing-token-2', 'read_write' ),
			'other'   => $auth->create_keys( 'Zapier', '42', 'read_write' ),
		);
		$delivery = self::$sidecar->url . '/webhooks/woocommerce';
		foreach ( array( 'order.created', 'order.updated', 'order.deleted' ) as $topic ) {
			( new WC_Webhook( array( 'name' => 'Comeback: ' . $topic, 'status' => 'active', 'topic' => $topic, 'delivery_url' => $delivery, 'secret' => 's' ) ) )->save();
		}
		( new WC_Webhook( array( 'name' => 'Orders to our sidecar', 'status' => 'active', 'topic' => 'order.restored', 'delivery_url' => $delivery, 'secret' => 's' ) ) )->save();
		$other = ( new WC_Webhook( array( 'name' => 'Slack: new orders', 'status' => 'active', 'topic' => 'order.created', 'delivery_url' => 'https://hooks.slack.example/x', 'secret' => 's' ) ) )->save();
		set_transient( 'woocommerce_webhook_ids_status_active', array( 1, 2, 3, 4, $other ) );

		// Posts storage: the order posts, marked over REST (update_post_meta), among other meta.
		$posts = array();
		for ( $i = 0; $i < 3; $i++ ) {
			$posts[] = wp_insert_post( array( 'post_type' => 'shop_order', 'post_status' => 'wc-pending', 'post_title' => 'Order' ) );
			update_post_meta( end( $posts ), '_comeback_recovery_until', (string) ( time() + DAY_IN_SECONDS ) );
			update_post_meta( end( $posts ), '_billing_email', 'ada@example.test' );
		}
		// HPOS: 1,201 marked orders (three batches of at most 500), each with another meta kept.
		$rows = array();
		for ( $order = 1000; $order < 2201; $order++ ) {
			$rows[] = $wpdb->prepare( '(%d, %s, %s), (%d, %s, %s)', $order, '_comeback_recovery_until', (string) time(), $order, '_wc_order_attribution_source_type', 'typein' );
		}
		$wpdb->query( "INSERT INTO {$wpdb->prefix}wc_orders_meta (order_id, meta_key, meta_value) VALUES " . implode( ',', $rows ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- each row prepared above.

		update_option( Comeback_Options::KEEP_ALIVE, 24 );
		set_transient( 'comeback_notice_1', array( 'ok' => true ), 60 );
		set_transient( 'someone_elses', 'kept', 60 );
		return array(
			'keys'  => $keys,
			'posts' => $posts,
		);
	}

	/**
	 * Plugins → Deactivate, then Plugins → Delete: deactivate_plugins() here, uninstall_plugin() in
	 * a request of its own (test/php/plugin-action.php).
	 *
	 * @return string[] The groups whose Action Scheduler actions were unscheduled.
	 */
	private function deactivate_and_delete( array $env = array() ) {
		deactivate_plugins( self::PLUGIN );
		$unscheduled = tempnam( sys_get_temp_dir(), 'comeback-unscheduled' );
		$deleted     = comeback_test_plugin_action( 'uninstall', $env + array( 'COMEBACK_TEST_UNSCHEDULED' => $unscheduled ) );
		$this->assertSame( 0, $deleted['code'], $deleted['output'] );
		$this->assertStringContainsString( 'uninstalled', $deleted['output'] );
		$groups = array_filter( explode( "\n", file_get_contents( $unscheduled ) ) );
		unlink( $unscheduled );
		return array_values( $groups );
	}

	private function key_names() {
		global $wpdb;
		return $wpdb->get_col( "SELECT truncated_key FROM {$wpdb->prefix}woocommerce_api_keys ORDER BY key_id" );
	}

	private function webhook_names() {
		return array_map(
			function ( $id ) {
				return wc_get_webhook( $id )->get_name();
			},
			WC_Data_Store::load( 'webhook' )->search_webhooks( array( 'limit' => -1 ) )
		);
	}

	/** Nothing of Comeback is left in WordPress; what is not Comeback's is untouched. */
	private function assert_nothing_of_comeback_left( array $shop, array $webhooks_left = array( 'Slack: new orders' ) ) {
		global $wpdb;
		$this->assertSame( $webhooks_left, $this->webhook_names() );
		$this->assertFalse( get_transient( 'woocommerce_webhook_ids_status_active' ), 'WooCommerce loads no deleted webhook from its cache' );
		foreach ( $shop['posts'] as $post ) {
			$this->assertSame( '', get_post_meta( $post, '_comeback_recovery_until', true ) );
			$this->assertSame( 'ada@example.test', get_post_meta( $post, '_billing_email', true ) );
		}
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}wc_orders_meta WHERE meta_key = '_comeback_recovery_until'" ) );
		$this->assertSame( '1201', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}wc_orders_meta WHERE meta_key = '_wc_order_attribution_source_type'" ) );
		foreach ( Comeback_Options::all() as $option ) {
			$this->assertFalse( get_option( $option ), $option );
		}
		$this->assertFalse( get_transient( 'comeback_notice_1' ) );
		$this->assertSame( 'kept', get_transient( 'someone_elses' ) );
	}

	public function test_deleting_the_plugin_disconnects_the_shop_keeping_its_data_and_revokes_comebacks_key() {
		$shop = $this->connected_shop();
		self::$sidecar->answer(
			'POST /api/shop/disconnect',
			200,
			array(
				'state'             => 'disconnected',
				'webhooksDeleted'   => 0,
				'messagesCancelled' => 1,
				'marksCleared'      => 0,
				'truncatedKey'      => substr( $shop['keys']['current']['consumer_key'], -7 ),
				'erased'            => false,
			)
		);

		$unscheduled = $this->deactivate_and_delete();

		$this->assertSame(
			array(
				'POST /api/shop/pause {"reason":"plugin-deactivated"}',
				'POST /api/shop/disconnect {"data":"keep","reason":"plugin-uninstalled"}',
			),
			$this->signed_requests()
		);
		$this->assertSame( array( substr( $shop['keys']['other']['consumer_key'], -7 ) ), $this->key_names(), 'only Comeback’s keys are revoked' );
		$this->assert_nothing_of_comeback_left( $shop );
		$this->assertSame( array( 'comeback' ), $unscheduled );
	}

	public function test_deleting_the_plugin_erases_the_shops_data_in_the_sidecar_when_the_merchant_chose_so() {
		global $wpdb;
		$shop = $this->connected_shop();
		update_option( Comeback_Options::UNINSTALL_DATA, 'erase' );
		// A key the merchant made by hand for Comeback: only the sidecar can say it is Comeback's.
		$wpdb->insert(
			$wpdb->prefix . 'woocommerce_api_keys',
			array(
				'user_id'         => 1,
				'description'     => 'sales recovery',
				'permissions'     => 'read_write',
				'consumer_key'    => wc_api_hash( 'ck_handmade0000000000000000000000000abc1234' ),
				'consumer_secret' => 'cs_handmade',
				'truncated_key'   => 'abc1234',
			)
		);
		self::$sidecar->answer(
			'POST /api/shop/disconnect',
			200,
			array(
				'state'        => 'disconnected',
				'truncatedKey' => 'abc1234',
				'erased'       => true,
			)
		);

		$this->deactivate_and_delete();

		$this->assertContains( 'POST /api/shop/disconnect {"data":"erase","reason":"plugin-uninstalled"}', $this->signed_requests() );
		$this->assertSame( array( substr( $shop['keys']['other']['consumer_key'], -7 ) ), $this->key_names() );
		$this->assert_nothing_of_comeback_left( $shop );
	}

	public function test_deleting_the_plugin_with_the_sidecar_unreachable_still_revokes_the_key_and_cleans_up() {
		$shop = $this->connected_shop();
		update_option( Comeback_Options::SIDECAR_URL, 'http://127.0.0.1:9' );

		$this->deactivate_and_delete();

		$this->assertSame( array(), self::$sidecar->requests() );
		$this->assertSame( array( substr( $shop['keys']['other']['consumer_key'], -7 ) ), $this->key_names(), 'the keys WooCommerce created for Comeback' );
		// The webhooks named as Comeback names them are gone; the renamed one pointed at the old address.
		$this->assert_nothing_of_comeback_left( $shop, array( 'Slack: new orders', 'Orders to our sidecar' ) );
	}

	public function test_deleting_the_plugin_with_woocommerce_deactivated_cleans_woocommerces_tables_directly() {
		$shop = $this->connected_shop();
		self::$sidecar->answer( 'POST /api/shop/disconnect', 409, array( 'error' => array( 'message' => 'already disconnected' ) ) );

		$unscheduled = $this->deactivate_and_delete( array( 'COMEBACK_TEST_WOOCOMMERCE' => 'absent' ) );

		$this->assertContains( 'POST /api/shop/disconnect {"data":"keep","reason":"plugin-uninstalled"}', $this->signed_requests() );
		$this->assertSame( array( substr( $shop['keys']['other']['consumer_key'], -7 ) ), $this->key_names() );
		$this->assert_nothing_of_comeback_left( $shop );
		$this->assertSame( array(), $unscheduled, 'no Action Scheduler without WooCommerce' );
	}
}
