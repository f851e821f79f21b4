<?php
/**
 * Registering this plugin with the sidecar (PUT /api/shop/plugin): the shop's home URL as the
 * link base, so payment and cart links lead to the shop's own domain, answered here. On that
 * request the sidecar also reads this plugin's shop profile (company, BACS accounts, price and
 * date formats: Comeback_Rest::shop_profile()), and its periodic sweep reads it again
 * (sidecar/src/woo/plugin-profile.ts, refreshProfilesFromPlugins).
 *
 * Registration never depends on one screen: it runs on activation (when the sidecar URL and the
 * shared secret are stored), on one-click connect, on every save of the plain form and of
 * WooCommerce → Settings → Advanced → Comeback, and after every successful write of the admin UI
 * through its proxy (Comeback_Admin_UI::proxy()) — there at most once a minute, so a burst of
 * saves registers once.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Registration {

	/** Set for a minute after a registration the sidecar accepted. */
	public const RECENT = 'comeback_registered_recently';

	/** Both halves of the connection are stored: the sidecar URL and the shared secret. */
	public static function configured() {
		return '' !== Comeback_Options::sidecar_url() && '' !== Comeback_Options::shared_secret();
	}

	/**
	 * Registers now.
	 *
	 * @return bool Whether the sidecar accepted it.
	 */
	public static function register() {
		if ( ! self::configured() ) {
			return false;
		}
		$answer = Comeback_Sidecar_Client::configured()->request( 'PUT', '/api/shop/plugin', array( 'linkBase' => home_url( '/' ) ) );
		$ok     = ! is_wp_error( $answer ) && 200 === $answer['status'];
		if ( $ok ) {
			set_transient( self::RECENT, time(), MINUTE_IN_SECONDS );
		}
		return $ok;
	}

	/**
	 * Registers unless a registration went through in the last minute.
	 *
	 * @return bool Whether it registered now.
	 */
	public static function register_at_most_once_a_minute() {
		if ( false !== get_transient( self::RECENT ) ) {
			return false;
		}
		return self::register();
	}

	/** register_activation_hook(): a plugin re-activated on a connected shop registers again. */
	public static function on_activation() {
		self::register();
	}
}
