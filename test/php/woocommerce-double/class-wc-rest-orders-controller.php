<?php
/**
 * The test double's WC_REST_Orders_Controller: an order as GET /wp-json/wc/v3/orders/<id> answers
 * it, the fields Comeback reads, loaded by ../woocommerce-double.php when WooCommerce's own is absent.
 * As WooCommerce 9.9.5 includes/rest-api/Controllers/Version2/class-wc-rest-orders-v2-controller.php
 * prepare_object_for_response(): the data (get_formatted_item_data(): meta_data is
 * $order->get_meta_data()) made a WP_REST_Response by rest_ensure_response(), then
 * apply_filters( "woocommerce_rest_prepare_{$this->post_type}_object", $response, $object, $request )
 * with post_type shop_order. WC_Webhook::build_payload() reaches the same method for order webhooks.
 */
class WC_REST_Orders_Controller {
	/** @var string As WooCommerce's orders controller. */
	protected $post_type = 'shop_order';

	/**
	 * @param WC_Order        $order   The order.
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response
	 */
	public function prepare_object_for_response( $order, $request ) {
		$data     = array(
			'id'             => $order->get_id(),
			'status'         => $order->get_status(),
			'currency'       => $order->get_currency(),
			'total'          => $order->get_total(),
			'customer_id'    => $order->get_customer_id(),
			'billing'        => array(
				'first_name' => $order->get_billing_first_name(),
				'last_name'  => $order->get_billing_last_name(),
				'email'      => $order->get_billing_email(),
				'phone'      => $order->get_billing_phone(),
			),
			'payment_method' => $order->get_payment_method(),
			'created_via'    => $order->get_created_via(),
			'meta_data'      => array_map(
				function ( $meta ) {
					return array(
						'id'    => $meta->id,
						'key'   => $meta->key,
						'value' => $meta->value,
					);
				},
				$order->get_meta_data()
			),
		);
		$response = rest_ensure_response( $data );
		return apply_filters( "woocommerce_rest_prepare_{$this->post_type}_object", $response, $order, $request );
	}
}
