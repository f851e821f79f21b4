<?php
/**
 * For a test case talking to the fake: one fake per class, the plugin pointed at it (signed with
 * the class's SECRET, an administrator signed in) before each test and back at the run's real
 * sidecar after, and the requests it received checked as the sidecar checks them.
 */
trait Comeback_Test_With_Fake_Sidecar {

	/** @var Comeback_Test_Fake_Sidecar */
	private static $sidecar;

	public static function tearDownAfterClass(): void {
		self::$sidecar->stop();
	}

	private function use_fake_sidecar() {
		self::$sidecar->reset();
		update_option( Comeback_Options::SIDECAR_URL, self::$sidecar->url );
		update_option( Comeback_Options::SHARED_SECRET, self::SECRET );
		wp_set_current_user( 1 );
	}

	/** The other tests find Comeback connected to the real sidecar, as before. */
	private function use_real_sidecar() {
		update_option( Comeback_Options::SIDECAR_URL, getenv( 'COMEBACK_TEST_SIDECAR_URL' ) );
		update_option( Comeback_Options::SHARED_SECRET, getenv( 'COMEBACK_TEST_SHARED_SECRET' ) );
		wp_set_current_user( 0 );
		$_POST    = array();
		$_REQUEST = array();
	}

	/**
	 * The requests the fake received, each checked as the sidecar checks it
	 * (sidecar/src/http/admin-auth.ts): this shop, and HMAC-SHA256 with the shared secret over
	 * "plugin-to-sidecar\n<METHOD>\n<path>\n<t>:<nonce>\n<body>" within five minutes.
	 *
	 * @return array[] { method, path, body } each.
	 */
	private function checked_requests() {
		return array_map(
			function ( $request ) {
				$this->assertSame( home_url(), $request['shop'] );
				$this->assertMatchesRegularExpression( '/^t=(\d+),n=([0-9a-f]{16}),v1=([0-9a-f]{64})$/', $request['signature'] );
				preg_match( '/^t=(\d+),n=([0-9a-f]{16}),v1=([0-9a-f]{64})$/', $request['signature'], $m );
				$this->assertLessThan( 300, abs( time() - (int) $m[1] ) );
				// The nonce makes each request's signature its own: the sidecar takes a signed write once.
				$signed = implode( "\n", array( 'plugin-to-sidecar', $request['method'], $request['path'], $m[1] . ':' . $m[2], $request['body'] ) );
				$this->assertTrue( hash_equals( hash_hmac( 'sha256', $signed, self::SECRET ), $m[3] ), 'signed with the shared secret' );
				return $request;
			},
			self::$sidecar->requests()
		);
	}
}
