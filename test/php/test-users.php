<?php
/**
 * Users the tests sign in as.
 */

/** Signs in a new user who may not manage WooCommerce (a subscriber); answers their id. */
function comeback_test_sign_in_subscriber() {
	$subscriber = wp_insert_user(
		array(
			'user_login' => 'sub' . wp_rand(),
			'user_pass'  => 'pw-pw-pw-pw',
			'role'       => 'subscriber',
		)
	);
	wp_set_current_user( $subscriber );
	return $subscriber;
}
