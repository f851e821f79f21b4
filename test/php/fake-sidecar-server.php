<?php
/**
 * A recording fake sidecar over real HTTP on 127.0.0.1 (`php -S` with fake-sidecar.php), for the
 * plugin's calls made where no real sidecar can be asked what it was told: deactivation,
 * activation and uninstall (which runs in another process). The requests it recorded are read
 * back, and their signatures checked, by the test.
 */
class Comeback_Test_Fake_Sidecar {
	/** @var string */
	public $url;
	/** @var resource */
	private $process;
	/** @var string */
	private $dir;

	public function __construct() {
		$this->dir = sys_get_temp_dir() . '/comeback-fake-sidecar-' . getmypid() . '-' . wp_rand();
		mkdir( $this->dir );
		$socket = stream_socket_server( 'tcp://127.0.0.1:0' );
		$port   = (int) substr( strrchr( stream_socket_get_name( $socket, false ), ':' ), 1 );
		fclose( $socket );
		$this->url = 'http://127.0.0.1:' . $port;
		$env       = getenv() + array(
			'COMEBACK_FAKE_LOG'      => $this->dir . '/requests.jsonl',
			'COMEBACK_FAKE_ANSWERS'  => $this->dir . '/answers.json',
			// A slow answer must not hold up the next request.
			'PHP_CLI_SERVER_WORKERS' => '4',
			// (The workers are the server's children: stop() ends its whole session.)
		);
		$this->process = proc_open(
			array( 'setsid', PHP_BINARY, '-S', '127.0.0.1:' . $port, __DIR__ . '/fake-sidecar.php' ),
			array( array( 'file', '/dev/null', 'r' ), array( 'file', '/dev/null', 'w' ), array( 'file', '/dev/null', 'w' ) ),
			$pipes,
			__DIR__,
			$env
		);
		for ( $i = 0; $i < 100; $i++ ) {
			$probe = @fsockopen( '127.0.0.1', $port ); // phpcs:ignore Generic.PHP.NoSilencedErrors.Discouraged -- refused until the server listens.
			if ( $probe ) {
				fclose( $probe );
				break;
			}
			usleep( 50000 );
		}
		$this->reset();
	}

	/** Forgets what was recorded and answered. */
	public function reset() {
		file_put_contents( $this->dir . '/requests.jsonl', '' );
		file_put_contents( $this->dir . '/answers.json', '{}' );
	}

	/** The next requests to "<METHOD> <path>" get this answer. */
	public function answer( $route, $status, $body, $delay = 0 ) {
		$answers           = json_decode( file_get_contents( $this->dir . '/answers.json' ), true );
		$answers[ $route ] = array(
			'status' => $status,
			'body'   => $body,
			'delay'  => $delay,
		);
		file_put_contents( $this->dir . '/answers.json', wp_json_encode( $answers ) );
	}

	/** @return array[] The requests recorded, oldest first. */
	public function requests() {
		$lines = array_filter( explode( "\n", file_get_contents( $this->dir . '/requests.jsonl' ) ) );
		return array_map(
			function ( $line ) {
				return json_decode( $line, true );
			},
			array_values( $lines )
		);
	}

	public function stop() {
		// setsid made the server the leader of its own process group, workers included.
		posix_kill( -proc_get_status( $this->process )['pid'], SIGTERM );
		proc_close( $this->process );
		array_map( 'unlink', glob( $this->dir . '/*' ) );
		rmdir( $this->dir );
	}
}

require_once __DIR__ . '/with-fake-sidecar.php';
