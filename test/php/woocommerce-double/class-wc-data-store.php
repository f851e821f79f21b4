<?php
/**
 * The test double's WC_Data_Store::load(): only the webhook store (class-wc-webhook.php).
 */
class WC_Data_Store {
	public static function load( $object_type ) {
		if ( 'webhook' !== $object_type ) {
			throw new Exception( 'Invalid data store.' );
		}
		return WC_Webhook_Data_Store::instance();
	}
}
