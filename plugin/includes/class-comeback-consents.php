<?php
/**
 * Consent by purpose and channel, as the sidecar keeps it: the plugin's one way to its consent API
 * (signed, Comeback_Sidecar_Client).
 *
 * - POST /api/consents { changes: [{ purpose, channel, address, granted, text?, source, userId?, ip?, reason? }] }
 *   → { results: [{ outcome: recorded | pending-confirmation | refused, reason? }] }, one per change;
 * - GET /api/consents?email=&phone= → { current: [{ purpose, channel, address, state, source, at, canGrant, why? }], history };
 * - POST /api/consents/import { csv, dryRun } → { counts, invalid: [{ line, reason }] }.
 *
 * Changes made where nobody waits for the answer (an order placed, a preference saved while the
 * sidecar is down) are queued: the changes wait in a transient under a random key and the queue
 * carries only that key, so no address sits in the scheduled-actions log; sent from Action
 * Scheduler (WP-Cron without it), tried again up to five times.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Consents {

	public const SEND_HOOK = 'comeback_send_consents';
	/** Transient holding queued changes until they are sent (uninstall removes it by its prefix). */
	public const PENDING    = 'comeback_consents_';
	private const MAX_TRIES = 5;
	/** Kept long enough for every retry (5 + 10 + 15 + 20 minutes) with room to spare. */
	private const KEEP = WEEK_IN_SECONDS;

	public static function register() {
		add_action( self::SEND_HOOK, array( __CLASS__, 'send' ), 10, 2 );
	}

	/**
	 * Posts changes now (someone waits for the outcome).
	 *
	 * @param array[] $changes As the contract above.
	 * @return array|WP_Error The results, one per change in order; a WP_Error when the sidecar
	 *                        could not be reached (code http_request_failed or the client's) or
	 *                        refused the request (comeback_sidecar_error, data { status }).
	 */
	public static function post( array $changes, $timeout = 10 ) {
		$answer = Comeback_Sidecar_Client::configured()->request( 'POST', '/api/consents', array( 'changes' => array_values( $changes ) ), $timeout );
		$body   = self::body( $answer );
		return is_wp_error( $body ) ? $body : array_values( (array) ( $body['results'] ?? array() ) );
	}

	/**
	 * What the sidecar holds for these addresses.
	 *
	 * @return array|WP_Error { current: array[], history: array[] }
	 */
	public static function current( $email, $phone, $timeout = 10 ) {
		$query  = http_build_query( array_filter( array( 'email' => (string) $email, 'phone' => (string) $phone ), 'strlen' ), '', '&', PHP_QUERY_RFC3986 );
		$answer = Comeback_Sidecar_Client::configured()->request( 'GET', '/api/consents' . ( '' === $query ? '' : '?' . $query ), null, $timeout );
		$body   = self::body( $answer );
		if ( is_wp_error( $body ) ) {
			return $body;
		}
		return array(
			'current' => array_values( (array) ( $body['current'] ?? array() ) ),
			'history' => array_values( (array) ( $body['history'] ?? array() ) ),
		);
	}

	/**
	 * Imports opt-ins (CSV with a header line: email or phone, channel, purpose, date, source).
	 *
	 * @return array|WP_Error { counts: array, invalid: [{ line, reason }] }
	 */
	public static function import( $csv, $dry_run ) {
		$answer = Comeback_Sidecar_Client::configured()->request(
			'POST',
			'/api/consents/import',
			array(
				'csv'    => $csv,
				'dryRun' => (bool) $dry_run,
			),
			30
		);
		$body   = self::body( $answer );
		if ( is_wp_error( $body ) ) {
			return $body;
		}
		return array(
			'counts'  => (array) ( $body['counts'] ?? array() ),
			'invalid' => array_values( (array) ( $body['invalid'] ?? array() ) ),
		);
	}

	/** Queues changes for the sidecar, sent soon from the queue; nothing is sent in this request. */
	public static function queue( array $changes ) {
		if ( ! $changes ) {
			return;
		}
		$key = wp_generate_password( 20, false );
		set_transient( self::PENDING . $key, array_values( $changes ), self::KEEP );
		Comeback_Options::schedule( self::SEND_HOOK, time(), array( $key ) );
	}

	/**
	 * The queued job: the changes waiting under $key to the sidecar; tried again later when the
	 * sidecar cannot be reached or fails (5xx). A refusal (4xx) is final: resending it changes nothing.
	 *
	 * @return array|WP_Error|null The results; null when nothing was waiting.
	 */
	public static function send( $key, $attempt = 1 ) {
		$changes = get_transient( self::PENDING . $key );
		if ( ! is_array( $changes ) ) {
			return null;
		}
		$results = self::post( $changes );
		$status  = is_wp_error( $results ) ? (int) ( $results->get_error_data()['status'] ?? 0 ) : 200;
		if ( is_wp_error( $results ) && ( 0 === $status || $status >= 500 ) && $attempt < self::MAX_TRIES ) {
			Comeback_Options::schedule( self::SEND_HOOK, time() + $attempt * 5 * MINUTE_IN_SECONDS, array( $key, $attempt + 1 ) );
			return $results;
		}
		delete_transient( self::PENDING . $key );
		return $results;
	}

	/** The client's answer as its JSON body, or a WP_Error naming what went wrong (never an address). */
	private static function body( $answer ) {
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		if ( $answer['status'] < 200 || $answer['status'] >= 300 || ! is_array( $answer['body'] ) ) {
			$message = $answer['body']['error']['message'] ?? sprintf( 'HTTP %d', $answer['status'] );
			return new WP_Error( 'comeback_sidecar_error', (string) $message, array( 'status' => $answer['status'] ) );
		}
		return $answer['body'];
	}
}
