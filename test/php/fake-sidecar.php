<?php
/**
 * Router for `php -S`: a recording stand-in for the sidecar (Comeback_Test_Fake_Sidecar starts
 * it). Every request is appended to COMEBACK_FAKE_LOG as one JSON line (method, path, the shop
 * and signature headers, the raw body), then answered from COMEBACK_FAKE_ANSWERS, a JSON file of
 * "<METHOD> <path>" => { status, body, delay (seconds) }; anything else is answered 200 {}.
 */
$raw  = (string) file_get_contents( 'php://input' );
$path = (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
file_put_contents(
	getenv( 'COMEBACK_FAKE_LOG' ),
	json_encode(
		array(
			'method'    => $_SERVER['REQUEST_METHOD'],
			'path'      => $path,
			'shop'      => $_SERVER['HTTP_X_COMEBACK_SHOP'] ?? '',
			'signature' => $_SERVER['HTTP_X_COMEBACK_SIGNATURE'] ?? '',
			'body'      => $raw,
		)
	) . "\n",
	FILE_APPEND | LOCK_EX
);
$answers = json_decode( (string) file_get_contents( getenv( 'COMEBACK_FAKE_ANSWERS' ) ), true );
$answer  = $answers[ $_SERVER['REQUEST_METHOD'] . ' ' . $path ] ?? array(
	'status' => 200,
	'body'   => new stdClass(),
);
if ( ! empty( $answer['delay'] ) ) {
	sleep( (int) $answer['delay'] );
}
http_response_code( (int) $answer['status'] );
header( 'content-type: application/json' );
echo json_encode( $answer['body'] );
