<?php
/**
 * WooCommerce → Comeback: the admin UI (Comeback_Admin_UI) above the connection to the sidecar
 * (URL, shared secret, "Test connection", one-click connect), the keep-alive limit and what
 * deleting the plugin does with the shop's data in the sidecar (kept or erased). Without
 * the UI build (a checkout rather than the zip), or before the sidecar URL and secret are stored,
 * a plain form stands in for the "Recover unpaid orders" toggle and the first reminder: delay,
 * subject, online body, the offline body for other methods and one per offline method the shop
 * has enabled (bank transfer, cheque…; the others' bodies are kept). Those fields show what the sidecar holds (its suggested
 * texts on a new shop) and are on the form only once the sidecar answered: the first save stores
 * the URL and the secret alone, tests the connection, and the next page shows the reminder.
 * The texts are saved through the sidecar's settings API, which validates them; its errors
 * (field, line, column, reason) are shown to the merchant as they are. Every save registers the
 * plugin with the sidecar (Comeback_Registration).
 *
 * Below, once connected, the shared secret's rotation (Comeback_Secret_Rotation) and the import
 * of existing marketing opt-ins (Comeback_Consent_Import).
 *
 * Every write checks the nonce and manage_woocommerce and sanitises; every output is escaped.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Settings {

	public const PAGE       = 'comeback';
	public const CAPABILITY = 'manage_woocommerce';
	public const SAVE       = 'comeback_save_settings';
	public const TEST       = 'comeback_test_connection';
	public const CONNECT    = 'comeback_connect';

	public static function register() {
		add_action( 'admin_menu', array( __CLASS__, 'add_page' ) );
		add_action( 'admin_post_' . self::SAVE, array( __CLASS__, 'save' ) );
		add_action( 'admin_post_' . self::TEST, array( __CLASS__, 'test_connection' ) );
		add_action( 'admin_post_' . self::CONNECT, array( __CLASS__, 'connect' ) );
	}

	public static function add_page() {
		add_submenu_page( 'woocommerce', __( 'Comeback', 'comeback' ), __( 'Comeback', 'comeback' ), self::CAPABILITY, self::PAGE, array( __CLASS__, 'render' ) );
	}

	/** admin-post.php?action=comeback_save_settings */
	public static function save() {
		self::guard( self::SAVE );
		$input = wp_unslash( $_POST ); // phpcs:ignore WordPress.Security.NonceVerification.Missing -- guard() above ran check_admin_referer().

		$before = array( Comeback_Options::sidecar_url(), Comeback_Options::shared_secret() );
		$url    = Comeback_Options::sanitize_sidecar_url( $input['sidecar_url'] ?? '' );
		if ( '' !== $url && ! Comeback_Options::sidecar_url_is_safe( $url ) ) {
			// Over plain http the signed requests, the shop's orders and customers would cross the network readable by anyone on the way.
			self::finish(
				array(
					'ok'      => false,
					'message' => __( 'Not saved: the sidecar URL must start with https:// (plain http:// is allowed only for a sidecar on this machine, such as http://127.0.0.1:8787).', 'comeback' ),
				)
			);
		}
		update_option( Comeback_Options::SIDECAR_URL, $url, false );
		$secret = Comeback_Options::sanitize_shared_secret( $input['shared_secret'] ?? '' );
		if ( '' !== $secret ) {
			// An empty field keeps the stored secret: it is never printed back into the form.
			update_option( Comeback_Options::SHARED_SECRET, $secret, false );
		}

		if ( isset( $input['keep_alive_hours'] ) ) {
			update_option( Comeback_Options::KEEP_ALIVE, Comeback_Options::sanitize_keep_alive_hours( $input['keep_alive_hours'] ), false );
		}
		if ( isset( $input['uninstall_data'] ) ) {
			update_option( Comeback_Options::UNINSTALL_DATA, Comeback_Options::sanitize_uninstall_data( $input['uninstall_data'] ), false );
		}
		// The plain recovery fields are on the form only without the admin UI (which saves itself),
		// and only once they were read from this sidecar: fields from another one are not written.
		$same_sidecar = array( Comeback_Options::sidecar_url(), Comeback_Options::shared_secret() ) === $before;
		$result       = isset( $input['subject'] ) && $same_sidecar ? self::save_recovery( $input ) : self::saved_connection();
		self::finish( $result );
	}

	/**
	 * After a save without reminder fields: the connection tested with what is stored now and,
	 * when the sidecar answers, the plugin registered with it.
	 *
	 * @return array { ok: bool, message: string, errors?: array }
	 */
	private static function saved_connection() {
		if ( ! Comeback_Registration::configured() ) {
			return array(
				'ok'      => false,
				'message' => __( 'Saved. Enter the sidecar URL and the shared secret to connect Comeback.', 'comeback' ),
			);
		}
		$answer = Comeback_Sidecar_Client::configured()->request( 'GET', '/api/shop/connection' );
		if ( is_wp_error( $answer ) || 200 !== $answer['status'] ) {
			return self::failure( $answer, __( 'Saved, but the sidecar could not be reached with this URL and secret.', 'comeback' ) );
		}
		Comeback_Registration::register();
		$connection = $answer['body'];
		return array(
			'ok'      => true,
			'message' => ! empty( $connection['connected'] )
				? __( 'Saved. Connected: the sidecar knows this shop and its order webhooks are active.', 'comeback' )
				: sprintf(
					/* translators: %s: what the sidecar reported */
					__( 'Saved. The sidecar answered; connect WooCommerce to Comeback below to finish: %s', 'comeback' ),
					$connection['connectionError'] ?? __( 'some order webhooks are not active', 'comeback' )
				),
		);
	}

	/**
	 * The toggle and the first reminder, written over what the sidecar holds (other reminders and
	 * the gateway lists are kept).
	 *
	 * @return array { ok: bool, message: string, errors?: array }
	 */
	public static function save_recovery( array $input ) {
		$unit   = in_array( $input['delay_unit'] ?? '', array( 'minutes', 'hours', 'days' ), true ) ? $input['delay_unit'] : 'hours';
		$result = self::update_recovery(
			function ( array $settings ) use ( $input, $unit ) {
				$settings['enabled'] = ! empty( $input['enabled'] );
				$current             = $settings['reminders'][0] ?? array();
				// Per-gateway offline texts: the ones on the form replace theirs, the others are kept.
				$bodies = (array) ( $current['offlineBodies'] ?? array() );
				foreach ( (array) ( $input['offline_bodies'] ?? array() ) as $gateway => $body ) {
					$body = sanitize_textarea_field( (string) $body );
					if ( ! preg_match( '/^[A-Za-z0-9_-]{1,64}$/', (string) $gateway ) ) {
						continue;
					}
					// Left empty: the method gets the message for other offline payments.
					if ( '' === $body ) {
						unset( $bodies[ (string) $gateway ] );
					} else {
						$bodies[ (string) $gateway ] = $body;
					}
				}
				$settings['reminders'][0] = array_merge(
					$current,
					array(
						'delay'         => array(
							'value' => max( 1, absint( $input['delay_value'] ?? 1 ) ),
							'unit'  => $unit,
						),
						'subject'       => sanitize_text_field( $input['subject'] ?? '' ),
						// The bodies are plain text with shortcodes: line breaks kept, tags removed.
						'onlineBody'    => sanitize_textarea_field( $input['online_body'] ?? '' ),
						'offlineBody'   => sanitize_textarea_field( $input['offline_body'] ?? '' ),
						'offlineBodies' => (object) $bodies,
					)
				);
				return $settings;
			}
		);
		if ( ! $result['ok'] ) {
			return $result;
		}
		return array(
			'ok'      => true,
			'message' => ! empty( $input['enabled'] ) ? __( 'Saved. Unpaid orders will be reminded.', 'comeback' ) : __( 'Saved. Recovery is switched off.', 'comeback' ),
		);
	}

	/**
	 * One message per offline payment method the shop has enabled, titled as the customer saw the
	 * method at checkout; a method's own message replaces the one for other offline payments.
	 * Messages of methods not shown here (switched off since) are kept by save_recovery().
	 *
	 * @param array $bodies The first reminder's offline messages by gateway id.
	 */
	private static function render_gateway_bodies( array $bodies ) {
		foreach ( Comeback_Shop_Profile::gateways() as $gateway ) {
			if ( ! $gateway['offline'] || ! $gateway['enabled'] ) {
				continue;
			}
			$id    = $gateway['id'];
			$hint  = 'bacs' === $id
				? __( 'Use [bank_details] for your bank accounts and the order number as the payment reference.', 'comeback' )
				: __( 'Use [payment_instructions] for the instructions you set for this method in WooCommerce; for a cheque, [payable_to] and [company_details] say who to pay and where to send it.', 'comeback' );
			$hint .= ' ' . __( 'Leave it empty to send the message for other offline payments.', 'comeback' );
			printf(
				'<tr><th><label for="comeback-offline-%1$s">%2$s</label></th><td><textarea id="comeback-offline-%1$s" name="offline_bodies[%1$s]" rows="8" class="large-text">%3$s</textarea><p class="description">%4$s</p></td></tr>',
				esc_attr( $id ),
				/* translators: %s: the payment method's title, e.g. "Check payments". */
				esc_html( sprintf( __( 'Message for %s', 'comeback' ), $gateway['title'] ) ),
				esc_textarea( (string) ( $bodies[ $id ] ?? '' ) ),
				esc_html( $hint )
			);
		}
	}

	/**
	 * The one way to change the recovery settings: read them from the sidecar, change them, write
	 * them back (what the change does not touch is kept), then tell the sidecar that this plugin
	 * answers payment links on the shop's domain.
	 *
	 * @param callable $change Receives the settings array and returns the changed one.
	 * @return array { ok: bool, message: string, errors?: array }
	 */
	public static function update_recovery( callable $change ) {
		$client  = Comeback_Sidecar_Client::configured();
		$current = $client->request( 'GET', '/api/settings/recovery' );
		if ( is_wp_error( $current ) || 200 !== $current['status'] ) {
			return self::failure( $current, __( 'The reminder settings could not be read from the sidecar.', 'comeback' ) );
		}
		$saved = $client->request( 'PUT', '/api/settings/recovery', $change( $current['body'] ) );
		if ( is_wp_error( $saved ) || 200 !== $saved['status'] ) {
			return self::failure( $saved, __( 'The reminder was not saved.', 'comeback' ) );
		}
		// Payment links in reminders lead to this shop's domain, answered by this plugin.
		Comeback_Registration::register();
		return array(
			'ok'      => true,
			'message' => __( 'Saved.', 'comeback' ),
		);
	}

	/**
	 * admin-post.php?action=comeback_connect — one-click connect. The merchant is sent to
	 * WooCommerce's own app-authorisation screen; on approval WooCommerce creates a Read/Write key
	 * and POSTs it to the sidecar (callback_url), with the pairing token signed here as user_id so
	 * the sidecar knows the key is this shop's. No key is ever copied by hand.
	 */
	public static function connect() {
		self::guard( self::CONNECT );
		if ( '' === Comeback_Options::sidecar_url() || '' === Comeback_Options::shared_secret() ) {
			self::finish(
				array(
					'ok'      => false,
					'message' => __( 'Enter the sidecar URL and the shared secret first.', 'comeback' ),
				)
			);
		}
		// Links on the shop's domain and the shop profile from the start, whatever screen comes next.
		Comeback_Registration::register();
		wp_safe_redirect( self::authorize_url() );
		exit;
	}

	/** WooCommerce's /wc-auth/v1/authorize for Comeback, valid for fifteen minutes. */
	public static function authorize_url() {
		$ref    = rtrim( strtr( base64_encode( random_bytes( 16 ) ), '+/', '-_' ), '=' );
		$token  = Comeback_Link_Token::sign(
			array(
				'kind'      => 'connect',
				'ref'       => $ref,
				'expiresAt' => time() + 15 * MINUTE_IN_SECONDS,
			),
			Comeback_Options::shared_secret()
		);
		$params = array(
			'app_name'     => Comeback_Options::APP_NAME,
			'scope'        => 'read_write',
			'user_id'      => $token,
			'return_url'   => admin_url( 'admin.php?page=' . self::PAGE ),
			'callback_url' => Comeback_Options::sidecar_url() . '/woocommerce/keys?shop=' . rawurlencode( home_url( '/' ) ),
		);
		return add_query_arg( array_map( 'rawurlencode', $params ), home_url( '/wc-auth/v1/authorize' ) );
	}

	/** admin-post.php?action=comeback_test_connection */
	public static function test_connection() {
		self::guard( self::TEST );
		$answer = Comeback_Sidecar_Client::configured()->request( 'GET', '/api/shop/connection' );
		if ( is_wp_error( $answer ) || 200 !== $answer['status'] ) {
			self::finish( self::failure( $answer, __( 'The sidecar could not be reached with these settings.', 'comeback' ) ) );
		}
		Comeback_Registration::register();
		$connection = $answer['body'];
		self::finish(
			array(
				'ok'      => ! empty( $connection['connected'] ),
				'message' => ! empty( $connection['connected'] )
					? __( 'Connected: the sidecar knows this shop and its order webhooks are active.', 'comeback' )
					: sprintf(
						/* translators: %s: what the sidecar reported */
						__( 'The sidecar answered, but the shop is not fully connected: %s', 'comeback' ),
						$connection['connectionError'] ?? __( 'some order webhooks are not active', 'comeback' )
					),
			)
		);
	}

	/** The nonce of this action and the capability, or a wp_die() a person can read. */
	public static function guard( $action ) {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to change Comeback’s settings.', 'comeback' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( $action );
	}

	public static function failure( $answer, $summary ) {
		if ( is_wp_error( $answer ) ) {
			return array(
				'ok'      => false,
				'message' => $summary . ' ' . $answer->get_error_message(),
			);
		}
		$error = $answer['body']['error'] ?? array();
		return array(
			'ok'      => false,
			'message' => $summary . ' ' . ( $error['message'] ?? sprintf( 'HTTP %d', $answer['status'] ) ),
			'errors'  => is_array( $error['details'] ?? null ) ? $error['details'] : array(),
		);
	}

	/** Remembers the outcome for the page (per user, a minute) and goes back to it. */
	public static function finish( array $result ) {
		set_transient( self::notice_key(), $result, MINUTE_IN_SECONDS );
		wp_safe_redirect( admin_url( 'admin.php?page=' . self::PAGE ) );
		exit;
	}

	public static function notice_key() {
		return 'comeback_notice_' . get_current_user_id();
	}

	public static function render() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return;
		}
		$notice = get_transient( self::notice_key() );
		delete_transient( self::notice_key() );
		$configured = Comeback_Registration::configured();
		$ui         = Comeback_Admin_UI::available() && $configured;
		$settings   = null;
		// What the sidecar holds (its suggested texts on a new shop); nothing is asked before it is set.
		$answer = $ui || ! $configured ? null : Comeback_Sidecar_Client::configured()->request( 'GET', '/api/settings/recovery' );
		if ( is_array( $answer ) && 200 === $answer['status'] ) {
			$settings = $answer['body'];
		}
		$reminder = $settings['reminders'][0] ?? array();
		echo '<div class="wrap"><h1>' . esc_html__( 'Comeback', 'comeback' ) . '</h1>';
		if ( is_array( $notice ) ) {
			printf( '<div class="notice notice-%s"><p>%s</p>', $notice['ok'] ? 'success' : 'error', esc_html( $notice['message'] ) );
			if ( ! empty( $notice['errors'] ) ) {
				echo '<ul>';
				foreach ( $notice['errors'] as $error ) {
					printf(
						'<li><code>%s</code> %s</li>',
						esc_html( ( $error['field'] ?? '' ) . ( isset( $error['line'] ) ? ' ' . $error['line'] . ':' . $error['column'] : '' ) ),
						esc_html( $error['message'] ?? '' )
					);
				}
				echo '</ul>';
			}
			echo '</div>';
		}
		if ( $ui ) {
			Comeback_Admin_UI::mount_point();
		}
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		wp_nonce_field( self::SAVE );
		echo '<input type="hidden" name="action" value="' . esc_attr( self::SAVE ) . '" />';
		echo '<h2>' . esc_html__( 'Connection', 'comeback' ) . '</h2><table class="form-table">';
		printf( '<tr><th><label for="comeback-url">%s</label></th><td><input id="comeback-url" name="sidecar_url" type="url" class="regular-text" value="%s" /></td></tr>', esc_html__( 'Sidecar URL', 'comeback' ), esc_attr( Comeback_Options::sidecar_url() ) );
		printf(
			'<tr><th><label for="comeback-secret">%s</label></th><td><input id="comeback-secret" name="shared_secret" type="password" class="regular-text" autocomplete="off" placeholder="%s" /></td></tr>',
			esc_html__( 'Shared secret', 'comeback' ),
			esc_attr( '' === Comeback_Options::shared_secret() ? '' : __( 'stored — leave empty to keep it', 'comeback' ) )
		);
		echo '</table>';
		// The admin UI edits the reminders when its build is here; the plain fields are the fallback.
		$plain = ! $ui;
		echo '<h2>' . esc_html__( 'Recover unpaid orders', 'comeback' ) . '</h2><table class="form-table">';
		if ( $plain && null === $settings ) {
			// Blank fields would be posted as the reminder: none until the sidecar answered.
			printf(
				'<tr><th>%s</th><td><p class="description">%s</p></td></tr>',
				esc_html__( 'Reminder', 'comeback' ),
				$configured
					? esc_html__( 'The sidecar did not answer with this URL and secret, so the reminder cannot be shown. Check them, save, and test the connection.', 'comeback' )
					: esc_html__( 'Save the sidecar URL and the shared secret first: the reminder, with its suggested texts, appears here once the sidecar answers.', 'comeback' )
			);
		} elseif ( $plain ) {
			printf( '<tr><th>%s</th><td><label><input name="enabled" type="checkbox" value="1" %s /> %s</label></td></tr>', esc_html__( 'Recovery', 'comeback' ), checked( ! empty( $settings['enabled'] ), true, false ), esc_html__( 'Remind customers who did not finish paying', 'comeback' ) );
			$unit = $reminder['delay']['unit'] ?? 'hours';
			printf(
				'<tr><th><label for="comeback-delay">%s</label></th><td><input id="comeback-delay" name="delay_value" type="number" min="1" value="%d" /> <select name="delay_unit">%s</select></td></tr>',
				esc_html__( 'Send after', 'comeback' ),
				(int) ( $reminder['delay']['value'] ?? 1 ),
				implode(
					'',
					array_map(
						function ( $value, $label ) use ( $unit ) {
							return sprintf( '<option value="%s" %s>%s</option>', esc_attr( $value ), selected( $unit, $value, false ), esc_html( $label ) );
						},
						array( 'minutes', 'hours', 'days' ),
						array( __( 'minutes', 'comeback' ), __( 'hours', 'comeback' ), __( 'days', 'comeback' ) )
					)
				)
			);
			printf( '<tr><th><label for="comeback-subject">%s</label></th><td><input id="comeback-subject" name="subject" type="text" class="large-text" value="%s" /></td></tr>', esc_html__( 'Subject', 'comeback' ), esc_attr( $reminder['subject'] ?? '' ) );
			printf( '<tr><th><label for="comeback-online">%s</label></th><td><textarea id="comeback-online" name="online_body" rows="8" class="large-text">%s</textarea><p class="description">%s</p></td></tr>', esc_html__( 'Message for online payments', 'comeback' ), esc_textarea( $reminder['onlineBody'] ?? '' ), esc_html__( 'Use [payment_link] for the link back to the payment.', 'comeback' ) );
			printf( '<tr><th><label for="comeback-offline">%s</label></th><td><textarea id="comeback-offline" name="offline_body" rows="8" class="large-text">%s</textarea><p class="description">%s</p></td></tr>', esc_html__( 'Message for other offline payments', 'comeback' ), esc_textarea( $reminder['offlineBody'] ?? '' ), esc_html__( 'For orders paid offline by a method without its own message below (cash on delivery, others). Use [payment_instructions] for the instructions you set for the method in WooCommerce.', 'comeback' ) );
			self::render_gateway_bodies( (array) ( $reminder['offlineBodies'] ?? array() ) );
		}
		printf(
			'<tr><th><label for="comeback-keep-alive">%s</label></th><td><input id="comeback-keep-alive" name="keep_alive_hours" type="number" min="0" max="720" value="%d" /> %s<p class="description">%s</p></td></tr>',
			esc_html__( 'Keep orders in recovery', 'comeback' ),
			(int) Comeback_Options::keep_alive_hours(),
			esc_html__( 'hours', 'comeback' ),
			esc_html__( 'WooCommerce cancels unpaid checkout orders after the hold-stock time. An order in recovery is spared for at most this long after it was placed (0: never): while reminders are to come, and after the last one for the grace set with the reminders (48 hours unless changed).', 'comeback' )
		);
		echo '<tr><th>' . esc_html__( 'When Comeback is deleted', 'comeback' ) . '</th><td><fieldset>';
		$choices = array(
			'keep'  => __( 'Keep the data Comeback’s service holds for this shop (reconnect later and continue)', 'comeback' ),
			'erase' => __( 'Erase it: every order, customer, message and setting Comeback’s service holds for this shop', 'comeback' ),
		);
		foreach ( $choices as $value => $label ) {
			printf( '<label><input name="uninstall_data" type="radio" value="%s" %s /> %s</label><br />', esc_attr( $value ), checked( Comeback_Options::uninstall_data(), $value, false ), esc_html( $label ) );
		}
		printf( '<p class="description">%s</p></fieldset></td></tr>', esc_html__( 'Deactivating the plugin pauses Comeback: no reminders go out until it is active again. Deleting it disconnects the shop and revokes the WooCommerce REST key Comeback was given.', 'comeback' ) );
		echo '</table>';
		submit_button( __( 'Save', 'comeback' ) );
		echo '</form><form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		wp_nonce_field( self::TEST );
		echo '<input type="hidden" name="action" value="' . esc_attr( self::TEST ) . '" />';
		submit_button( __( 'Test connection', 'comeback' ), 'secondary' );
		echo '</form><form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		wp_nonce_field( self::CONNECT );
		echo '<input type="hidden" name="action" value="' . esc_attr( self::CONNECT ) . '" />';
		echo '<p class="description">' . esc_html__( 'WooCommerce asks you to approve a Read/Write key for Comeback and hands it to the sidecar, which registers the order webhooks it needs.', 'comeback' ) . '</p>';
		submit_button( __( 'Connect WooCommerce to Comeback', 'comeback' ), 'secondary' );
		echo '</form>';
		if ( $configured ) {
			Comeback_Secret_Rotation::render_form();
			Comeback_Consent_Import::render();
		}
		echo '</div>';
	}
}
