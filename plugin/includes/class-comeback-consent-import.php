<?php
/**
 * WooCommerce → Comeback, "Import marketing opt-ins": customers who agreed to marketing email
 * before Comeback (a newsletter box of the theme or another plugin) are marked by a user meta key
 * the merchant names. Users with that meta truthy ("1", "yes", "true", "on", or a date: the time
 * they agreed) become CSV rows (email, channel email, purpose marketing, date = that date or the
 * user's registration, source import) for the sidecar's POST /api/consents/import.
 *
 * A dry run comes first: the sidecar counts what it would change and which rows it would refuse,
 * and the page shows it; only then is the import offered, with the same key. Users are read and
 * sent a page at a time (500 by default), one request per page, the page going on by itself (a
 * button without JavaScript), so a large shop never meets a request timeout. The progress is kept
 * per merchant in a transient.
 *
 * Admin only: the nonce and manage_woocommerce on every step; nothing of a customer is logged.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Consent_Import {

	public const ACTION      = 'comeback_consent_import';
	private const TRUE_WORDS = array( '1', 'yes', 'y', 'true', 'on', 'subscribed' );
	/** At most this many refused rows are kept to show. */
	private const SHOW_INVALID = 50;

	public static function register() {
		add_action( 'admin_post_' . self::ACTION, array( __CLASS__, 'handle' ) );
	}

	/** admin-post.php?action=comeback_consent_import, step: dry-run, continue, import or cancel. */
	public static function handle() {
		if ( ! current_user_can( Comeback_Settings::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to change Comeback’s settings.', 'comeback' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( self::ACTION );
		$input = wp_unslash( $_POST ); // phpcs:ignore WordPress.Security.NonceVerification.Missing -- check_admin_referer() above.
		$step  = (string) ( $input['step'] ?? '' );
		$state = get_transient( self::state_key() );
		if ( 'dry-run' === $step ) {
			$key = mb_substr( sanitize_text_field( (string) ( $input['meta_key'] ?? '' ) ), 0, 255 );
			update_option( Comeback_Options::OPTIN_META_KEY, $key, false );
			$state = '' === $key ? self::failed( __( 'Enter the user meta key that marks customers who agreed to marketing email.', 'comeback' ) ) : self::start( $key, true );
		} elseif ( 'import' === $step ) {
			$ready = is_array( $state ) && $state['dryRun'] && $state['done'] && empty( $state['error'] ) && Comeback_Options::optin_meta_key() === $state['key'];
			$state = $ready ? self::start( $state['key'], false ) : self::failed( __( 'Run the dry run first: the import is offered once its counts are shown.', 'comeback' ) );
		} elseif ( 'cancel' === $step ) {
			$state = null;
		} elseif ( 'continue' !== $step || ! is_array( $state ) || $state['done'] ) {
			$state = self::failed( __( 'Nothing to continue: start with a dry run.', 'comeback' ) );
		}
		if ( is_array( $state ) && ! $state['done'] ) {
			$state = self::page( $state );
		}
		if ( null === $state ) {
			delete_transient( self::state_key() );
		} else {
			set_transient( self::state_key(), $state, DAY_IN_SECONDS );
		}
		wp_safe_redirect( admin_url( 'admin.php?page=' . Comeback_Settings::PAGE ) . '#comeback-import' );
		exit;
	}

	private static function start( $key, $dry_run ) {
		return array(
			'key'     => $key,
			'dryRun'  => $dry_run,
			'page'    => 0,
			'users'   => 0,
			'rows'    => 0,
			'counts'  => array(),
			'invalid' => array(),
			'done'    => false,
		);
	}

	private static function failed( $message ) {
		return array(
			'done'  => true,
			'error' => $message,
		);
	}

	/** One more page of users to the sidecar; the state after it. */
	private static function page( array $state ) {
		/**
		 * Filters how many users one step of the opt-in import reads and sends.
		 *
		 * @param int $size 500 by default.
		 */
		$size  = max( 1, (int) apply_filters( 'comeback_consent_import_page_size', 500 ) );
		$users = get_users(
			array(
				'meta_query'  => array( // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_query -- the merchant's key, read a page at a time.
					array(
						'key'     => $state['key'],
						'compare' => 'EXISTS',
					),
				),
				'orderby'     => 'ID',
				'order'       => 'ASC',
				'number'      => $size,
				'paged'       => $state['page'] + 1,
				'count_total' => false,
			)
		);
		$rows  = array();
		foreach ( $users as $user ) {
			$date = self::agreed_at( get_user_meta( $user->ID, $state['key'], true ), $user );
			if ( null !== $date && is_email( $user->user_email ) ) {
				$rows[] = array( $user->user_email, 'email', 'marketing', $date, 'import' );
			}
		}
		if ( $rows ) {
			$answer = Comeback_Consents::import( self::csv( $rows ), $state['dryRun'] );
			if ( is_wp_error( $answer ) ) {
				/* translators: %s: what went wrong */
				$state['error'] = sprintf( __( 'The sidecar did not take this page of customers: %s. Nothing after it was sent; continue to try again.', 'comeback' ), $answer->get_error_message() );
				return $state;
			}
			foreach ( $answer['counts'] as $name => $count ) {
				$state['counts'][ $name ] = ( $state['counts'][ $name ] ?? 0 ) + (int) $count;
			}
			foreach ( $answer['invalid'] as $invalid ) {
				// Line 1 is the header: line n is the (n - 1)th row of this page.
				$row = $rows[ (int) ( $invalid['line'] ?? 0 ) - 2 ] ?? null;
				if ( count( $state['invalid'] ) < self::SHOW_INVALID ) {
					$state['invalid'][] = array(
						/* translators: %d: a line of the CSV sent */
						'email'  => $row ? $row[0] : sprintf( __( 'line %d', 'comeback' ), (int) ( $invalid['line'] ?? 0 ) ),
						'reason' => (string) ( $invalid['reason'] ?? '' ),
					);
				}
			}
		}
		unset( $state['error'] );
		++$state['page'];
		$state['users'] += count( $users );
		$state['rows']  += count( $rows );
		$state['done']   = count( $users ) < $size;
		return $state;
	}

	/**
	 * When a user agreed, from the meta's value: a date (or unix time) is that time; a yes word is
	 * the user's registration; anything else (0, no, empty, unsubscribed…) is not agreement.
	 *
	 * @return string|null ISO 8601 UTC, or null when the value does not say yes.
	 */
	public static function agreed_at( $value, WP_User $user ) {
		$value = is_scalar( $value ) ? strtolower( trim( (string) $value ) ) : '';
		if ( in_array( $value, self::TRUE_WORDS, true ) ) {
			return gmdate( 'Y-m-d\TH:i:s\Z', strtotime( $user->user_registered . ' UTC' ) );
		}
		if ( preg_match( '/^\d{9,10}$/', $value ) ) {
			return gmdate( 'Y-m-d\TH:i:s\Z', (int) $value );
		}
		if ( preg_match( '/^\d{4}-\d\d-\d\d/', $value ) && false !== strtotime( $value ) ) {
			// A date without a zone is the site's time, as WordPress stores local dates.
			$date = date_create( $value, preg_match( '/(z|[+-]\d\d:?\d\d)$/', $value ) ? null : wp_timezone() );
			return $date ? $date->setTimezone( new DateTimeZone( 'UTC' ) )->format( 'Y-m-d\TH:i:s\Z' ) : null;
		}
		return null;
	}

	private static function csv( array $rows ) {
		$out = fopen( 'php://temp', 'r+' );
		fputcsv( $out, array( 'email', 'channel', 'purpose', 'date', 'source' ) );
		foreach ( $rows as $row ) {
			fputcsv( $out, $row );
		}
		rewind( $out );
		$csv = stream_get_contents( $out );
		fclose( $out ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- a php://temp stream, not a file.
		return $csv;
	}

	private static function state_key() {
		return 'comeback_import_' . get_current_user_id();
	}

	/** The section on WooCommerce → Comeback. */
	public static function render() {
		$state = get_transient( self::state_key() );
		echo '<h2 id="comeback-import">' . esc_html__( 'Import marketing opt-ins', 'comeback' ) . '</h2>';
		echo '<p class="description">' . esc_html__( 'Customers who already agreed to marketing email (through a newsletter box of your theme or another plugin) can be brought in: name the user meta key that marks them. Users whose value is yes, 1, true, on or a date are imported, dated by that date or by their registration. A dry run shows first what would change.', 'comeback' ) . '</p>';
		if ( is_array( $state ) ) {
			self::render_state( $state );
		}
		self::form( 'dry-run', __( 'Dry run', 'comeback' ), 'secondary', true );
	}

	private static function render_state( array $state ) {
		if ( ! empty( $state['error'] ) ) {
			printf( '<div class="notice notice-error inline"><p>%s</p></div>', esc_html( $state['error'] ) );
		}
		if ( ! isset( $state['key'] ) ) {
			return;
		}
		$title = $state['dryRun'] ? __( 'Dry run (nothing was changed)', 'comeback' ) : __( 'Import', 'comeback' );
		/* translators: 1: "Dry run" or "Import", 2: the meta key, 3: users read, 4: users who agreed */
		printf( '<p><strong>%1$s</strong> — %2$s</p>', esc_html( $title ), esc_html( sprintf( __( 'key %1$s: %2$d users read, %3$d who agreed', 'comeback' ), $state['key'], $state['users'], $state['rows'] ) ) );
		if ( $state['counts'] ) {
			echo '<table class="widefat striped" style="max-width:30em"><tbody>';
			foreach ( $state['counts'] as $name => $count ) {
				// The sidecar's names in words: "keptWithdrawn" or "kept_withdrawn" → "Kept withdrawn".
				$words = strtolower( preg_replace( '/(?<=[a-z])(?=[A-Z])/', ' ', str_replace( array( '-', '_' ), ' ', (string) $name ) ) );
				printf( '<tr><th>%s</th><td>%d</td></tr>', esc_html( ucfirst( $words ) ), (int) $count );
			}
			echo '</tbody></table>';
		}
		if ( $state['invalid'] ) {
			echo '<p>' . esc_html__( 'Refused rows:', 'comeback' ) . '</p><ul>';
			foreach ( $state['invalid'] as $invalid ) {
				printf( '<li>%s: %s</li>', esc_html( $invalid['email'] ), esc_html( $invalid['reason'] ) );
			}
			echo '</ul>';
		}
		if ( ! $state['done'] ) {
			self::form( 'continue', __( 'Continue', 'comeback' ), 'primary', false, 'comeback-import-continue' );
			if ( empty( $state['error'] ) ) {
				// Goes on by itself; the button is there without JavaScript, and after a failure.
				echo '<script>document.getElementById( "comeback-import-continue" ).submit();</script>';
			}
		} elseif ( $state['dryRun'] && empty( $state['error'] ) ) {
			/* translators: %d: customers who agreed */
			self::form( 'import', sprintf( __( 'Import the %d customers who agreed', 'comeback' ), $state['rows'] ), 'primary', false );
		} elseif ( empty( $state['error'] ) ) {
			echo '<p>' . esc_html__( 'Import finished.', 'comeback' ) . '</p>';
		}
	}

	private static function form( $step, $label, $type, $with_key, $id = '' ) {
		printf( '<form method="post" action="%s"%s>', esc_url( admin_url( 'admin-post.php' ) ), '' === $id ? '' : ' id="' . esc_attr( $id ) . '"' );
		wp_nonce_field( self::ACTION );
		printf( '<input type="hidden" name="action" value="%s" /><input type="hidden" name="step" value="%s" />', esc_attr( self::ACTION ), esc_attr( $step ) );
		if ( $with_key ) {
			printf(
				'<p><label for="comeback-optin-key">%s</label> <input id="comeback-optin-key" name="meta_key" type="text" class="regular-text" value="%s" /></p>',
				esc_html__( 'User meta key', 'comeback' ),
				esc_attr( Comeback_Options::optin_meta_key() )
			);
		}
		submit_button( $label, $type, 'comeback_submit', false ); // not "submit": that name would hide the form's submit()
		echo '</form>';
	}
}
