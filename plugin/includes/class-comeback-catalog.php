<?php
/**
 * The one shortcode catalogue (shortcodes/catalog.json): names, attributes, descriptions. The
 * plugin zip carries a copy beside the plugin; in the repository it is read from shortcodes/.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Catalog {

	/** @var array|null */
	private static $shortcodes = null;

	/** @return array Shortcode definitions keyed by name. */
	public static function shortcodes() {
		if ( null === self::$shortcodes ) {
			$file = self::path();
			$data = json_decode( (string) file_get_contents( $file ), true );
			if ( ! is_array( $data ) ) {
				throw new RuntimeException( 'the shortcode catalogue is missing or broken: ' . $file );
			}
			self::$shortcodes = array();
			foreach ( $data as $shortcode ) {
				self::$shortcodes[ $shortcode['name'] ] = $shortcode;
			}
		}
		return self::$shortcodes;
	}

	public static function path() {
		$packaged = COMEBACK_DIR . '/shortcodes/catalog.json';
		return file_exists( $packaged ) ? $packaged : dirname( COMEBACK_DIR ) . '/shortcodes/catalog.json';
	}
}
