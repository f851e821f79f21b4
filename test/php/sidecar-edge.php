<?php
/**
 * The sidecar faked at the HTTP edge inside the test process (pre_http_request): a test sets
 * $this->answers, "<METHOD> <path>" => array( status, body ) or a WP_Error, and reads what the
 * plugin sent in $this->requests. For calls the sidecar's own tests cover (carts, consents).
 */
trait Comeback_Test_Sidecar_Edge {

	/** @var array Requests the fake sidecar received: method, path, headers, body, timeout. */
	private $requests = array();
	/** @var array "METHOD /path" => array( status, body ) or a WP_Error. */
	private $answers = array();

	/** Connects the plugin to the fake (SIDECAR, SECRET: the test class's constants) and starts answering. */
	private function connect_fake_sidecar() {
		update_option( Comeback_Options::SIDECAR_URL, self::SIDECAR );
		update_option( Comeback_Options::SHARED_SECRET, self::SECRET );
		add_filter( 'pre_http_request', array( $this, 'fake_sidecar' ), 10, 3 );
	}

	private function disconnect_fake_sidecar() {
		remove_filter( 'pre_http_request', array( $this, 'fake_sidecar' ), 10 );
	}

	public function fake_sidecar( $preempt, $args, $url ) {
		if ( 0 !== strpos( $url, self::SIDECAR ) ) {
			return $preempt;
		}
		$path             = substr( $url, strlen( self::SIDECAR ) );
		$this->requests[] = array( 'method' => $args['method'], 'path' => $path, 'headers' => $args['headers'], 'body' => $args['body'], 'timeout' => $args['timeout'] );
		$route            = $args['method'] . ' ' . (string) strtok( $path, '?' );
		$answer           = $this->answers[ $route ] ?? array( 404, array( 'error' => array( 'code' => 'not_found' ) ) );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		return array(
			'headers'  => array(),
			'body'     => wp_json_encode( $answer[1] ),
			'response' => array( 'code' => $answer[0], 'message' => '' ),
			'cookies'  => array(),
			'filename' => null,
		);
	}

	/** Asserts the request was signed for this direction, method, path (query included) and body. */
	private function assertSignedBySecret( array $request ) {
		preg_match( '/^t=(\d+),n=([0-9a-f]{16}),v1=/', $request['headers']['x-comeback-signature'], $m );
		$this->assertSame( Comeback_Sidecar_Client::sign( self::SECRET, 'plugin-to-sidecar', $request['method'], $request['path'], (string) $request['body'], (int) $m[1], $m[2] ), $request['headers']['x-comeback-signature'] );
		$this->assertSame( home_url(), $request['headers']['x-comeback-shop'] );
	}
}
