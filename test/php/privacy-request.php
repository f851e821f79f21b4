<?php
/**
 * What Tools → Export Personal Data and Erase Personal Data do for one email, each page a request
 * of WordPress core's own AJAX handlers (wp-admin/includes/ajax-actions.php,
 * wp_ajax_wp_privacy_export_personal_data() and wp_ajax_wp_privacy_erase_personal_data()) for every
 * registered exporter or eraser in turn, as the Tools page's script posts them:
 * `php privacy-request.php export|erase EMAIL`. Prints one JSON line per page: the exporter's or
 * eraser's key, the page and WordPress's answer. COMEBACK_TEST_PRIVACY_PHONE makes the email an
 * account with that billing phone (and COMEBACK_TEST_PRIVACY_COUNTRY its billing country).
 */
require __DIR__ . '/wp-test-config.php';
require_once __DIR__ . '/woocommerce-double.php';
require_once __DIR__ . '/test-stop.php';
require_once ABSPATH . 'wp-settings.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
require_once ABSPATH . 'wp-admin/includes/ajax-actions.php';
error_reporting( E_ALL & ~E_DEPRECATED ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.prevent_path_disclosure_error_reporting,WordPress.PHP.DiscouragedPHPFunctions.runtime_configuration_error_reporting

$kind  = $argv[1] ?? '';
$email = $argv[2] ?? '';
if ( ! in_array( $kind, array( 'export', 'erase' ), true ) || ! is_email( $email ) ) {
	fwrite( STDERR, "usage: php privacy-request.php export|erase EMAIL\n" );
	exit( 1 );
}
wp_set_current_user( 1 );
// Debian's PHP here has no ZipArchive: WordPress's own zip of a finished export
// (wp_privacy_process_personal_data_export_page → wp_privacy_generate_personal_data_export_file)
// is left out; every exporter's pages still run through core's handler.
remove_filter( 'wp_privacy_personal_data_export_page', 'wp_privacy_process_personal_data_export_page', 10 );
if ( getenv( 'COMEBACK_TEST_PRIVACY_PHONE' ) && ! get_user_by( 'email', $email ) ) {
	$user = wp_insert_user(
		array(
			'user_login' => sanitize_user( strtok( $email, '@' ) ),
			'user_email' => $email,
			'user_pass'  => wp_generate_password(),
		)
	);
	update_user_meta( $user, 'billing_phone', getenv( 'COMEBACK_TEST_PRIVACY_PHONE' ) );
	update_user_meta( $user, 'billing_country', (string) getenv( 'COMEBACK_TEST_PRIVACY_COUNTRY' ) );
}
$request_id = wp_create_user_request( $email, 'export' === $kind ? 'export_personal_data' : 'remove_personal_data' );
if ( is_wp_error( $request_id ) ) {
	fwrite( STDERR, $request_id->get_error_message() . "\n" );
	exit( 1 );
}
add_filter( 'wp_doing_ajax', '__return_true' );
add_filter(
	'wp_die_ajax_handler',
	function () {
		return function ( $message ) {
			throw new Comeback_Test_Stop( is_string( $message ) ? $message : 'died' );
		};
	}
);
$registered = apply_filters( 'export' === $kind ? 'wp_privacy_personal_data_exporters' : 'wp_privacy_personal_data_erasers', array() );
foreach ( array_keys( $registered ) as $i => $key ) {
	for ( $page = 1; $page <= 100; $page++ ) {
		$_POST = array(
			'id'       => $request_id,
			'page'     => $page,
			'security' => wp_create_nonce( 'wp-privacy-' . $kind . '-personal-data-' . $request_id ),
		);
		$_POST[ 'export' === $kind ? 'exporter' : 'eraser' ] = $i + 1;
		$_REQUEST = $_POST;
		ob_start();
		try {
			'export' === $kind ? wp_ajax_wp_privacy_export_personal_data() : wp_ajax_wp_privacy_erase_personal_data();
		} catch ( Comeback_Test_Stop $stop ) {
			$answer = json_decode( ob_get_clean(), true );
		}
		echo wp_json_encode(
			array(
				'key'    => $key,
				'page'   => $page,
				'answer' => $answer,
			)
		) . "\n";
		if ( empty( $answer['success'] ) || ! empty( $answer['data']['done'] ) ) {
			break;
		}
	}
}
echo wp_json_encode( array( 'status' => get_post_status( $request_id ) ) ) . "\n";
