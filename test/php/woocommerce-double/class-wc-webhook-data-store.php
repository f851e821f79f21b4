<?php
/**
 * The test double's WC_Webhook_Data_Store (see class-wc-webhook.php for what it models).
 */
class WC_Webhook_Data_Store {
	public static function instance() {
		static $instance = null;
		if ( null === $instance ) {
			$instance = new self();
		}
		return $instance;
	}

	public function create( WC_Webhook $webhook ) {
		global $wpdb;
		$props = $webhook->props();
		unset( $props['id'] );
		$now = current_time( 'mysql', 1 );
		$wpdb->insert(
			$wpdb->prefix . 'wc_webhooks',
			$props + array(
				'date_created'     => current_time( 'mysql' ),
				'date_created_gmt' => $now,
				'pending_delivery' => 1,
			)
		);
		$webhook->set_props( array( 'id' => $wpdb->insert_id ) );
		$this->delete_transients();
		do_action( 'woocommerce_new_webhook', $webhook->get_id(), $webhook );
	}

	public function read( WC_Webhook $webhook ) {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$wpdb->prefix}wc_webhooks WHERE webhook_id = %d", $webhook->get_id() ), ARRAY_A );
		if ( ! $row ) {
			$webhook->set_props( array( 'id' => 0 ) );
			return;
		}
		$webhook->set_props( array_intersect_key( $row, $webhook->props() ) );
	}

	public function delete( WC_Webhook $webhook ) {
		global $wpdb;
		$wpdb->delete( $wpdb->prefix . 'wc_webhooks', array( 'webhook_id' => $webhook->get_id() ), array( '%d' ) );
		$this->delete_transients();
		wp_cache_delete( $webhook->get_id(), 'webhooks' );
		do_action( 'woocommerce_webhook_deleted', $webhook->get_id(), $webhook );
	}

	/** Ids, newest first; args limit (10 unless -1) and search (in the name) as WooCommerce reads them. */
	public function search_webhooks( $args ) {
		global $wpdb;
		$args   = wp_parse_args( $args, array( 'limit' => 10 ) );
		$limit  = -1 < $args['limit'] ? $wpdb->prepare( 'LIMIT %d', $args['limit'] ) : '';
		$search = ! empty( $args['search'] ) ? $wpdb->prepare( 'AND `name` LIKE %s', '%' . $wpdb->esc_like( sanitize_text_field( $args['search'] ) ) . '%' ) : '';
		return array_map( 'intval', $wpdb->get_col( "SELECT webhook_id FROM {$wpdb->prefix}wc_webhooks WHERE 1=1 {$search} ORDER BY webhook_id DESC {$limit}" ) );
	}

	/** delete_transients( 'all' ): the cached id lists WooCommerce loads webhooks from. */
	private function delete_transients() {
		foreach ( array( '', '_status_active', '_status_paused', '_status_disabled' ) as $suffix ) {
			delete_transient( 'woocommerce_webhook_ids' . $suffix );
		}
	}
}
