<?php
/**
 * The test double's WC_Auth: the key WooCommerce creates when a merchant approves an app on
 * /wc-auth/v1/authorize, as WooCommerce 9.9.5 does it (includes/class-wc-auth.php, create_keys()):
 * described "<app name> - API (<UTC Y-m-d H:i:s>)", the app name through wc_clean() and
 * wc_trim_string( , 170 ); the consumer key stored hashed (wc_api_hash()), its last seven
 * characters as truncated_key; the secret stored as is. create_keys() is protected in WooCommerce
 * (handle_auth_requests() calls it after the approval); public here so a test approves as the
 * merchant does. Loaded by ../woocommerce-double.php when WooCommerce's own is absent.
 */
class WC_Auth {

	/**
	 * @param string $app_name    The app_name of the authorisation request.
	 * @param string $app_user_id Its user_id, handed back to the app with the key.
	 * @param string $scope       read, write or read_write.
	 * @return array key_id, user_id, consumer_key, consumer_secret, key_permissions.
	 */
	public function create_keys( $app_name, $app_user_id, $scope ) {
		global $wpdb;
		$description     = sprintf( '%s - API (%s)', wc_trim_string( wc_clean( $app_name ), 170 ), gmdate( 'Y-m-d H:i:s' ) );
		$permissions     = in_array( $scope, array( 'read', 'write', 'read_write' ), true ) ? sanitize_text_field( $scope ) : 'read';
		$consumer_key    = 'ck_' . wc_rand_hash();
		$consumer_secret = 'cs_' . wc_rand_hash();
		$wpdb->insert(
			$wpdb->prefix . 'woocommerce_api_keys',
			array(
				'user_id'         => wp_get_current_user()->ID,
				'description'     => $description,
				'permissions'     => $permissions,
				'consumer_key'    => wc_api_hash( $consumer_key ),
				'consumer_secret' => $consumer_secret,
				'truncated_key'   => substr( $consumer_key, -7 ),
			),
			array( '%d', '%s', '%s', '%s', '%s', '%s' )
		);
		return array(
			'key_id'          => $wpdb->insert_id,
			'user_id'         => $app_user_id,
			'consumer_key'    => $consumer_key,
			'consumer_secret' => $consumer_secret,
			'key_permissions' => $permissions,
		);
	}
}
