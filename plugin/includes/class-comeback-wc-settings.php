<?php
/**
 * WooCommerce → Settings → Advanced → Comeback: where merchants look first. The "Recover unpaid
 * orders" toggle (its state lives in the sidecar, so the field is ours and WooCommerce does not
 * store it) and a "Configure" button to the reminder editor on WooCommerce → Comeback.
 * WooCommerce's settings page checks its nonce and manage_woocommerce before it saves; the save
 * here checks the capability again.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_WC_Settings {

	const SECTION = 'comeback';
	const FIELD   = 'comeback_recover_unpaid';

	public static function register() {
		add_filter( 'woocommerce_get_sections_advanced', array( __CLASS__, 'section' ) );
		add_filter( 'woocommerce_get_settings_advanced', array( __CLASS__, 'fields' ), 10, 2 );
		add_action( 'woocommerce_admin_field_comeback_toggle', array( __CLASS__, 'render_toggle' ) );
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
				'title' => __( 'Recover unpaid orders', 'comeback' ),
				'type'  => 'comeback_toggle',
				'id'    => self::FIELD,
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

	/** Runs inside WooCommerce's settings save (nonce checked there): the toggle goes to the sidecar. */
	public static function save() {
		if ( ! current_user_can( Comeback_Settings::CAPABILITY ) ) {
			return;
		}
		$enabled = ! empty( $_POST[ self::FIELD ] ); // phpcs:ignore WordPress.Security.NonceVerification -- WooCommerce checked it.
		$result  = Comeback_Settings::update_recovery(
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
