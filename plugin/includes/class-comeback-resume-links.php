<?php
/**
 * Links on the shop's own domain: /?comeback=<token>. The token is verified with the shared
 * secret (same format as the sidecar, shortcodes/vectors/tokens.json). A payment link ("pay")
 * leads to the order's pay-for-order page, or to its order-received page when it is paid or waits
 * for a transfer, and lets a guest in without WooCommerce's email check (Comeback_Guest_Pass); a
 * cart link ("cart") rebuilds the saved cart (Comeback_Cart_Restore). The click is reported to
 * the sidecar afterwards from the queue (Action Scheduler), never during the customer's request.
 * Tampered, expired or unknown links get a page a person can read, with the way back to the shop.
 * What the customer reads here speaks the message's language: the sidecar puts it beside the
 * token (`comeback_locale`, a WordPress locale; not signed, as it only picks the words), and a cart
 * link's answer names it too; WordPress switches to it for the page or notice when it is installed.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Resume_Links {

	private const QUERY_VAR  = 'comeback';
	private const LOCALE_VAR = 'comeback_locale';
	public const REPORT_HOOK = 'comeback_report_click';
	private const MAX_TRIES  = 5;

	public static function register() {
		add_action( 'template_redirect', array( __CLASS__, 'maybe_answer' ), 1 );
		add_action( self::REPORT_HOOK, array( __CLASS__, 'report_click' ), 10, 4 );
	}

	public static function maybe_answer() {
		$token = isset( $_GET[ self::QUERY_VAR ] ) ? sanitize_text_field( wp_unslash( $_GET[ self::QUERY_VAR ] ) ) : null; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a link from an email, not a form: answer() checks the token's signature.
		if ( null === $token ) {
			return;
		}
		$locale   = isset( $_GET[ self::LOCALE_VAR ] ) ? sanitize_text_field( wp_unslash( $_GET[ self::LOCALE_VAR ] ) ) : null; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- picks the language of the page only; in_locale() accepts a locale WordPress has installed.
		$location = self::in_locale(
			$locale,
			function () use ( $token, $locale ) {
				return self::answer( $token, $locale );
			}
		);
		nocache_headers();
		wp_safe_redirect( $location, 302, 'Comeback' );
		exit;
	}

	/**
	 * The link's claims, checked with the shared secret or, after a rotation, the one it replaced
	 * while links signed with it may still be in inboxes (Comeback_Options::link_secrets()). Without
	 * a secret nothing verifies: an empty key would accept anyone's token.
	 *
	 * @return array { ok: bool, reason?: string, kind?, ref?, expires? }
	 */
	public static function verify( $token ) {
		$claims = array(
			'ok'     => false,
			'reason' => 'bad_signature',
		);
		foreach ( Comeback_Options::link_secrets() as $secret ) {
			$claims = Comeback_Link_Token::verify( $token, $secret, time() );
			if ( 'bad_signature' !== ( $claims['reason'] ?? '' ) ) {
				return $claims;
			}
		}
		return $claims;
	}

	/**
	 * Where the link leads, after queuing the click report; wp_die()s with a readable page when
	 * the link cannot be followed.
	 *
	 * @param string      $token  The signed link token.
	 * @param string|null $locale The message's language the link carried, if any.
	 * @return string
	 */
	public static function answer( $token, $locale = null ) {
		$claims = self::verify( $token );
		if ( ! $claims['ok'] ) {
			$expired = 'expired' === $claims['reason'];
			self::friendly_page(
				$expired ? __( 'This payment link has expired', 'comeback' ) : __( 'This link is not valid', 'comeback' ),
				$expired
					? __( 'Payment links stay valid for a limited time. Please open your account or reply to our email to pay for your order.', 'comeback' )
					: __( 'The link may have been cut off when it was copied. Please use the link from the email, or open the shop.', 'comeback' ),
				$expired ? 410 : 400
			);
		}
		if ( 'cart' === $claims['kind'] ) {
			self::queue_report( $claims['ref'] );
			return Comeback_Cart_Restore::answer( $claims['ref'], $locale );
		}
		$order = preg_match( '/^o(\d+)_/', $claims['ref'], $m ) && 'pay' === $claims['kind'] ? wc_get_order( (int) $m[1] ) : false;
		if ( ! $order ) {
			self::friendly_page( __( 'We could not find this order', 'comeback' ), __( 'Please open the shop to see your orders, or reply to our email.', 'comeback' ), 404 );
		}
		self::queue_report( $claims['ref'] );
		if ( 'cancelled' === $order->get_status() ) {
			self::friendly_page( __( 'This order was cancelled', 'comeback' ), __( 'It can no longer be paid. You are welcome to place it again in the shop.', 'comeback' ), 410 );
		}
		// The link came to the order's email address: its pages open without asking for that address again.
		Comeback_Guest_Pass::grant( $order );
		return $order->needs_payment() ? $order->get_checkout_payment_url() : $order->get_checkout_order_received_url();
	}

	/** The click, now; reported from Action Scheduler when WooCommerce brings it, WP-Cron otherwise. */
	private static function queue_report( $ref ) {
		$args = array( $ref, gmdate( 'Y-m-d\TH:i:s.v\Z' ), substr( (string) ( $_SERVER['HTTP_USER_AGENT'] ?? '' ), 0, 512 ), 1 ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- the User-Agent, cut to 512 characters, is JSON data for the sidecar, which stores it as text; nothing here prints or queries it.
		if ( function_exists( 'as_enqueue_async_action' ) ) {
			as_enqueue_async_action( self::REPORT_HOOK, $args, Comeback_Options::ACTION_GROUP );
		} else {
			wp_schedule_single_event( time(), self::REPORT_HOOK, $args );
		}
	}

	/** The queued job: tell the sidecar; try again later (up to five times) when it cannot be reached. */
	public static function report_click( $ref, $clicked_at, $user_agent, $attempt = 1 ) {
		$answer = Comeback_Sidecar_Client::configured()->request(
			'POST',
			'/api/clicks',
			array(
				'ref'       => $ref,
				'clickedAt' => $clicked_at,
				'userAgent' => $user_agent,
			)
		);
		$retry  = is_wp_error( $answer ) || $answer['status'] >= 500;
		if ( $retry && $attempt < self::MAX_TRIES ) {
			$args = array( $ref, $clicked_at, $user_agent, $attempt + 1 );
			if ( function_exists( 'as_schedule_single_action' ) ) {
				as_schedule_single_action( time() + $attempt * 5 * MINUTE_IN_SECONDS, self::REPORT_HOOK, $args, Comeback_Options::ACTION_GROUP );
			} else {
				wp_schedule_single_event( time() + $attempt * 5 * MINUTE_IN_SECONDS, self::REPORT_HOOK, $args );
			}
		}
		return $answer;
	}

	/**
	 * Runs $callback with WordPress switched to $locale (WordPress's own switch_to_locale(),
	 * wp-includes/class-wp-locale-switcher.php WP_Locale_Switcher::switch_to_locale: it switches
	 * only to a locale installed on the site, en_US or get_available_languages(), and not when it
	 * is the locale already), with the plugin's translations of that locale, then restores the
	 * site's. A locale that is not installed changes nothing: the site's language speaks.
	 *
	 * @param string|null $locale   A WordPress locale (pl_PL), or null.
	 * @param callable    $callback What to run in it.
	 * @return mixed What $callback returns.
	 */
	public static function in_locale( $locale, callable $callback ) {
		$switched = is_string( $locale ) && preg_match( '/^[a-z]{2,3}(_[A-Z]{2})?(_[a-z0-9]+)?$/', $locale ) && switch_to_locale( $locale );
		if ( $switched ) {
			self::reload_translations();
		}
		try {
			return $callback();
		} finally {
			if ( $switched ) {
				restore_previous_locale();
				self::reload_translations();
			}
		}
	}

	/**
	 * The plugin's translations for the locale now in force. WordPress reloads a switched locale's
	 * translations only for text domains it has loaded (WP_Locale_Switcher::load_translations), and
	 * its just-in-time loading gives up on a domain once a locale had no file for it
	 * (WP_Textdomain_Registry::has), so the plugin loads its own, as Comeback_Plugin does at init.
	 */
	private static function reload_translations() {
		unload_textdomain( 'comeback', true );
		load_plugin_textdomain( 'comeback', false, dirname( plugin_basename( COMEBACK_FILE ) ) . '/languages' );
	}

	/** A page a person can read, with the way back to the shop; ends the request. */
	public static function friendly_page( $title, $message, $status ) {
		wp_die(
			'<h1>' . esc_html( $title ) . '</h1><p>' . esc_html( $message ) . '</p>',
			esc_html( $title ),
			array(
				'response'  => $status,
				'link_url'  => esc_url( home_url( '/' ) ),
				'link_text' => esc_html__( 'Go to the shop', 'comeback' ),
			)
		);
	}
}
