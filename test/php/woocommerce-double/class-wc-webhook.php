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
	/** WC_Data::delete( $force_delete ): webhooks have no trash, the row goes. */
	public function delete() {
		WC_Webhook_Data_Store::instance()->delete( $this );
		return true;
	}
}
