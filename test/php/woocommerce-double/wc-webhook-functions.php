<?php
/**
 * includes/wc-webhook-functions.php, wc_get_webhook(): the stored webhook, or null.
 */
function wc_get_webhook( $id ) {
	$webhook = new WC_Webhook( $id );
	return 0 !== $webhook->get_id() ? $webhook : null;
}
