<?php
/**
 * WordPress configuration for the PHP tests: Debian's WordPress core (/usr/share/wordpress) on
 * the test run's MariaDB, the database named by the environment (a fresh one per run, created by
 * test/php/php.test.ts), a scratch wp-content with Comeback linked in as an ordinary plugin.
 */
// wp-load.php defines ABSPATH itself when WordPress is served from a core folder (servedCore()).
defined( 'ABSPATH' ) || define( 'ABSPATH', rtrim( getenv( 'WP_CORE_DIR' ) ?: '/usr/share/wordpress', '/' ) . '/' );
define( 'DB_NAME', getenv( 'WP_DB_NAME' ) );
define( 'DB_USER', getenv( 'WP_DB_USER' ) );
define( 'DB_PASSWORD', getenv( 'WP_DB_PASSWORD' ) );
define( 'DB_HOST', getenv( 'WP_DB_HOST' ) );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
define( 'WP_CONTENT_DIR', getenv( 'WP_CONTENT_DIR_TEST' ) );
define( 'WP_PLUGIN_DIR', WP_CONTENT_DIR . '/plugins' );
define( 'WPMU_PLUGIN_DIR', WP_CONTENT_DIR . '/mu-plugins' );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_DISPLAY', true );
define( 'DISABLE_WP_CRON', true );
define( 'WP_HOME', getenv( 'WP_TEST_HOME' ) ?: 'http://shop.example.test' );
define( 'WP_SITEURL', WP_HOME );
define( 'AUTH_KEY', 'test-auth-key' );
define( 'SECURE_AUTH_KEY', 'test-secure-auth-key' );
define( 'LOGGED_IN_KEY', 'test-logged-in-key' );
define( 'NONCE_KEY', 'test-nonce-key' );
define( 'AUTH_SALT', 'test-auth-salt' );
define( 'SECURE_AUTH_SALT', 'test-secure-auth-salt' );
define( 'LOGGED_IN_SALT', 'test-logged-in-salt' );
define( 'NONCE_SALT', 'test-nonce-salt' );
$table_prefix = 'wp_';
if ( 'cli' === PHP_SAPI ) {
	// A command-line run (install, PHPUnit) pretends to be a request to the site's home.
	$_SERVER['HTTP_HOST']   = wp_parse_url_host_for_tests( WP_HOME );
	$_SERVER['SERVER_NAME'] = $_SERVER['HTTP_HOST'];
	$_SERVER['REQUEST_URI'] = '/';
}

function wp_parse_url_host_for_tests( $url ) {
	$parts = parse_url( $url );
	return $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
}
