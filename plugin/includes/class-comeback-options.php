<?php
/**
 * Every option the plugin stores, in one list: read, sanitised and (on uninstall) removed from here.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Options {

	public const SIDECAR_URL   = 'comeback_sidecar_url';
	public const SHARED_SECRET = 'comeback_shared_secret';

	/** A rotation's new secret, answered by the sidecar and not confirmed yet (Comeback_Secret_Rotation). */
	public const PENDING_SECRET = 'comeback_pending_secret';
	/** The secret a confirmed rotation replaced: customers' links signed with it verify until PREVIOUS_SECRET_UNTIL (unix time). */
	public const PREVIOUS_SECRET = 'comeback_previous_secret';
	/** Until when (unix time) links signed with PREVIOUS_SECRET verify. */
	public const PREVIOUS_SECRET_UNTIL = 'comeback_previous_secret_until';

	public const KEEP_ALIVE = 'comeback_keep_alive_hours';
	/** By default an order in recovery is spared WooCommerce's auto-cancel for three days. */
	private const KEEP_ALIVE_DEFAULT = 72;
	/** The wording of the cart-reminder checkbox at checkout; empty means the translated default. */
	public const CART_CONSENT_TEXT = 'comeback_cart_consent_text';
	/** The channels offered a marketing opt-in at checkout (some of email, sms, whatsapp). */
	public const MARKETING_CHANNELS = 'comeback_marketing_channels';
	/** The wording of each channel's marketing opt-in: this prefix and the channel; empty means the default. */
	public const MARKETING_TEXT = 'comeback_marketing_text_';
	/** The user meta key whose truthy value marks a customer who agreed to marketing email (the import). */
	public const OPTIN_META_KEY = 'comeback_optin_meta_key';
	/** The account endpoints whose rewrite rules were last flushed (Comeback_My_Account). */
	public const REWRITE_ENDPOINTS = 'comeback_rewrite_endpoints';
	/** The channels Comeback sends on. */
	public const CHANNELS = array( 'email', 'sms', 'whatsapp' );

	/**
	 * When the plugin is deleted: 'keep' the data the sidecar holds for this shop (reconnect later
	 * and continue) or 'erase' it. Read by uninstall.php (Comeback_Uninstall).
	 */
	public const UNINSTALL_DATA = 'comeback_uninstall_data';
	/** The app name WooCommerce's key-approval screen shows (Comeback_Settings::authorize_url()). */
	public const APP_NAME = 'Comeback';

	/** Transients are all named with this prefix (per-user notices, carts waiting to be sent). */
	private const TRANSIENT_PREFIX = 'comeback_';
	/** Action Scheduler group of every action the plugin queues. */
	public const ACTION_GROUP = 'comeback';

	/** @return string[] Every option name the plugin may have written. */
	public static function all() {
		$options = array( self::SIDECAR_URL, self::SHARED_SECRET, self::PENDING_SECRET, self::PREVIOUS_SECRET, self::PREVIOUS_SECRET_UNTIL, self::KEEP_ALIVE, self::CART_CONSENT_TEXT, self::UNINSTALL_DATA, self::MARKETING_CHANNELS, self::OPTIN_META_KEY, self::REWRITE_ENDPOINTS );
		foreach ( self::CHANNELS as $channel ) {
			$options[] = self::MARKETING_TEXT . $channel;
		}
		return $options;
	}

	/** Hours an order in recovery is kept from WooCommerce's auto-cancel; 0 = never. */
	public static function keep_alive_hours() {
		return (int) get_option( self::KEEP_ALIVE, self::KEEP_ALIVE_DEFAULT );
	}

	/** Whole hours from 0 (never) to 30 days. */
	public static function sanitize_keep_alive_hours( $value ) {
		return min( 720, absint( $value ) );
	}

	/** 'keep' (the default) or 'erase': what the sidecar does with the shop's data when the plugin is deleted. */
	public static function uninstall_data() {
		return self::sanitize_uninstall_data( get_option( self::UNINSTALL_DATA, 'keep' ) );
	}

	/** Only an explicit 'erase' erases; anything else keeps. */
	public static function sanitize_uninstall_data( $value ) {
		return 'erase' === $value ? 'erase' : 'keep';
	}

	/**
	 * The checkbox text the shopper reads and agrees to, as plain text (escape it for HTML): the
	 * merchant's own, or the default in the shopper's language. The consent sent to the sidecar
	 * carries exactly this wording.
	 */
	public static function cart_consent_text() {
		// sanitize_text_field() stores a lone "<" as "&lt;"; the shopper reads "<".
		$text = wp_specialchars_decode( (string) get_option( self::CART_CONSENT_TEXT, '' ), ENT_QUOTES );
		return '' !== $text ? $text : __( 'Send me a reminder about my cart by email or text message', 'comeback' );
	}

	/** One line of plain text (tags and line breaks removed), at most 1000 characters as the sidecar keeps it; for every consent wording. */
	public static function sanitize_cart_consent_text( $value ) {
		return mb_substr( sanitize_text_field( (string) $value ), 0, 1000 );
	}

	/** The channels the merchant offers a marketing opt-in on at checkout; e-mail alone unless changed. */
	public static function marketing_channels() {
		return self::sanitize_marketing_channels( get_option( self::MARKETING_CHANNELS, array( 'email' ) ) );
	}

	/** Known channels only, in their order. */
	public static function sanitize_marketing_channels( $value ) {
		return array_values( array_intersect( self::CHANNELS, array_map( 'strval', (array) $value ) ) );
	}

	/**
	 * A channel's marketing opt-in as the customer reads it (plain text; escape it for HTML): the
	 * merchant's wording, or the default naming the shop. The consent sent carries exactly this.
	 *
	 * @param string $channel email, sms or whatsapp.
	 */
	public static function marketing_text( $channel ) {
		$text = wp_specialchars_decode( (string) get_option( self::MARKETING_TEXT . $channel, '' ), ENT_QUOTES );
		if ( '' !== $text ) {
			return $text;
		}
		$shop = Comeback_Shop_Profile::name();
		switch ( $channel ) {
			case 'sms':
				/* translators: %s: the shop's name */
				return sprintf( __( 'Text me offers and news from %s', 'comeback' ), $shop );
			case 'whatsapp':
				/* translators: %s: the shop's name */
				return sprintf( __( 'Send me offers and news from %s on WhatsApp', 'comeback' ), $shop );
			default:
				/* translators: %s: the shop's name */
				return sprintf( __( 'Email me offers and news from %s', 'comeback' ), $shop );
		}
	}

	/** The user meta key the merchant named for the opt-in import ('' until named). */
	public static function optin_meta_key() {
		return (string) get_option( self::OPTIN_META_KEY, '' );
	}

	/**
	 * Removes everything in the lists above: options, transients, queued actions (Action Scheduler
	 * only when WooCommerce is loaded). The last step of uninstall.php (Comeback_Uninstall).
	 */
	public static function remove_everything() {
		global $wpdb;
		foreach ( self::all() as $option ) {
			delete_option( $option );
		}
		$like = $wpdb->esc_like( '_transient_' . self::TRANSIENT_PREFIX ) . '%';
		$rows = $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s", $like ) );
		foreach ( $rows as $name ) {
			delete_transient( substr( $name, strlen( '_transient_' ) ) );
		}
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( '', array(), self::ACTION_GROUP );
		}
	}

	/**
	 * Queues one of the plugin's actions: Action Scheduler when WooCommerce brings it (in this
	 * plugin's group), WP-Cron otherwise.
	 *
	 * @param string $hook The action.
	 * @param int    $when Unix time; now or earlier runs it as soon as the queue does.
	 * @param array  $args Its arguments (ids, never personal data).
	 */
	public static function schedule( $hook, $when, array $args ) {
		if ( $when <= time() && function_exists( 'as_enqueue_async_action' ) ) {
			as_enqueue_async_action( $hook, $args, self::ACTION_GROUP );
		} elseif ( function_exists( 'as_schedule_single_action' ) ) {
			as_schedule_single_action( $when, $hook, $args, self::ACTION_GROUP );
		} else {
			wp_schedule_single_event( $when, $hook, $args );
		}
	}

	public static function sidecar_url() {
		return (string) get_option( self::SIDECAR_URL, '' );
	}

	public static function shared_secret() {
		return (string) get_option( self::SHARED_SECRET, '' );
	}

	/** A rotation's new secret waiting for the sidecar's confirmation; '' when none. */
	public static function pending_secret() {
		return (string) get_option( self::PENDING_SECRET, '' );
	}

	/**
	 * The secrets a customer's link on this shop's domain may be signed with: the shared secret and,
	 * after a rotation, the one it replaced until the longest link signed with it has expired (then
	 * it is forgotten here, at the first check after that time).
	 *
	 * @return string[]
	 */
	public static function link_secrets() {
		$secrets  = array_filter( array( self::shared_secret() ), 'strlen' );
		$previous = (string) get_option( self::PREVIOUS_SECRET, '' );
		if ( '' === $previous ) {
			return $secrets;
		}
		if ( time() < (int) get_option( self::PREVIOUS_SECRET_UNTIL, 0 ) ) {
			$secrets[] = $previous;
			return $secrets;
		}
		delete_option( self::PREVIOUS_SECRET );
		delete_option( self::PREVIOUS_SECRET_UNTIL );
		return $secrets;
	}

	/** An http(s) URL without trailing slash, or '' when the input is not one. */
	public static function sanitize_sidecar_url( $value ) {
		$url = esc_url_raw( trim( (string) $value ), array( 'http', 'https' ) );
		return $url ? untrailingslashit( $url ) : '';
	}

	/**
	 * Whether a sidecar URL may carry the shared secret's signatures and the shop's data: https,
	 * or plain http to this machine only (development: 127.0.0.0/8, ::1, localhost).
	 */
	public static function sidecar_url_is_safe( $url ) {
		$scheme = wp_parse_url( $url, PHP_URL_SCHEME );
		if ( 'https' === $scheme ) {
			return true;
		}
		$host = strtolower( trim( (string) wp_parse_url( $url, PHP_URL_HOST ), '[]' ) );
		return 'http' === $scheme && ( 'localhost' === $host || '::1' === $host || 1 === preg_match( '/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/', $host ) );
	}

	/** The shared secret as the sidecar printed it: printable ASCII, no spaces. */
	public static function sanitize_shared_secret( $value ) {
		$secret = trim( (string) $value );
		return preg_match( '/^[\x21-\x7e]{16,200}$/', $secret ) ? $secret : '';
	}
}
