<?php
/**
 * The admin UI (admin-ui/, built into this plugin's admin-ui/ folder by `npm run build`) under
 * WooCommerce → Comeback: the same React build the sidecar serves at /admin. Its API calls come
 * here, to one REST route that checks the user (WordPress's REST nonce and manage_woocommerce),
 * then forwards them to the sidecar signed with the shared secret. The browser never holds the
 * secret, and only the admin API's own paths can be reached through it.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Admin_UI {

	public const HANDLE = 'comeback-admin';

	/**
	 * What the UI may ask the sidecar, by path after /api/ (query strings are passed on). Anything
	 * else, shop registration, flows/events and events (the shop's and loyalty programs' own doors)
	 * included, is refused here.
	 */
	private const ALLOWED_PATHS = '#^(settings/(recovery|company|alerts|segments|messaging|retention|channels|loyalty(/events-key)?)|recovery/(preview|test)|previews(/test|/subjects)?|queue(/\d{1,18}(/(cancel|retry|cancel-order))?)?|outbox(/\d{1,18})?|reports/(recovery|customers)|shop/(connection|sender|pause|resume|disconnect)|channels|flows(/(?!events(\?|$))[a-z0-9][a-z0-9-]{0,63}(/delete)?)?|alerts(/\d{1,18}/dismiss)?|segments(/recompute)?|customers(/import|/[A-Za-z0-9._%+-]{3,320}/(tags|profile))?|campaigns(/audience|/\d{1,18}(/(schedule|cancel))?)?|consents(/import|/settings)?|nps|setup/first-run(/(sender|reminder))?|test-recipients(/\d{1,18}/(remove|verify))?)(\?[A-Za-z0-9_.%&=:,+-]*)?$#';

	public static function register() {
		add_action( 'rest_api_init', array( __CLASS__, 'routes' ) );
		add_action( 'admin_enqueue_scripts', array( __CLASS__, 'enqueue' ) );
	}

	/** The build is in the plugin zip; a checkout without it falls back to the plain form. */
	public static function available() {
		return file_exists( COMEBACK_DIR . '/admin-ui/comeback-admin.js' );
	}

	public static function routes() {
		register_rest_route(
			Comeback_Rest::NAMESPACE_V1,
			'/admin',
			array(
				'methods'             => array( 'GET', 'POST', 'PUT', 'PATCH' ),
				'callback'            => array( __CLASS__, 'proxy' ),
				'permission_callback' => array( __CLASS__, 'can_manage' ),
				'args'                => array(
					'path' => array(
						'type'     => 'string',
						'required' => true,
					),
				),
			)
		);
	}

	public static function can_manage() {
		return current_user_can( Comeback_Settings::CAPABILITY );
	}

	/** One admin API call, forwarded signed; the sidecar's answer (status and JSON) handed back. */
	public static function proxy( WP_REST_Request $request ) {
		$path = (string) $request->get_param( 'path' );
		if ( ! preg_match( self::ALLOWED_PATHS, $path ) ) {
			return new WP_Error( 'comeback_path_refused', __( 'That is not part of the Comeback admin API.', 'comeback' ), array( 'status' => 400 ) );
		}
		$body = null; // A POST without a body (cancel, retry, dismiss) is forwarded without one.
		if ( 'GET' !== $request->get_method() && '' !== (string) $request->get_body() ) {
			$body = json_decode( (string) $request->get_body(), true );
			if ( JSON_ERROR_NONE !== json_last_error() ) {
				return new WP_Error( 'comeback_bad_json', __( 'The request body is not valid JSON.', 'comeback' ), array( 'status' => 400 ) );
			}
		}
		$body = self::test_to_own_address( $path, $body );
		if ( is_wp_error( $body ) ) {
			return $body;
		}
		// A change may do a shop's worth of work before it answers (segments recomputed, a campaign
		// launched, win-back switched on: tens of seconds for a million customers); waiting on the
		// socket is not PHP execution time (on Linux), so the merchant gets the answer, not a timeout.
		$timeout = 'GET' === $request->get_method() ? 15 : 55; // under the web servers' usual 60 s
		$answer  = Comeback_Sidecar_Client::configured()->request( $request->get_method(), '/api/' . $path, $body, $timeout );
		if ( is_wp_error( $answer ) ) {
			return new WP_Error( 'comeback_unreachable', $answer->get_error_message(), array( 'status' => 502 ) );
		}
		$status = (int) $answer['status'];
		// A save from any screen registers the plugin (link base; the sidecar then reads the shop
		// profile with its BACS accounts), at most once a minute for a burst of saves.
		if ( 'GET' !== $request->get_method() && $status >= 200 && $status < 300 ) {
			Comeback_Registration::register_at_most_once_a_minute();
		}
		// The sidecar's own error shape ({ error: { code, message, details } }) goes to the UI as is.
		return new WP_REST_Response( $answer['body'], $status );
	}

	/**
	 * A test goes to the signed-in merchant's own address or number, never to someone else's: a
	 * test send is not a way to message people (the sidecar also limits how many an hour). An email
	 * goes to the user's own email; an SMS or WhatsApp test to the user's own mobile, the billing
	 * phone of their WordPress profile (WooCommerce's `billing_phone` user meta, Users → Profile →
	 * Customer billing address). Without an address it is filled in; another one is refused, saying
	 * whose it must be.
	 *
	 * @param string     $path The admin API path.
	 * @param array|null $body The decoded request body.
	 * @return array|null|WP_Error The body to forward, or why it is refused.
	 */
	private static function test_to_own_address( $path, $body ) {
		if ( ! preg_match( '#^(recovery|previews)/test$#', $path ) || ! is_array( $body ) ) {
			return $body;
		}
		$channel = isset( $body['channel'] ) ? (string) $body['channel'] : 'email';
		if ( 'email' !== $channel ) {
			return self::test_to_own_number( $body );
		}
		$own = (string) wp_get_current_user()->user_email;
		$to  = isset( $body['to'] ) ? trim( (string) $body['to'] ) : '';
		if ( '' !== $to && 0 !== strcasecmp( $to, $own ) ) {
			return new WP_Error(
				'comeback_test_to_own_address',
				/* translators: %s: the signed-in user's email address */
				sprintf( __( 'A test email goes to your own address, %s.', 'comeback' ), $own ),
				array( 'status' => 400 )
			);
		}
		$body['to'] = $own;
		return $body;
	}

	/**
	 * An SMS or WhatsApp test to the signed-in user's own mobile (billing phone). Numbers are
	 * compared by their digits, so "+48 500 000 002" is the profile's "500000002".
	 *
	 * @param array $body The decoded request body.
	 * @return array|WP_Error The body to forward, or why it is refused.
	 */
	private static function test_to_own_number( $body ) {
		$own = trim( (string) get_user_meta( get_current_user_id(), 'billing_phone', true ) );
		if ( '' === $own ) {
			return new WP_Error(
				'comeback_test_to_own_number',
				__( 'A test text goes to your own mobile number: add it as the billing phone in your WordPress profile (Users → Profile), with its country code.', 'comeback' ),
				array( 'status' => 400 )
			);
		}
		$to     = isset( $body['to'] ) ? trim( (string) $body['to'] ) : '';
		$digits = static function ( $number ) {
			return ltrim( preg_replace( '/\D+/', '', preg_replace( '/^\s*00/', '', $number ) ), '0' );
		};
		$mine   = $digits( $own );
		$typed  = $digits( $to );
		$same   = '' !== $typed && strlen( $mine ) >= 6 && strlen( $typed ) >= 6
			&& ( substr( $typed, -strlen( $mine ) ) === $mine || substr( $mine, -strlen( $typed ) ) === $typed );
		if ( '' !== $to && ! $same ) {
			return new WP_Error(
				'comeback_test_to_own_number',
				/* translators: %s: the signed-in user's billing phone */
				sprintf( __( 'A test text goes to your own mobile number, %s (the billing phone in your WordPress profile).', 'comeback' ), $own ),
				array( 'status' => 400 )
			);
		}
		$body['to'] = '' === $to ? $own : $to;
		return $body;
	}

	/** On WooCommerce → Comeback only: the build, and where and how to call the API. */
	public static function enqueue( $hook ) {
		if ( 'woocommerce_page_' . Comeback_Settings::PAGE !== $hook || ! self::available() || ! self::can_manage() ) {
			return;
		}
		$base = plugins_url( 'admin-ui/', COMEBACK_FILE );
		wp_enqueue_style( self::HANDLE, $base . 'comeback-admin.css', array(), COMEBACK_VERSION );
		// wp-i18n first: WordPress hands it the translations of the user's language (the JSON the build
		// makes from languages/comeback-<locale>.po, found by load_script_textdomain() in
		// wp-includes/l10n.php as comeback-<locale>-comeback-admin.json in this path), and the app
		// copies them into its own bundled copy of @wordpress/i18n at start (admin-ui/src/i18n.ts).
		wp_enqueue_script( self::HANDLE, $base . 'comeback-admin.js', array( 'wp-i18n' ), COMEBACK_VERSION, true );
		wp_set_script_translations( self::HANDLE, 'comeback', COMEBACK_DIR . '/languages' );
		wp_add_inline_script(
			self::HANDLE,
			'window.comebackAdmin = ' . wp_json_encode(
				array(
					// REST through ?rest_route=, which works whatever the permalink settings.
					'root'  => home_url( '/' ),
					'nonce' => wp_create_nonce( 'wp_rest' ),
					'shop'  => wp_specialchars_decode( (string) get_option( 'blogname' ), ENT_QUOTES ),
				)
			) . ';',
			'before'
		);
		add_filter( 'script_loader_tag', array( __CLASS__, 'as_module' ), 10, 2 );
	}

	/** The build is an ES module (its tag only: the inline scripts before it stay classic and run first). */
	public static function as_module( $tag, $handle ) {
		return self::HANDLE === $handle ? preg_replace( '#<script (?=[^>]*\bsrc=)#', '<script type="module" ', $tag ) : $tag;
	}

	/** Where the React app mounts on the settings page. */
	public static function mount_point() {
		echo '<div id="comeback-admin" class="comeback-admin-root"></div>';
	}
}
