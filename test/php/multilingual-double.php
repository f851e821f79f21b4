<?php
/**
 * Minimal doubles of the multilingual plugins' public API that Comeback_Languages calls, inert
 * until a test sets what the plugin would answer (PHPUnit runs every test in one process, and a
 * function once declared stays). WPML answers through filters, which tests add and remove
 * themselves (apply_filters( 'wpml_current_language', null ) and 'wpml_active_languages', as
 * wpml.org documents its hooks); TranslatePress through its global $TRP_LANGUAGE, its order meta
 * trp_language and its option trp_settings, which tests set. Polylang through functions:
 */

if ( ! function_exists( 'pll_current_language' ) ) {
	/**
	 * As polylang/polylang src/api.php pll_current_language( $field = 'slug' ): the current
	 * language's field ('slug' or 'locale'), false when there is no current language.
	 *
	 * @param string $field The field.
	 */
	function pll_current_language( $field = 'slug' ) {
		$current = $GLOBALS['comeback_test_polylang']['current'] ?? null;
		return $current ? ( $current[ $field ] ?? false ) : false;
	}
}

if ( ! function_exists( 'pll_languages_list' ) ) {
	/**
	 * As src/api.php pll_languages_list( $args ): the field ('slug' by default) of every language, [] with none.
	 *
	 * @param array $args The arguments: fields.
	 */
	function pll_languages_list( $args = array() ) {
		$field = $args['fields'] ?? 'slug';
		return array_column( $GLOBALS['comeback_test_polylang']['languages'] ?? array(), $field );
	}
}

if ( ! function_exists( 'pll_get_post_language' ) ) {
	/**
	 * As src/api.php pll_get_post_language( $post_id, $field = 'slug' ): the post's language field,
	 * false for a post without one (Polylang for WooCommerce makes orders such posts).
	 *
	 * @param int    $post_id The post's id.
	 * @param string $field   The field.
	 */
	function pll_get_post_language( $post_id, $field = 'slug' ) {
		$language = $GLOBALS['comeback_test_polylang']['posts'][ $post_id ] ?? null;
		return $language ? ( $language[ $field ] ?? false ) : false;
	}
}
