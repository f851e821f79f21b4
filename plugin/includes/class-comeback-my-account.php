<?php
/**
 * My Account → Communication preferences: a signed-in customer sees, per channel, whether they get
 * cart reminders and offers and news, and changes it; messages about their orders are explained,
 * not switched (they belong to the purchase). What is shown is what the sidecar holds for the
 * customer's own addresses (GET /api/consents); a change is posted with source my-account and
 * their user id (POST /api/consents). Only the signed-in customer's own addresses are ever read
 * or changed: the form names none, and it carries a nonce.
 *
 * The endpoint is WooCommerce's own kind: a query var added through woocommerce_get_query_vars,
 * which WC_Query::add_endpoints() registers with add_rewrite_endpoint() on init (WooCommerce 9.9.5
 * includes/class-wc-query.php), a menu item through woocommerce_account_menu_items
 * (includes/wc-account-functions.php wc_get_account_menu_items()) and the page through
 * woocommerce_account_{endpoint}_endpoint (includes/wc-template-functions.php
 * woocommerce_account_content()). The rewrite rules are flushed once when the endpoint is new.
 *
 * When the sidecar cannot be reached the page says so; a change saved meanwhile is queued
 * (Comeback_Consents::queue()) and reaches the sidecar once it answers, so nothing is lost.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_My_Account {

	public const ENDPOINT = 'communication-preferences';
	/** The form's action and nonce action. */
	public const SAVE = 'comeback_save_preferences';
	/** What the customer switches here; order messages are shown as information only. */
	private const PURPOSES = array( 'cart', 'marketing' );

	public static function register() {
		add_filter( 'woocommerce_get_query_vars', array( __CLASS__, 'query_vars' ) );
		add_filter( 'woocommerce_account_menu_items', array( __CLASS__, 'menu_items' ) );
		add_filter( 'woocommerce_endpoint_' . self::ENDPOINT . '_title', array( __CLASS__, 'title' ) );
		add_action( 'woocommerce_account_' . self::ENDPOINT . '_endpoint', array( __CLASS__, 'render' ) );
		add_action( 'template_redirect', array( __CLASS__, 'save' ) );
		// After WC_Query::add_endpoints() (init, 10) registered the endpoint.
		add_action( 'init', array( __CLASS__, 'flush_rules_once' ), 99 );
	}

	public static function query_vars( $vars ) {
		$vars[ self::ENDPOINT ] = self::ENDPOINT;
		return $vars;
	}

	/** Before "Log out", or last. */
	public static function menu_items( $items ) {
		$logout = array_intersect_key( (array) $items, array( 'customer-logout' => true ) );
		return array_diff_key( (array) $items, $logout ) + array( self::ENDPOINT => self::title() ) + $logout;
	}

	public static function title() {
		return __( 'Communication preferences', 'comeback' );
	}

	/** A new endpoint needs new rewrite rules: flushed once, not on every request. */
	public static function flush_rules_once() {
		if ( get_option( Comeback_Options::REWRITE_ENDPOINTS ) !== self::ENDPOINT ) {
			flush_rewrite_rules( false );
			update_option( Comeback_Options::REWRITE_ENDPOINTS, self::ENDPOINT, false );
		}
	}

	public static function url() {
		return wc_get_account_endpoint_url( self::ENDPOINT );
	}

	/**
	 * The signed-in customer's own addresses: the billing email WooCommerce's orders use (the
	 * account's email without one) and the billing phone.
	 *
	 * @return array { email: string, phone: string }
	 */
	private static function addresses( $user_id ) {
		$user  = get_userdata( $user_id );
		$email = (string) get_user_meta( $user_id, 'billing_email', true );
		return array(
			'email' => is_email( $email ) ? $email : ( $user ? (string) $user->user_email : '' ),
			'phone' => trim( (string) get_user_meta( $user_id, 'billing_phone', true ) ),
		);
	}

	/** The sentence a choice stands for, as the customer reads it and as the consent keeps it. */
	private static function wording( $purpose, $channel ) {
		if ( 'marketing' === $purpose ) {
			return Comeback_Options::marketing_text( $channel );
		}
		$cart = array(
			'email'    => __( 'Remind me by email about a cart I left', 'comeback' ),
			'sms'      => __( 'Remind me by text message about a cart I left', 'comeback' ),
			'whatsapp' => __( 'Remind me on WhatsApp about a cart I left', 'comeback' ),
		);
		return $cart[ $channel ];
	}

	private static function channel_name( $channel ) {
		$names = array(
			'email'    => __( 'Email', 'comeback' ),
			'sms'      => __( 'Text message (SMS)', 'comeback' ),
			'whatsapp' => __( 'WhatsApp', 'comeback' ),
		);
		return $names[ $channel ];
	}

	/** The page, inside My Account. */
	public static function render() {
		$user_id = get_current_user_id();
		if ( ! $user_id ) {
			return;
		}
		$notice = get_transient( self::notice_key( $user_id ) );
		delete_transient( self::notice_key( $user_id ) );
		$own     = self::addresses( $user_id );
		$current = Comeback_Consents::current( $own['email'], $own['phone'], 5 );
		echo '<div class="comeback-preferences">';
		if ( is_array( $notice ) ) {
			foreach ( $notice as $line ) {
				printf( '<div class="woocommerce-%1$s" role="%2$s">%3$s</div>', 'error' === $line['type'] ? 'error' : 'message', 'error' === $line['type'] ? 'alert' : 'status', esc_html( $line['text'] ) );
			}
		}
		if ( is_wp_error( $current ) ) {
			printf(
				'<div class="woocommerce-info" role="status">%s</div>',
				esc_html__( 'Your current choices cannot be shown right now: our messaging service is not answering. You can still make a choice below; it is kept and takes effect as soon as the service is back.', 'comeback' )
			);
		}
		$states = is_wp_error( $current ) ? null : self::states( $current['current'] );
		printf(
			'<p>%s</p>',
			esc_html__( 'Messages about your orders (payment reminders, confirmations, shipping) are part of your purchase and are sent to the contact details of the order.', 'comeback' )
		);
		self::render_order_info( (array) ( $states['order'] ?? array() ) );
		echo '<form method="post" action="' . esc_url( self::url() ) . '">';
		wp_nonce_field( self::SAVE );
		echo '<input type="hidden" name="comeback_action" value="' . esc_attr( self::SAVE ) . '" />';
		foreach ( self::PURPOSES as $purpose ) {
			printf( '<fieldset class="comeback-preferences-%1$s"><legend>%2$s</legend>', esc_attr( $purpose ), esc_html( 'cart' === $purpose ? __( 'Reminders about a cart you left', 'comeback' ) : __( 'Offers and news', 'comeback' ) ) );
			foreach ( Comeback_Options::CHANNELS as $channel ) {
				self::render_choice( $purpose, $channel, $own, null === $states ? null : ( $states[ $purpose ][ $channel ] ?? array( 'state' => 'none' ) ) );
			}
			echo '</fieldset>';
		}
		printf( '<p><button type="submit" class="woocommerce-Button button">%s</button></p></form></div>', esc_html__( 'Save preferences', 'comeback' ) );
	}

	/**
	 * One channel of one purpose: yes / no, the current one chosen (none when unknown).
	 *
	 * @param array|null $state The sidecar's entry (state, canGrant, why), null when it could not be read.
	 */
	private static function render_choice( $purpose, $channel, array $own, $state ) {
		$name    = 'choice[' . $purpose . '][' . $channel . ']';
		$address = 'email' === $channel ? $own['email'] : $own['phone'];
		$shown   = null === $state ? 'unknown' : ( in_array( $state['state'] ?? 'none', array( 'granted', 'pending' ), true ) ? 'yes' : 'no' );
		$can_say = '' !== $address;
		$can_yes = $can_say && ( null === $state || 'yes' === $shown || false !== ( $state['canGrant'] ?? true ) );
		$why     = '';
		if ( ! $can_say ) {
			$why = __( 'Add a phone number to your billing address to choose this.', 'comeback' );
		} elseif ( ! $can_yes ) {
			$why = (string) ( $state['why'] ?? __( 'This cannot be switched on here.', 'comeback' ) );
		} elseif ( 'pending' === ( $state['state'] ?? '' ) ) {
			$why = __( 'Waiting for your confirmation: open the link in the email we sent you.', 'comeback' );
		}
		printf(
			'<p class="form-row comeback-choice"><span class="comeback-choice-label">%1$s</span> <label><input type="radio" name="%2$s" value="yes" %3$s %4$s /> %5$s</label> <label><input type="radio" name="%2$s" value="no" %6$s %7$s /> %8$s</label><input type="hidden" name="%9$s" value="%10$s" />%11$s</p>',
			esc_html( self::channel_name( $channel ) . ': ' . self::wording( $purpose, $channel ) ),
			esc_attr( $name ),
			checked( 'yes', $shown, false ),
			disabled( $can_yes, false, false ),
			esc_html__( 'Yes', 'comeback' ),
			checked( 'no', $shown, false ),
			disabled( $can_say, false, false ),
			esc_html__( 'No', 'comeback' ),
			esc_attr( 'shown[' . $purpose . '][' . $channel . ']' ),
			esc_attr( $shown ),
			'' === $why ? '' : ' <small class="comeback-why">' . esc_html( $why ) . '</small>'
		);
	}

	/**
	 * Order messages per channel, as information: on, or off where the customer opted out of them.
	 *
	 * @param array $order The sidecar's entries for purpose order, by channel.
	 */
	private static function render_order_info( array $order ) {
		$lines = array();
		foreach ( Comeback_Options::CHANNELS as $channel ) {
			$state = $order[ $channel ]['state'] ?? 'none';
			if ( 'granted' === $state ) {
				$lines[] = self::channel_name( $channel ) . ': ' . __( 'on', 'comeback' );
			} elseif ( 'withdrawn' === $state ) {
				$lines[] = self::channel_name( $channel ) . ': ' . __( 'off (you opted out)', 'comeback' );
			}
		}
		if ( $lines ) {
			echo '<ul class="comeback-order-messages">';
			foreach ( $lines as $line ) {
				echo '<li>' . esc_html( $line ) . '</li>';
			}
			echo '</ul>';
		}
	}

	/** The sidecar's current entries by purpose and channel. */
	private static function states( array $current ) {
		$states = array();
		foreach ( $current as $entry ) {
			if ( isset( $entry['purpose'], $entry['channel'] ) ) {
				$states[ $entry['purpose'] ][ $entry['channel'] ] = $entry;
			}
		}
		return $states;
	}

	/** The form's POST (template_redirect): the customer's own choices that changed, then back to the page. */
	public static function save() {
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- the nonce is checked below, before anything is read.
		if ( 'POST' !== ( $_SERVER['REQUEST_METHOD'] ?? '' ) || self::SAVE !== ( $_POST['comeback_action'] ?? '' ) ) {
			return;
		}
		$user_id = get_current_user_id();
		if ( ! $user_id ) {
			wp_die( esc_html__( 'Please log in to change your communication preferences.', 'comeback' ), '', array( 'response' => 403 ) );
		}
		if ( ! wp_verify_nonce( sanitize_text_field( wp_unslash( $_POST['_wpnonce'] ?? '' ) ), self::SAVE ) ) {
			wp_die( esc_html__( 'This page has expired. Please go back, reload it and try again.', 'comeback' ), '', array( 'response' => 403 ) );
		}
		$choices = (array) wp_unslash( $_POST['choice'] ?? array() ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- only 'yes' and 'no' at known keys are read.
		$shown   = (array) wp_unslash( $_POST['shown'] ?? array() ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- compared with 'yes' and 'no' only.
		// phpcs:enable WordPress.Security.NonceVerification.Missing
		$own     = self::addresses( $user_id );
		$changes = array();
		foreach ( self::PURPOSES as $purpose ) {
			foreach ( Comeback_Options::CHANNELS as $channel ) {
				$choice  = $choices[ $purpose ][ $channel ] ?? '';
				$address = 'email' === $channel ? $own['email'] : $own['phone'];
				if ( ! in_array( $choice, array( 'yes', 'no' ), true ) || $choice === ( $shown[ $purpose ][ $channel ] ?? '' ) || '' === $address ) {
					continue;
				}
				$change = array(
					'purpose' => $purpose,
					'channel' => $channel,
					'address' => $address,
					'granted' => 'yes' === $choice,
					'text'    => self::wording( $purpose, $channel ),
					'source'  => 'my-account',
					'userId'  => $user_id,
				);
				if ( '' !== Comeback_Rate_Limit::client_ip() ) {
					$change['ip'] = Comeback_Rate_Limit::client_ip();
				}
				// The language the customer reads My Account in: a confirmation email speaks it.
				$change['locale'] = determine_locale();
				$changes[]        = $change;
			}
		}
		set_transient( self::notice_key( $user_id ), self::apply( $changes ), 5 * MINUTE_IN_SECONDS );
		wp_safe_redirect( self::url() );
		exit;
	}

	/**
	 * Sends the changes and says, in plain words, what came of each.
	 *
	 * @return array[] Lines { type: success|error, text }.
	 */
	private static function apply( array $changes ) {
		if ( ! $changes ) {
			return array( array( 'type' => 'success', 'text' => __( 'Nothing changed.', 'comeback' ) ) );
		}
		$results = Comeback_Consents::post( $changes );
		if ( is_wp_error( $results ) ) {
			$status = (int) ( $results->get_error_data()['status'] ?? 0 );
			if ( 0 === $status || $status >= 500 ) {
				Comeback_Consents::queue( $changes );
				return array( array( 'type' => 'success', 'text' => __( 'Your choices are saved. Our messaging service is not answering right now, so they take effect within a few minutes, as soon as it is back. There is nothing more for you to do.', 'comeback' ) ) );
			}
			return array( array( 'type' => 'error', 'text' => __( 'Your choices could not be saved. Please try again later.', 'comeback' ) ) );
		}
		$lines = array();
		foreach ( $changes as $i => $change ) {
			$outcome = $results[ $i ]['outcome'] ?? '';
			$what    = self::channel_name( $change['channel'] ) . ': ' . self::wording( $change['purpose'], $change['channel'] );
			if ( 'pending-confirmation' === $outcome ) {
				/* translators: %s: the email address */
				$lines[] = array( 'type' => 'success', 'text' => sprintf( __( 'Almost done: we sent an email to %s. Open the link in it to confirm, and you will start receiving offers and news.', 'comeback' ), $change['address'] ) );
			} elseif ( 'refused' === $outcome || '' === $outcome ) {
				$reason = (string) ( $results[ $i ]['reason'] ?? __( 'no reason was given', 'comeback' ) );
				/* translators: 1: the choice, 2: why it was refused */
				$lines[] = array( 'type' => 'error', 'text' => sprintf( __( 'Not changed — %1$s: %2$s', 'comeback' ), $what, $reason ) );
			}
		}
		$saved = count( $changes ) - count( wp_list_filter( $lines, array( 'type' => 'error' ) ) );
		if ( $saved > 0 ) {
			array_unshift( $lines, array( 'type' => 'success', 'text' => __( 'Your communication preferences were saved.', 'comeback' ) ) );
		}
		return $lines;
	}

	private static function notice_key( $user_id ) {
		return 'comeback_prefs_' . (int) $user_id;
	}
}
