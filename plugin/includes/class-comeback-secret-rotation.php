<?php
/**
 * WooCommerce → Comeback → "Rotate the shared secret": the sidecar makes a new secret
 * (POST /api/shop/secret/rotate, signed with the current one), the plugin stores it as pending and
 * confirms it signed with it (POST /api/shop/secret/confirm; the sidecar first gives it to the
 * shop's WooCommerce webhooks). Until the confirm both secrets work on both sides. After it the new
 * one is the shared secret, and the old one is kept only to verify customers' links already in
 * inboxes, for as long as the sidecar says links live (Comeback_Options::link_secrets()). A confirm
 * that fails keeps both and says so; the same button, then named "Finish rotating", confirms again.
 *
 * Nonce and manage_woocommerce on the write; the secrets are never printed.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Secret_Rotation {

	public const ACTION = 'comeback_rotate_secret';
	/** How long links stay valid when the sidecar does not say (its COMEBACK_LINK_TTL_DAYS default). */
	private const DEFAULT_LINK_DAYS = 30;

	public static function register() {
		add_action( 'admin_post_' . self::ACTION, array( __CLASS__, 'handle' ) );
	}

	/** admin-post.php?action=comeback_rotate_secret */
	public static function handle() {
		Comeback_Settings::guard( self::ACTION );
		Comeback_Settings::finish( self::rotate() );
	}

	/**
	 * Rotates (unless a new secret already waits) and confirms.
	 *
	 * @return array { ok: bool, message: string }
	 */
	public static function rotate() {
		$pending = Comeback_Options::pending_secret();
		if ( '' === $pending ) {
			$answer  = Comeback_Sidecar_Client::configured()->request( 'POST', '/api/shop/secret/rotate' );
			$pending = is_array( $answer ) && 200 === $answer['status'] ? Comeback_Options::sanitize_shared_secret( $answer['body']['secret'] ?? '' ) : '';
			if ( '' === $pending ) {
				return Comeback_Settings::failure( $answer, __( 'The shared secret was not changed: the sidecar did not make a new one.', 'comeback' ) );
			}
			update_option( Comeback_Options::PENDING_SECRET, $pending, false );
		}
		$answer = ( new Comeback_Sidecar_Client( Comeback_Options::sidecar_url(), $pending, home_url() ) )->request( 'POST', '/api/shop/secret/confirm' );
		if ( is_wp_error( $answer ) || 200 !== $answer['status'] ) {
			if ( is_array( $answer ) && in_array( $answer['status'], array( 401, 403, 409 ), true ) ) {
				// The sidecar no longer waits for this secret (rotated again elsewhere): a retry cannot finish it.
				delete_option( Comeback_Options::PENDING_SECRET );
				return Comeback_Settings::failure( $answer, __( 'The shared secret was not changed: the sidecar no longer waits for the new one. The current secret still works; rotate again.', 'comeback' ) );
			}
			return Comeback_Settings::failure( $answer, __( 'A new shared secret was made but not confirmed yet, so the old and the new one both keep working. Click “Finish rotating the shared secret” to try again.', 'comeback' ) );
		}
		$days  = max( 1, (int) ( $answer['body']['linkTtlDays'] ?? self::DEFAULT_LINK_DAYS ) );
		$until = time() + $days * DAY_IN_SECONDS;
		update_option( Comeback_Options::PREVIOUS_SECRET, Comeback_Options::shared_secret(), false );
		update_option( Comeback_Options::PREVIOUS_SECRET_UNTIL, $until, false );
		update_option( Comeback_Options::SHARED_SECRET, $pending, false );
		delete_option( Comeback_Options::PENDING_SECRET );
		return array(
			'ok'      => true,
			'message' => sprintf(
				/* translators: %s: a date */
				__( 'The shared secret was changed, and WooCommerce signs its webhooks with the new one. Links already sent to customers keep working until they expire (at the latest %s).', 'comeback' ),
				wp_date( get_option( 'date_format' ), $until )
			),
		);
	}

	/** The button, under the connection forms; "Finish rotating" while a new secret waits for its confirmation. */
	public static function render_form() {
		$pending = '' !== Comeback_Options::pending_secret();
		echo '<h2>' . esc_html__( 'Shared secret', 'comeback' ) . '</h2>';
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		wp_nonce_field( self::ACTION );
		echo '<input type="hidden" name="action" value="' . esc_attr( self::ACTION ) . '" />';
		echo '<p class="description">' . esc_html(
			$pending
				? __( 'A new shared secret is waiting for the sidecar’s confirmation; until then the old and the new one both work.', 'comeback' )
				: __( 'Replace the secret this shop and the sidecar sign with (for example if it may have leaked). Nothing stops meanwhile: the old one works until the new one is confirmed, and links already sent to customers keep working until they expire.', 'comeback' )
		) . '</p>';
		submit_button( $pending ? __( 'Finish rotating the shared secret', 'comeback' ) : __( 'Rotate the shared secret', 'comeback' ), 'secondary' );
		echo '</form>';
	}
}
