<?php
/**
 * WordPress's privacy tools (Tools → Export / Erase Personal Data) reach what Comeback holds about
 * a customer. An exporter and an eraser are registered with WordPress's filters
 * (wp-admin/includes/ajax-actions.php, wp_ajax_wp_privacy_export_personal_data() and
 * wp_ajax_wp_privacy_erase_personal_data(), call each with the request's email and a page, 1, 2, …,
 * until it answers done; wp-includes/user.php, wp_register_personal_data_exporter() and
 * wp_register_personal_data_eraser(), show the shapes). Both ask the sidecar, signed, page by
 * page: POST /api/privacy/export and /api/privacy/erase, naming the customer by the email and,
 * for an account, its billing phone. The sidecar keeps a salted hash of an erased address so the
 * person is never messaged again.
 *
 * What Comeback wrote on orders (the cart-reminder consent, the recovery mark) goes with
 * WooCommerce's own order exporter and eraser (includes/class-wc-privacy-exporters.php,
 * get_order_personal_data(); includes/class-wc-privacy-erasers.php, remove_order_personal_data()),
 * through the meta filters they offer.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Privacy {

	public const EXPORT_PATH = '/api/privacy/export';
	public const ERASE_PATH  = '/api/privacy/erase';
	/** The key both are registered under. */
	public const KEY = 'comeback';

	public static function register() {
		add_filter( 'wp_privacy_personal_data_exporters', array( __CLASS__, 'register_exporter' ) );
		add_filter( 'wp_privacy_personal_data_erasers', array( __CLASS__, 'register_eraser' ) );
		add_filter( 'woocommerce_privacy_export_order_personal_data_meta', array( __CLASS__, 'order_meta_to_export' ) );
		add_filter( 'woocommerce_privacy_export_order_personal_data_meta_value', array( __CLASS__, 'order_meta_export_value' ), 10, 2 );
		add_filter( 'woocommerce_privacy_remove_order_personal_data_meta', array( __CLASS__, 'order_meta_to_remove' ) );
		add_filter( 'woocommerce_privacy_remove_order_personal_data_meta_value', array( __CLASS__, 'order_meta_removed_value' ), 10, 2 );
	}

	/**
	 * @param array $exporters WordPress's exporters by key.
	 * @return array
	 */
	public static function register_exporter( $exporters ) {
		$exporters[ self::KEY ] = array(
			'exporter_friendly_name' => __( 'Comeback reminders and messages', 'comeback' ),
			'callback'               => array( __CLASS__, 'export' ),
		);
		return $exporters;
	}

	/**
	 * @param array $erasers WordPress's erasers by key.
	 * @return array
	 */
	public static function register_eraser( $erasers ) {
		$erasers[ self::KEY ] = array(
			'eraser_friendly_name' => __( 'Comeback reminders and messages', 'comeback' ),
			'callback'             => array( __CLASS__, 'erase' ),
		);
		return $erasers;
	}

	/**
	 * One page of what the sidecar holds about the customer, as WordPress's exporters answer:
	 * { data: [ { group_id, group_label, item_id, data: [ { name, value } ] } ], done }. Values are
	 * escaped here: WordPress only filters them through wp_kses(), which would keep a customer's link.
	 *
	 * @param string $email_address The request's email.
	 * @param int    $page          1, 2, …
	 * @return array|WP_Error
	 */
	public static function export( $email_address, $page = 1 ) {
		$answer = self::ask( self::EXPORT_PATH, $email_address, $page );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		$data = array();
		foreach ( (array) ( $answer['data'] ?? array() ) as $item ) {
			$data[] = array(
				'group_id'    => sanitize_key( (string) ( $item['groupId'] ?? 'comeback' ) ),
				'group_label' => (string) ( $item['groupLabel'] ?? '' ),
				'item_id'     => sanitize_key( (string) ( $item['itemId'] ?? '' ) ),
				'data'        => array_map(
					function ( $pair ) {
						return array(
							'name'  => (string) ( $pair['name'] ?? '' ),
							'value' => esc_html( (string) ( $pair['value'] ?? '' ) ),
						);
					},
					(array) ( $item['data'] ?? array() )
				),
			);
		}
		return array(
			'data' => $data,
			'done' => ! empty( $answer['done'] ),
		);
	}

	/**
	 * Erases a batch in the sidecar; WordPress calls again while it is not done.
	 *
	 * @param string $email_address The request's email.
	 * @param int    $page          1, 2, …
	 * @return array|WP_Error { items_removed, items_retained, messages, done }
	 */
	public static function erase( $email_address, $page = 1 ) {
		$answer = self::ask( self::ERASE_PATH, $email_address, $page );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		return array(
			'items_removed'  => (int) ( $answer['itemsRemoved'] ?? 0 ) > 0,
			'items_retained' => (int) ( $answer['itemsRetained'] ?? 0 ) > 0,
			'messages'       => array_map( 'esc_html', array_map( 'strval', (array) ( $answer['messages'] ?? array() ) ) ),
			'done'           => ! empty( $answer['done'] ),
		);
	}

	/**
	 * The sidecar's answer for the customer, or a WP_Error WordPress shows beside the request
	 * (an unreachable sidecar must not look like "nothing held").
	 *
	 * @return array|WP_Error
	 */
	private static function ask( $path, $email_address, $page ) {
		$body = array(
			'email' => (string) $email_address,
			'page'  => max( 1, (int) $page ),
		);
		// An account's billing phone names the same person in SMS and WhatsApp data.
		$user = get_user_by( 'email', $email_address );
		if ( $user ) {
			$phone   = (string) get_user_meta( $user->ID, 'billing_phone', true );
			$country = (string) get_user_meta( $user->ID, 'billing_country', true );
			if ( '' !== $phone ) {
				$body['phone'] = $phone;
			}
			if ( preg_match( '/^[A-Za-z]{2}$/', $country ) ) {
				$body['country'] = $country;
			}
		}
		$response = Comeback_Sidecar_Client::configured()->request( 'POST', $path, $body, 30 );
		if ( is_wp_error( $response ) ) {
			return new WP_Error( 'comeback_privacy_unreachable', __( 'Comeback could not reach its sidecar; try again in a moment.', 'comeback' ) );
		}
		if ( 200 !== $response['status'] || ! is_array( $response['body'] ) ) {
			/* translators: %d: HTTP status code. */
			return new WP_Error( 'comeback_privacy_refused', sprintf( __( 'Comeback’s sidecar refused the request (HTTP %d).', 'comeback' ), $response['status'] ) );
		}
		return $response['body'];
	}

	/**
	 * @param array $meta Meta keys of an order WooCommerce exports, with their labels.
	 * @return array
	 */
	public static function order_meta_to_export( $meta ) {
		$meta[ Comeback_Cart_Capture::ORDER_META ] = __( 'Cart reminders agreed to at checkout', 'comeback' );
		$meta[ Comeback_Keep_Alive::META ]         = __( 'Kept open for payment reminders until', 'comeback' );
		return $meta;
	}

	/**
	 * @param mixed  $value    The stored value.
	 * @param string $meta_key The key.
	 * @return mixed As a customer reads it.
	 */
	public static function order_meta_export_value( $value, $meta_key ) {
		if ( Comeback_Cart_Capture::ORDER_META === $meta_key && '' !== (string) $value ) {
			return 'yes' === $value ? __( 'Yes', 'comeback' ) : __( 'No', 'comeback' );
		}
		if ( Comeback_Keep_Alive::META === $meta_key && (int) $value > 0 ) {
			return wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), (int) $value );
		}
		return $value;
	}

	/**
	 * @param array $meta Meta keys WooCommerce removes from an order, with their data type.
	 * @return array
	 */
	public static function order_meta_to_remove( $meta ) {
		$meta[ Comeback_Cart_Capture::ORDER_META ] = 'text';
		$meta[ Comeback_Keep_Alive::META ]         = 'text';
		return $meta;
	}

	/**
	 * Comeback's meta is deleted rather than kept as "[deleted]" (an empty value makes WooCommerce delete it).
	 *
	 * @param string $anon_value WooCommerce's anonymised value.
	 * @param string $meta_key   The key.
	 * @return string
	 */
	public static function order_meta_removed_value( $anon_value, $meta_key ) {
		return in_array( $meta_key, array( Comeback_Cart_Capture::ORDER_META, Comeback_Keep_Alive::META ), true ) ? '' : $anon_value;
	}
}
