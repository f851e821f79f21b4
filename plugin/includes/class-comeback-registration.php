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
 * The plugin's lifecycle reaches the sidecar too: deactivating pauses the shop there (no
 * webhooks re-created, no reminders sent: their links would lead to a shop that no longer answers
 * them), activating registers again and resumes a shop the plugin paused — never one the merchant
 * paused. Deleting the plugin disconnects the shop (Comeback_Uninstall, from uninstall.php).
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

	/** Seconds deactivation waits for the sidecar: the merchant's click must not hang on it. */
	private const PAUSE_TIMEOUT = 3;

	/**
	 * register_activation_hook(): a plugin re-activated on a connected shop registers again, then
	 * resumes the shop if its deactivation paused it (the sidecar keeps a merchant's pause).
	 */
	public static function on_activation() {
		if ( ! self::configured() ) {
			return;
		}
		self::register();
		Comeback_Sidecar_Client::configured()->request( 'POST', '/api/shop/resume', array( 'reason' => 'plugin-activated' ) );
	}

	/**
	 * register_deactivation_hook(): the sidecar pauses the shop. A sidecar that does not answer
	 * within a few seconds never holds up the deactivation.
	 */
	public static function on_deactivation() {
		// The account endpoint goes with the plugin: its rewrite rules are flushed again on the next activation.
		delete_option( Comeback_Options::REWRITE_ENDPOINTS );
		if ( ! self::configured() ) {
			return;
		}
		Comeback_Sidecar_Client::configured()->request( 'POST', '/api/shop/pause', array( 'reason' => 'plugin-deactivated' ), self::PAUSE_TIMEOUT );
	}
}
