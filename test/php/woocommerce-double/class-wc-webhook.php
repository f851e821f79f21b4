<?php
/**
 * The test double's webhooks, stored as WooCommerce 9.9.5 stores them: rows of wc_webhooks
 * (includes/class-wc-install.php, get_schema()) written and read by WC_Webhook_Data_Store
 * (includes/data-stores/class-wc-webhook-data-store.php: create(), read(), delete(),
 * search_webhooks()), reached through WC_Data_Store::load( 'webhook' ) and wc_get_webhook()
 * (includes/wc-webhook-functions.php: null for an id that is not stored). The sidecar creates
 * them over REST (POST /wc/v3/webhooks), which is WC_Webhook::save(). Only the props and
 * arguments Comeback and its tests use; deliveries are not modelled. Loaded by
 * ../woocommerce-double.php when WooCommerce's own is absent.
 */
class WC_Webhook {
	/** @var array */
	private $data = array(
		'id'           => 0,
		'status'       => 'disabled',
		'name'         => '',
		'user_id'      => 0,
		'delivery_url' => '',
		'secret'       => '',
		'topic'        => '',
		'api_version'  => 3,
	);

	/** @param int|array $id_or_data A stored id (read from the table) or the props of a new webhook. */
	public function __construct( $id_or_data = 0 ) {
		if ( is_array( $id_or_data ) ) {
			$this->data = array_merge( $this->data, $id_or_data );
		} elseif ( $id_or_data ) {
			$this->data['id'] = (int) $id_or_data;
			WC_Webhook_Data_Store::instance()->read( $this );
		}
	}
	public function get_id() {
		return $this->data['id'];
	}
	public function get_name() {
		return $this->data['name'];
	}
	public function get_status() {
		return $this->data['status'];
	}
	public function get_delivery_url() {
		return $this->data['delivery_url'];
	}
	public function get_topic() {
		return $this->data['topic'];
	}
	/** @internal For the data store. */
	public function set_props( array $props ) {
		$this->data = array_merge( $this->data, $props );
	}
	/** @internal For the data store. */
	public function props() {
		return $this->data;
	}
	public function save() {
		WC_Webhook_Data_Store::instance()->create( $this );
		return $this->get_id();
	}
	/**
	 * The payload of a delivery, as WooCommerce 9.9.5 builds it (includes/class-wc-webhook.php
	 * build_payload() and get_wp_api_payload()): a deleted resource is its id alone; an order is
	 * what the REST API answers for GET /wc/v3/orders/<id> (RestApiUtil::get_endpoint_data(), here
	 * the double's WC_REST_Orders_Controller), then filtered by woocommerce_webhook_payload. Orders
	 * only: the one resource Comeback's webhooks carry.
	 *
	 * @param int $resource_id The order's id.
	 */
	public function build_payload( $resource_id ) {
		list( $resource, $event ) = array_pad( explode( '.', $this->get_topic(), 2 ), 2, '' );
		$payload                  = array( 'id' => $resource_id );
		if ( 'deleted' !== $event && 'order' === $resource ) {
			$order   = wc_get_order( $resource_id );
			$payload = $order ? ( new WC_REST_Orders_Controller() )->prepare_object_for_response( $order, new WP_REST_Request( 'GET', '/wc/v3/orders/' . $resource_id ) )->get_data() : array();
		}
		return apply_filters( 'woocommerce_webhook_payload', $payload, $resource, $resource_id, $this->get_id() );
	}
	/** WC_Data::delete( $force_delete ): webhooks have no trash, the row goes. */
	public function delete() {
		WC_Webhook_Data_Store::instance()->delete( $this );
		return true;
	}
}
