<?php
/**
 * WooCommerce → Settings → Advanced → Comeback: where merchants look first. The "Recover unpaid
 * orders" toggle (its state lives in the sidecar, so the field is ours and WooCommerce does not
 * store it), a "Configure" button to the reminder editor on WooCommerce → Comeback, and the
 * wording of the cart-reminder checkbox shoppers see at checkout (Comeback_Cart_Capture), and the
 * marketing opt-ins offered there, per channel, in the merchant's wording (Comeback_Marketing_Optins).
 * WooCommerce's settings page checks its nonce and manage_woocommerce before it saves; the save
 * here checks the capability again.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_WC_Settings {

	private const SECTION      = 'comeback';
	public const FIELD         = 'comeback_recover_unpaid';
	public const CONSENT_FIELD = Comeback_Options::CART_CONSENT_TEXT;

	public static function register() {
		add_filter( 'woocommerce_get_sections_advanced', array( __CLASS__, 'section' ) );
		add_filter( 'woocommerce_get_settings_advanced', array( __CLASS__, 'fields' ), 10, 2 );
		add_action( 'woocommerce_admin_field_comeback_toggle', array( __CLASS__, 'render_toggle' ) );
		add_action( 'woocommerce_admin_field_comeback_consent_text', array( __CLASS__, 'render_consent_text' ) );
		add_action( 'woocommerce_admin_field_comeback_marketing_optins', array( __CLASS__, 'render_marketing_optins' ) );
		add_action( 'woocommerce_update_options_advanced_' . self::SECTION, array( __CLASS__, 'save' ) );
	}

	public static function section( $sections ) {
		$sections[ self::SECTION ] = __( 'Comeback', 'comeback' );
		return $sections;
	}

	public static function fields( $settings, $current_section = '' ) {
		if ( self::SECTION !== $current_section ) {
			return $settings;
		}
		return array(
			array(
				'title' => __( 'Comeback: recover unpaid orders', 'comeback' ),
				'type'  => 'title',
				'desc'  => __( 'Remind customers who did not finish paying: a link back to the payment for online gateways, your bank details for transfers.', 'comeback' ),
				'id'    => 'comeback_options',
			),
			array(
				'title'     => __( 'Recover unpaid orders', 'comeback' ),
				'type'      => 'comeback_toggle',
				'id'        => self::FIELD,
				// Our own types are saved by save() below; WooCommerce would store a copy otherwise.
				'is_option' => false,
			),
			array(
				'title'     => __( 'Cart reminder checkbox', 'comeback' ),
				'type'      => 'comeback_consent_text',
				'id'        => self::CONSENT_FIELD,
				'is_option' => false,
			),
			array(
				'title'     => __( 'Offers and news at checkout', 'comeback' ),
				'type'      => 'comeback_marketing_optins',
				'id'        => Comeback_Options::MARKETING_CHANNELS,
				'is_option' => false,
			),
			array(
				'type' => 'sectionend',
				'id'   => 'comeback_options',
			),
		);
	}

	public static function render_toggle( $field ) {
		$answer   = Comeback_Sidecar_Client::configured()->request( 'GET', '/api/settings/recovery' );
		$reached  = ! is_wp_error( $answer ) && 200 === $answer['status'];
		$enabled  = $reached && ! empty( $answer['body']['enabled'] );
		$settings = admin_url( 'admin.php?page=' . Comeback_Settings::PAGE );
		echo '<tr valign="top"><th scope="row" class="titledesc">' . esc_html( $field['title'] ) . '</th><td class="forminp">';
		if ( $reached ) {
			printf(
				'<label><input type="checkbox" name="%s" value="1" %s /> %s</label> ',
				esc_attr( self::FIELD ),
				checked( $enabled, true, false ),
				esc_html__( 'Send reminders for unpaid orders', 'comeback' )
			);
		} else {
			echo '<p>' . esc_html__( 'Comeback is not connected to its sidecar yet.', 'comeback' ) . '</p>';
		}
		printf( '<p><a class="button" href="%s">%s</a></p></td></tr>', esc_url( $settings ), esc_html__( 'Configure', 'comeback' ) );
	}

	/** The text shoppers tick at checkout; empty shows the default in the shopper's language. */
	public static function render_consent_text( $field ) {
		printf(
			'<tr valign="top"><th scope="row" class="titledesc"><label for="%1$s">%2$s</label></th><td class="forminp"><input id="%1$s" name="%1$s" type="text" class="large-text" maxlength="1000" value="%3$s" placeholder="%4$s" /><p class="description">%5$s</p></td></tr>',
			esc_attr( self::CONSENT_FIELD ),
			esc_html( $field['title'] ),
			esc_attr( (string) get_option( Comeback_Options::CART_CONSENT_TEXT, '' ) ),
			esc_attr( Comeback_Options::cart_consent_text() ),
			esc_html__( 'Shown unticked next to the contact details at checkout. Abandoned carts are captured only when the shopper ticks it, and this wording is kept with their consent. Leave it empty for the default text in the shopper’s language.', 'comeback' )
		);
	}

	/** Per channel: offered or not, and the wording (empty shows the default naming the shop). */
	public static function render_marketing_optins( $field ) {
		$names   = array(
			'email'    => __( 'Email', 'comeback' ),
			'sms'      => __( 'Text message (SMS)', 'comeback' ),
			'whatsapp' => __( 'WhatsApp', 'comeback' ),
		);
		$offered = Comeback_Options::marketing_channels();
		echo '<tr valign="top"><th scope="row" class="titledesc">' . esc_html( $field['title'] ) . '</th><td class="forminp"><fieldset>';
		foreach ( $names as $channel => $name ) {
			$text = Comeback_Options::MARKETING_TEXT . $channel;
			printf(
				'<p><label><input type="checkbox" name="%1$s[]" value="%2$s" %3$s /> %4$s</label><br /><input name="%5$s" type="text" class="large-text" maxlength="1000" aria-label="%6$s" value="%7$s" placeholder="%8$s" /></p>',
				esc_attr( Comeback_Options::MARKETING_CHANNELS ),
				esc_attr( $channel ),
				checked( in_array( $channel, $offered, true ), true, false ),
				esc_html( $name ),
				esc_attr( $text ),
				/* translators: %s: a channel, e.g. "Email" */
				esc_attr( sprintf( __( 'Wording of the %s opt-in', 'comeback' ), $name ) ),
				esc_attr( (string) get_option( $text, '' ) ),
				esc_attr( Comeback_Options::marketing_text( $channel ) )
			);
		}
		printf(
			'<p class="description">%s</p></fieldset></td></tr>',
			esc_html__( 'One optional checkbox per ticked channel, shown unticked at checkout. Only customers who tick one receive offers and news on that channel; the wording they saw is kept with their consent. Leave a wording empty for the default.', 'comeback' )
		);
	}

	/**
	 * Runs inside WooCommerce's settings save (nonce checked there): the checkbox text is stored
	 * here, the toggle goes to the sidecar.
	 */
	public static function save() {
		if ( ! current_user_can( Comeback_Settings::CAPABILITY ) ) {
			return;
		}
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- WC_Admin_Settings::save() checked the woocommerce-settings nonce before this hook.
		if ( isset( $_POST[ self::CONSENT_FIELD ] ) ) {
			$text = Comeback_Options::sanitize_cart_consent_text( wp_unslash( $_POST[ self::CONSENT_FIELD ] ) ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- sanitize_cart_consent_text() runs sanitize_text_field().
			update_option( Comeback_Options::CART_CONSENT_TEXT, $text, false );
		}
		if ( isset( $_POST[ Comeback_Options::MARKETING_TEXT . 'email' ] ) ) {
			// The wording fields are on the form: an unticked channel posts nothing, so none ticked is none offered.
			$channels = Comeback_Options::sanitize_marketing_channels( wp_unslash( $_POST[ Comeback_Options::MARKETING_CHANNELS ] ?? array() ) ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- only known channel names are kept.
			update_option( Comeback_Options::MARKETING_CHANNELS, $channels, false );
			foreach ( Comeback_Options::CHANNELS as $channel ) {
				$text = Comeback_Options::sanitize_cart_consent_text( wp_unslash( $_POST[ Comeback_Options::MARKETING_TEXT . $channel ] ?? '' ) ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- sanitize_cart_consent_text() runs sanitize_text_field().
				update_option( Comeback_Options::MARKETING_TEXT . $channel, $text, false );
			}
		}
		$enabled = ! empty( $_POST[ self::FIELD ] );
		// phpcs:enable WordPress.Security.NonceVerification.Missing
		$result = Comeback_Settings::update_recovery(
			function ( array $settings ) use ( $enabled ) {
				$settings['enabled'] = $enabled;
				return $settings;
			}
		);
		if ( ! $result['ok'] ) {
			self::error( $result['message'] );
		}
	}

	private static function error( $message ) {
		if ( class_exists( 'WC_Admin_Settings' ) ) {
			WC_Admin_Settings::add_error( $message );
		}
	}
}
