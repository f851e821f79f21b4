<?php
/**
 * Marketing opt-ins at checkout: one optional, unticked checkbox per channel the merchant offers
 * (WooCommerce → Settings → Advanced → Comeback; e-mail by default), in the merchant's wording.
 * Distinct from the cart-reminder box (Comeback_Cart_Capture, purpose cart): these are agreement
 * to offers and news (purpose marketing), and nothing else.
 *
 * Classic checkout: under the billing fields, after the cart-reminder box. Not beside "Place
 * order": WooCommerce redraws that part (the .woocommerce-checkout-payment fragment) whenever the
 * address changes and restores only its own terms box (assets/js/frontend/checkout.js,
 * update_checkout_action()), so a tick there would be lost.
 *
 * Block checkout: Additional Checkout Fields (woocommerce_register_additional_checkout_field,
 * WooCommerce 9.9.5 src/Blocks/Domain/Services/CheckoutFields.php register_checkout_field()) in
 * the "order" location. Not "contact": contact fields are customer fields (is_customer_field())
 * that CheckoutTrait::persist_additional_fields_for_order() copies onto a signed-in customer
 * (sync_customer_additional_fields_with_order()) and the next checkout shows again, so a box
 * ticked once would come back ticked. An order field is stored on the order only, under
 * _wc_other/<id> ('1' or '0', CheckoutFields::set_array_meta()).
 *
 * Once the order is placed (classic: woocommerce_checkout_order_processed, fired by
 * WC_Checkout::process_checkout() in includes/class-wc-checkout.php; block:
 * woocommerce_store_api_checkout_order_processed, fired by the Store API's
 * src/StoreApi/Routes/V1/Checkout.php process_without_payment()/process_payment path) the ticked
 * ones are queued for the sidecar as grants with source checkout, the wording shown, the IP
 * WooCommerce recorded on the order and the customer's user id (Comeback_Consents::queue()).
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Marketing_Optins {

	/** The block checkout's fields: this prefix and the channel (namespace/name). */
	public const FIELD = 'comeback/marketing-';
	/** The classic checkout's checkboxes: this prefix and the channel. */
	private const CHECKBOX = 'comeback_marketing_';
	/** Where the classic checkout's answer is kept on the order: the ticked channels, comma-separated. */
	public const ORDER_META = '_comeback_marketing';
	/** Transient marking an order's consents queued (this prefix and the order id). */
	private const QUEUED = 'comeback_optins_';

	public static function register() {
		// After init:10, when the plugin's translations are loaded: the labels are the consent wording.
		add_action( 'init', array( __CLASS__, 'register_block_fields' ), 20 );
		add_action( 'woocommerce_after_checkout_billing_form', array( __CLASS__, 'render_checkboxes' ), 20 );
		add_action( 'woocommerce_checkout_create_order', array( __CLASS__, 'record_classic_answer' ) );
		add_action( 'woocommerce_checkout_order_processed', array( __CLASS__, 'classic_order_processed' ), 10, 3 );
		add_action( 'woocommerce_store_api_checkout_order_processed', array( __CLASS__, 'order_processed' ) );
		add_action( 'woocommerce_admin_order_data_after_billing_address', array( __CLASS__, 'render_order_answer' ) );
	}

	/**
	 * The channels offered: the merchant's, and none while the plugin is not connected (an
	 * agreement that could not reach the sidecar would be asked for nothing).
	 */
	private static function offered() {
		return Comeback_Registration::configured() ? Comeback_Options::marketing_channels() : array();
	}

	/** One unticked, optional checkbox per offered channel, kept off the thank-you page and emails. */
	public static function register_block_fields() {
		if ( ! function_exists( 'woocommerce_register_additional_checkout_field' ) ) {
			return;
		}
		foreach ( self::offered() as $channel ) {
			woocommerce_register_additional_checkout_field(
				array(
					'id'                         => self::FIELD . $channel,
					'label'                      => Comeback_Options::marketing_text( $channel ),
					'location'                   => 'order',
					'type'                       => 'checkbox',
					'required'                   => false,
					'show_in_order_confirmation' => false,
				)
			);
		}
	}

	/** The classic checkout's checkboxes, unticked. */
	public static function render_checkboxes() {
		foreach ( self::offered() as $channel ) {
			printf(
				'<p class="form-row form-row-wide comeback-marketing" id="%1$s_field"><label class="woocommerce-form__label woocommerce-form__label-for-checkbox checkbox"><input type="checkbox" class="woocommerce-form__input woocommerce-form__input-checkbox input-checkbox" name="%1$s" id="%1$s" value="1" /> <span>%2$s</span></label></p>',
				esc_attr( self::CHECKBOX . $channel ),
				esc_html( Comeback_Options::marketing_text( $channel ) )
			);
		}
	}

	/**
	 * The classic checkout's answer, on the order it creates (WC_Checkout::create_order() fires this
	 * after WC_Checkout::process_checkout() checked woocommerce-process-checkout-nonce).
	 *
	 * @param WC_Order $order The order being created.
	 */
	public static function record_classic_answer( $order ) {
		$ticked = array();
		foreach ( Comeback_Options::marketing_channels() as $channel ) {
			if ( ! empty( $_POST[ self::CHECKBOX . $channel ] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Missing -- verified by WooCommerce before the order is created.
				$ticked[] = $channel;
			}
		}
		$order->update_meta_data( self::ORDER_META, implode( ',', $ticked ) );
	}

	/**
	 * woocommerce_checkout_order_processed( $order_id, $posted_data, $order ).
	 *
	 * @param int      $order_id    The order's id.
	 * @param array    $posted_data The checkout's fields.
	 * @param WC_Order $order       The order.
	 */
	public static function classic_order_processed( $order_id, $posted_data = array(), $order = null ) {
		unset( $posted_data );
		self::order_processed( $order instanceof WC_Order ? $order : wc_get_order( $order_id ) );
	}

	/**
	 * The order was placed: the channels ticked for it go to the sidecar as marketing grants.
	 *
	 * @param WC_Order $order The order.
	 */
	public static function order_processed( $order ) {
		if ( ! $order instanceof WC_Order ) {
			return;
		}
		$changes = array();
		foreach ( self::ticked( $order ) as $channel ) {
			$address = trim( (string) ( 'email' === $channel ? $order->get_billing_email() : $order->get_billing_phone() ) );
			if ( '' === $address ) {
				continue; // a phone channel ticked without a phone number
			}
			$change = array(
				'purpose' => 'marketing',
				'channel' => $channel,
				'address' => $address,
				'granted' => true,
				'text'    => Comeback_Options::marketing_text( $channel ),
				'source'  => 'checkout',
			);
			if ( $order->get_customer_id() ) {
				$change['userId'] = (int) $order->get_customer_id();
			}
			if ( $order->get_customer_ip_address() ) {
				$change['ip'] = (string) $order->get_customer_ip_address();
			}
			// The language the shopper checked out in: the confirmation email and page speak it.
			$change['locale'] = determine_locale();
			$changes[]        = $change;
		}
		// A failed payment tried again processes the same order again: its consents go once.
		$once = self::QUEUED . $order->get_id();
		$hash = hash( 'sha256', wp_json_encode( $changes ) );
		if ( ! $changes || ( $order->get_id() && get_transient( $once ) === $hash ) ) {
			return;
		}
		if ( $order->get_id() ) {
			set_transient( $once, $hash, DAY_IN_SECONDS );
		}
		Comeback_Consents::queue( $changes );
	}

	/** The offered channels ticked for this order, at the block checkout or the classic one. */
	public static function ticked( $order ) {
		$classic = array_filter( explode( ',', (string) $order->get_meta( self::ORDER_META ) ) );
		return array_values(
			array_filter(
				Comeback_Options::marketing_channels(),
				function ( $channel ) use ( $order, $classic ) {
					return in_array( $channel, $classic, true ) || rest_sanitize_boolean( $order->get_meta( '_wc_other/' . self::FIELD . $channel ) );
				}
			)
		);
	}

	/**
	 * On the order screen, under the billing address: the offers and news the customer agreed to.
	 *
	 * @param WC_Order $order The order being edited.
	 */
	public static function render_order_answer( $order ) {
		$names  = array(
			'email'    => __( 'email', 'comeback' ),
			'sms'      => __( 'text message', 'comeback' ),
			'whatsapp' => __( 'WhatsApp', 'comeback' ),
		);
		$ticked = array_intersect_key( $names, array_flip( self::ticked( $order ) ) );
		printf(
			'<p class="comeback-marketing-consent"><strong>%1$s</strong> %2$s</p>',
			esc_html__( 'Offers and news:', 'comeback' ),
			esc_html( $ticked ? implode( ', ', $ticked ) : __( 'not agreed', 'comeback' ) )
		);
	}
}
