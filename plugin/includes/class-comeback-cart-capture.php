<?php
/**
 * Abandoned carts, captured at checkout only with the shopper's consent. An unticked checkbox in
 * the merchant's wording (Comeback_Options::cart_consent_text()) sits with the contact details:
 * under the billing fields of the classic checkout, as an additional checkout field of the
 * contact section in the block checkout. Once it is ticked, the contact details the shopper
 * types are handed to Comeback_Cart_Queue with the cart WooCommerce holds for their session
 * (never prices from the browser): as the classic checkout's script posts them, or as the block
 * checkout's own Store API requests carry them. Comeback_Rate_Limit bounds how many addresses one
 * visitor, and how many sessions one address, may capture in an hour: the classic endpoint answers
 * 429 with Retry-After beyond it, the Store API requests (WooCommerce's own) just capture nothing.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Cart_Capture {

	/** The block checkout's additional field (Additional Checkout Fields API, namespace/name). */
	public const FIELD = 'comeback/cart-reminders';
	/** The classic checkout's checkbox. */
	private const CHECKBOX = 'comeback_cart_reminders';
	/** wc-ajax action of the classic checkout's script, and its nonce action. */
	public const AJAX = 'comeback_capture_cart';
	/** The box as the shopper last left it in this session (true, false, or unset). */
	private const SESSION_CONSENT = 'comeback_cart_consent';
	/** Where WooCommerce keeps the block field's value on the order (CheckoutFields::get_group_key( 'other' ) . FIELD). */
	public const BLOCK_META = '_wc_other/' . self::FIELD;
	/** Where the classic checkout's answer is kept on the order. */
	public const ORDER_META = '_comeback_cart_reminders';

	public static function register() {
		// After init:10, when the plugin's translations are loaded: the label is the consent wording.
		add_action( 'init', array( __CLASS__, 'register_block_field' ), 20 );
		add_action( 'woocommerce_after_checkout_billing_form', array( __CLASS__, 'render_checkbox' ) );
		add_action( 'wp_enqueue_scripts', array( __CLASS__, 'enqueue' ) );
		add_action( 'wc_ajax_' . self::AJAX, array( __CLASS__, 'ajax_capture' ) );
		add_action( 'woocommerce_store_api_cart_update_customer_from_request', array( __CLASS__, 'store_api_customer' ), 10, 2 );
		add_action( 'woocommerce_store_api_checkout_update_order_from_request', array( __CLASS__, 'store_api_order' ), 10, 2 );
		add_action( 'woocommerce_cart_updated', array( __CLASS__, 'cart_changed' ) );
		add_action( 'woocommerce_checkout_order_processed', array( __CLASS__, 'forget' ) );
		add_action( 'woocommerce_store_api_checkout_order_processed', array( __CLASS__, 'forget' ) );
		add_action( 'woocommerce_checkout_create_order', array( __CLASS__, 'record_classic_consent' ) );
		add_action( 'woocommerce_admin_order_data_after_billing_address', array( __CLASS__, 'render_order_consent' ) );
	}

	/**
	 * The classic checkout's answer, kept on the order it placed (WC_Checkout::create_order() fires
	 * this after checking WooCommerce's own checkout nonce). The block checkout's is kept by
	 * WooCommerce itself, under BLOCK_META.
	 *
	 * @param WC_Order $order The order being created.
	 */
	public static function record_classic_consent( $order ) {
		$given = ! empty( $_POST[ self::CHECKBOX ] ); // phpcs:ignore WordPress.Security.NonceVerification.Missing -- WC_Checkout::process_checkout() verified woocommerce-process-checkout-nonce before creating the order.
		$order->update_meta_data( self::ORDER_META, $given ? 'yes' : 'no' );
	}

	/** Whether the order's customer agreed to cart reminders at checkout (block or classic); false when never asked. */
	public static function order_consent( $order ) {
		if ( $order->meta_exists( self::BLOCK_META ) ) {
			return rest_sanitize_boolean( $order->get_meta( self::BLOCK_META ) );
		}
		return 'yes' === $order->get_meta( self::ORDER_META );
	}

	/**
	 * On the order screen, under the billing address: what the customer answered, as a consent
	 * record (it is not shown to them on the thank-you page or in emails).
	 *
	 * @param WC_Order $order The order being edited.
	 */
	public static function render_order_consent( $order ) {
		printf(
			'<p class="comeback-cart-consent"><strong>%1$s</strong> %2$s</p>',
			esc_html__( 'Cart reminders:', 'comeback' ),
			esc_html( self::order_consent( $order ) ? __( 'agreed', 'comeback' ) : __( 'not agreed', 'comeback' ) )
		);
	}

	/** The block checkout's checkbox (WooCommerce 8.9+), unticked unless the shopper ticks it. */
	public static function register_block_field() {
		if ( ! function_exists( 'woocommerce_register_additional_checkout_field' ) ) {
			return;
		}
		woocommerce_register_additional_checkout_field(
			array(
				'id'                         => self::FIELD,
				'label'                      => Comeback_Options::cart_consent_text(),
				'location'                   => 'contact',
				'type'                       => 'checkbox',
				'required'                   => false,
				// A consent record, not order data: kept off the thank-you page and the order emails
				// (WooCommerce lists every field with this on, its default). The order screen shows it.
				'show_in_order_confirmation' => false,
			)
		);
	}

	/** The classic checkout's checkbox, under the billing fields (the review table around "Place order" is redrawn by AJAX). */
	public static function render_checkbox() {
		printf(
			'<p class="form-row form-row-wide comeback-cart-reminders" id="%1$s_field"><label class="woocommerce-form__label woocommerce-form__label-for-checkbox checkbox"><input type="checkbox" class="woocommerce-form__input woocommerce-form__input-checkbox input-checkbox" name="%1$s" id="%1$s" value="1" /> <span>%2$s</span></label></p>',
			esc_attr( self::CHECKBOX ),
			esc_html( Comeback_Options::cart_consent_text() )
		);
	}

	/** The classic checkout's script; the block checkout sends its own Store API requests. */
	public static function enqueue() {
		if ( ! function_exists( 'is_checkout' ) || ! is_checkout() || is_wc_endpoint_url() || has_block( 'woocommerce/checkout' ) ) {
			return;
		}
		wp_enqueue_script( 'comeback-cart-capture', plugins_url( 'assets/cart-capture.js', COMEBACK_FILE ), array( 'jquery' ), COMEBACK_VERSION, true );
		wp_localize_script(
			'comeback-cart-capture',
			'comebackCartCapture',
			array(
				'url'   => WC_AJAX::get_endpoint( self::AJAX ),
				'nonce' => wp_create_nonce( self::AJAX ),
			)
		);
	}

	/** ?wc-ajax=comeback_capture_cart: what the shopper typed so far; the cart is read here, not posted. */
	public static function ajax_capture() {
		if ( ! check_ajax_referer( self::AJAX, 'nonce', false ) ) {
			wp_send_json_error( array( 'message' => __( 'This page has expired. Please reload it.', 'comeback' ) ), 403 );
		}
		$input = wp_unslash( $_POST ); // Comeback_Cart_Queue::add() cleans each value.
		$given = ! empty( $input['consent'] );
		self::remember_consent( $given );
		$queued = ! $given ? false : Comeback_Cart_Queue::add(
			array(
				'email'     => $input['email'] ?? '',
				'phone'     => $input['phone'] ?? '',
				'firstName' => $input['first_name'] ?? '',
				'country'   => $input['country'] ?? '',
			),
			'classic'
		);
		if ( is_wp_error( $queued ) ) {
			self::too_many( $queued );
		}
		wp_send_json_success( array( 'queued' => $queued ) );
	}

	/**
	 * 429 with Retry-After, the body as wp_send_json_error() shapes it. Through wp_die() (as
	 * wp_send_json() ends an AJAX request) so the status is the one WordPress's handler sets.
	 *
	 * @param WP_Error $limited Comeback_Rate_Limit's refusal, with retry_after seconds.
	 */
	private static function too_many( WP_Error $limited ) {
		$retry_after = (int) $limited->get_error_data()['retry_after'];
		if ( ! headers_sent() ) {
			header( 'Retry-After: ' . $retry_after );
			header( 'Content-Type: application/json; charset=' . get_option( 'blog_charset' ) );
		}
		$body = array(
			'success' => false,
			'data'    => array(
				'message'    => $limited->get_error_message(),
				'retryAfter' => $retry_after,
			),
		);
		wp_die( wp_json_encode( $body ), '', array( 'response' => 429 ) );
	}

	/**
	 * POST /wc/store/v1/cart/update-customer, which the block checkout sends (debounced) while the
	 * shopper types: { "billing_address": { first_name, last_name, email, phone, country, … },
	 * "shipping_address": { … } }, only the addresses that changed
	 * (woocommerce/woocommerce plugins/woocommerce/src/StoreApi/Routes/V1/CartUpdateCustomer.php,
	 * which accepts only those two and fires this hook after set_props(), so $customer already
	 * holds the merged details; client/blocks/assets/js/data/cart/push-changes.ts). The contact
	 * field's value does not come here: see store_api_order(). An "additional_fields" object in
	 * this body is honoured too.
	 *
	 * @param WC_Customer     $customer The session's customer.
	 * @param WP_REST_Request $request  The Store API request.
	 */
	public static function store_api_customer( $customer, $request ) {
		self::consent_from_request( $request );
		if ( ! self::consented( $customer ) ) {
			return;
		}
		$billing  = (array) $request->get_param( 'billing_address' );
		$shipping = (array) $request->get_param( 'shipping_address' );
		Comeback_Cart_Queue::add(
			array(
				'email'     => self::first( $billing['email'] ?? '', $customer->get_billing_email() ),
				'phone'     => self::first( $billing['phone'] ?? '', $shipping['phone'] ?? '', $customer->get_billing_phone() ),
				'firstName' => self::first( $billing['first_name'] ?? '', $shipping['first_name'] ?? '', $customer->get_billing_first_name() ),
				'country'   => self::first( $billing['country'] ?? '', $shipping['country'] ?? '', $customer->get_billing_country() ),
			),
			'store-api'
		);
	}

	/**
	 * PUT /wc/store/v1/checkout, which the block checkout sends when a contact or order field
	 * changes: { "additional_fields": { "comeback/cart-reminders": true } }, only the fields that
	 * changed (Routes/V1/Checkout.php get_route_update_response() → CheckoutTrait
	 * update_order_from_request(), which fires this hook; client/blocks/assets/js/data/checkout/
	 * push-changes.ts). Ticking the box after typing the e-mail captures at once; the POST that
	 * places the order runs this hook too, and is not captured.
	 *
	 * @param WC_Order        $order   The checkout's draft order.
	 * @param WP_REST_Request $request The Store API request.
	 */
	public static function store_api_order( $order, $request ) {
		if ( true !== self::consent_from_request( $request ) || ! in_array( $request->get_method(), array( 'PUT', 'PATCH' ), true ) ) {
			return;
		}
		$customer = WC()->customer;
		Comeback_Cart_Queue::add(
			array(
				'email'     => $customer->get_billing_email(),
				'phone'     => $customer->get_billing_phone(),
				'firstName' => $customer->get_billing_first_name(),
				'country'   => $customer->get_billing_country(),
			),
			'store-api'
		);
	}

	/**
	 * woocommerce_cart_updated (WooCommerce fires it whenever it stores the cart in the session):
	 * a consenting shopper's changed cart is sent again with the details they last gave.
	 */
	public static function cart_changed() {
		$session = WC()->session;
		$contact = $session ? $session->get( Comeback_Cart_Queue::SESSION_CONTACT ) : null;
		if ( ! is_array( $contact ) || true !== $session->get( self::SESSION_CONSENT ) ) {
			return;
		}
		Comeback_Cart_Queue::add( $contact, $contact['source'] ?? 'classic', true );
	}

	/** An order was placed: nothing more is sent for this cart, and the next one asks again. */
	public static function forget() {
		Comeback_Cart_Queue::forget();
		if ( WC()->session ) {
			WC()->session->set( self::SESSION_CONSENT, null );
		}
	}

	/** Reads the consent field from a Store API body, when it is there; null otherwise. */
	private static function consent_from_request( $request ) {
		$fields = $request instanceof WP_REST_Request ? $request->get_param( 'additional_fields' ) : null;
		if ( ! is_array( $fields ) || ! array_key_exists( self::FIELD, $fields ) ) {
			return null;
		}
		$given = rest_sanitize_boolean( $fields[ self::FIELD ] );
		self::remember_consent( $given );
		return $given;
	}

	/** Unticking also drops a capture still waiting to be sent. */
	private static function remember_consent( $given ) {
		if ( ! $given ) {
			Comeback_Cart_Queue::forget();
		}
		if ( WC()->session ) {
			WC()->session->set( self::SESSION_CONSENT, (bool) $given );
		}
	}

	/**
	 * Ticked in this session; or, before the shopper touched it, ticked as WooCommerce shows it
	 * to a returning customer (contact fields are kept on the account).
	 */
	private static function consented( $customer ) {
		$session = WC()->session ? WC()->session->get( self::SESSION_CONSENT ) : null;
		if ( is_bool( $session ) ) {
			return $session;
		}
		$fields = 'Automattic\WooCommerce\Blocks\Domain\Services\CheckoutFields'; // the container's key: no leading backslash
		if ( ! $customer instanceof WC_Data || ! class_exists( '\Automattic\WooCommerce\Blocks\Package' ) || ! class_exists( $fields ) ) {
			return false;
		}
		try {
			return true === \Automattic\WooCommerce\Blocks\Package::container()->get( $fields )->get_field_from_object( self::FIELD, $customer, 'other' );
		} catch ( Exception $e ) {
			return false;
		}
	}

	private static function first( ...$values ) {
		foreach ( $values as $value ) {
			if ( is_string( $value ) && '' !== trim( $value ) ) {
				return $value;
			}
		}
		return '';
	}
}
