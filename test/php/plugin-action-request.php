<?php
/**
 * Runs test/php/plugin-action.php (Plugins → Deactivate, Activate or Delete through WordPress
 * core) in a process of its own, as WordPress runs each in a request of its own, then flushes this
 * process's caches: that request changed the database under them.
 *
 * @param string $action deactivate, activate or uninstall.
 * @param array  $env    Added to this process's environment.
 * @return array { code: int, output: string }
 */
function comeback_test_plugin_action( $action, array $env = array() ) {
	$process = proc_open(
		array( PHP_BINARY, __DIR__ . '/plugin-action.php', $action ),
		array( array( 'file', '/dev/null', 'r' ), array( 'pipe', 'w' ), array( 'pipe', 'w' ) ),
		$pipes,
		__DIR__,
		array_merge( getenv(), $env )
	);
	$output  = stream_get_contents( $pipes[1] ) . stream_get_contents( $pipes[2] );
	$code    = proc_close( $process );
	wp_cache_flush();
	return array(
		'code'   => $code,
		'output' => $output,
	);
}
