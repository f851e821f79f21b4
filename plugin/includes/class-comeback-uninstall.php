<?php
/**
 * Deleting the plugin (uninstall.php, run by WordPress's uninstall_plugin() on a deactivated
 * plugin, possibly with WooCommerce deactivated too): in order,
 *
 * 1. the sidecar disconnects the shop (signed POST /api/shop/disconnect, up to 25 seconds): it
 *    deletes its webhooks and marks over REST, forgets the REST key, and keeps or erases the
 *    shop's data as the merchant chose (Comeback_Options::uninstall_data());
 * 2. the REST key WooCommerce issued to Comeback is revoked here: the one whose last seven
 *    characters the sidecar answered, and every key WooCommerce's app authorisation created for
 *    Comeback's app name — so a sidecar that did not answer holds no working key either;
 * 3. webhooks still delivering to Comeback are deleted;
 * 4. the orders' keep-alive marks (Comeback_Keep_Alive::META) are cleared, 500 at a time;
 * 5. every option, transient and queued action goes (Comeback_Options::remove_everything()).
 *
 * WooCommerce's tables outlive WooCommerce's deactivation, so steps 2–4 work on them directly,
 * as WooCommerce's own code does, and through WooCommerce only when it is loaded.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Uninstall {

	/** The sidecar answers within about 20 seconds (it deletes webhooks and marks over REST first). */
	private const DISCONNECT_TIMEOUT = 25;
	/** Rows of order meta deleted per query. */
	public const BATCH = 500;
	/** Webhooks created for Comeback are named "Comeback: <topic>" (sidecar/src/woo/shop-connection.ts). */
	private const WEBHOOK_NAME_PREFIX = 'Comeback: ';

	/** Everything, in order; the one call of uninstall.php. */
	public static function run() {
		// The sidecar may take its 25 seconds; the clean-up after it must still finish in this
		// request (as WooCommerce's wc_set_time_limit() extends its long ones).
		if ( function_exists( 'set_time_limit' ) && false === strpos( (string) ini_get( 'disable_functions' ), 'set_time_limit' ) ) {
			set_time_limit( 120 );
		}
		$disconnected = self::disconnect();
		self::revoke_keys( is_array( $disconnected ) && is_string( $disconnected['truncatedKey'] ?? null ) ? $disconnected['truncatedKey'] : '' );
		self::delete_webhooks();
		self::clear_marks();
		Comeback_Options::remove_everything();
	}

	/**
	 * Asks the sidecar to disconnect the shop, with the merchant's choice for its data.
	 *
	 * @return array|null The sidecar's answer, or null when it did not disconnect the shop.
	 */
	public static function disconnect() {
		if ( ! Comeback_Registration::configured() ) {
			return null;
		}
		$answer = Comeback_Sidecar_Client::configured()->request(
			'POST',
			'/api/shop/disconnect',
			array(
				'data'   => Comeback_Options::uninstall_data(),
				'reason' => 'plugin-uninstalled',
			),
			self::DISCONNECT_TIMEOUT
		);
		return ! is_wp_error( $answer ) && 200 === $answer['status'] && is_array( $answer['body'] ) ? $answer['body'] : null;
	}

	/**
	 * Revokes Comeback's REST keys as WooCommerce's "Revoke" does (includes/admin/class-wc-admin-api-keys.php,
	 * remove_key(): the row deleted): the key the sidecar held ($truncated, its last seven
	 * characters, WooCommerce's truncated_key), and the keys WooCommerce's app authorisation
	 * created for Comeback, described "<app name> - API (<Y-m-d H:i:s>)" (includes/class-wc-auth.php,
	 * create_keys()).
	 *
	 * @param string $truncated '' when the sidecar did not name its key.
	 * @return int Keys revoked.
	 */
	public static function revoke_keys( $truncated ) {
		global $wpdb;
		$table = $wpdb->prefix . 'woocommerce_api_keys';
		if ( ! self::table_exists( $table ) ) {
			return 0;
		}
		$described = $wpdb->esc_like( Comeback_Options::APP_NAME . ' - API (' ) . '____-__-__ __:__:__)';
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is WordPress's prefix and a constant.
		return (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE description LIKE %s OR ( '' <> %s AND truncated_key = %s )", $described, $truncated, $truncated ) );
	}

	/**
	 * Deletes the webhooks named as Comeback names them or delivering to this sidecar: through
	 * WooCommerce when it is loaded (its caches and woocommerce_webhook_deleted follow), else in
	 * its table, as WC_Webhook_Data_Store::delete() does, with the cached id lists it clears.
	 *
	 * @return int Webhooks deleted.
	 */
	public static function delete_webhooks() {
		global $wpdb;
		$delivery_url = Comeback_Options::sidecar_url() . '/webhooks/woocommerce';
		if ( class_exists( 'WC_Data_Store' ) && function_exists( 'wc_get_webhook' ) ) {
			$deleted = 0;
			foreach ( (array) WC_Data_Store::load( 'webhook' )->search_webhooks( array( 'limit' => -1 ) ) as $id ) {
				$webhook = wc_get_webhook( $id );
				if ( $webhook && self::is_comebacks( $webhook->get_name(), $webhook->get_delivery_url(), $delivery_url ) ) {
					$webhook->delete( true );
					++$deleted;
				}
			}
			return $deleted;
		}
		$table = $wpdb->prefix . 'wc_webhooks';
		if ( ! self::table_exists( $table ) ) {
			return 0;
		}
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is WordPress's prefix and a constant.
		$deleted = (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE name LIKE %s OR delivery_url = %s", $wpdb->esc_like( self::WEBHOOK_NAME_PREFIX ) . '%', $delivery_url ) );
		// WC_Webhook_Data_Store::delete_transients( 'all' ): the id lists WooCommerce loads webhooks from.
		foreach ( array( '', '_status_active', '_status_paused', '_status_disabled' ) as $suffix ) {
			delete_transient( 'woocommerce_webhook_ids' . $suffix );
		}
		return $deleted;
	}

	private static function is_comebacks( $name, $url, $delivery_url ) {
		return 0 === strpos( (string) $name, self::WEBHOOK_NAME_PREFIX ) || $url === $delivery_url;
	}

	/**
	 * Clears the keep-alive marks the sidecar wrote on orders over REST, wherever WooCommerce keeps
	 * order meta: the posts' meta (posts storage, and HPOS's synchronised copy) and HPOS's
	 * wc_orders_meta. At most BATCH rows per query, so a large shop never locks its tables long.
	 *
	 * @return int Marks cleared.
	 */
	public static function clear_marks() {
		global $wpdb;
		return self::delete_meta(
			$wpdb->postmeta,
			'meta_id',
			'post_id',
			function ( $post_id ) {
				wp_cache_delete( $post_id, 'post_meta' );
			}
		) + self::delete_meta( $wpdb->prefix . 'wc_orders_meta', 'id', 'order_id', array( __CLASS__, 'forget_cached_order' ) );
	}

	/**
	 * HPOS keeps orders in its own cache when WooCommerce runs (src/Caches/OrderCache.php, remove()):
	 * the order is read afresh, without the mark.
	 */
	public static function forget_cached_order( $order_id ) {
		$cache = 'Automattic\WooCommerce\Caches\OrderCache';
		if ( function_exists( 'wc_get_container' ) && class_exists( $cache ) ) {
			wc_get_container()->get( $cache )->remove( $order_id );
		}
	}

	/**
	 * @param callable $forget Called with the id of each object whose meta was deleted: its cache goes.
	 */
	private static function delete_meta( $table, $id_column, $object_column, callable $forget ) {
		global $wpdb;
		if ( ! self::table_exists( $table ) ) {
			return 0;
		}
		$deleted = 0;
		do {
			// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table and columns are WordPress's and WooCommerce's, not input.
			$rows = $wpdb->get_results( $wpdb->prepare( "SELECT {$id_column} AS id, {$object_column} AS object_id FROM {$table} WHERE meta_key = %s LIMIT %d", Comeback_Keep_Alive::META, self::BATCH ) );
			if ( ! $rows ) {
				break;
			}
			$ids = implode( ',', array_map( 'absint', wp_list_pluck( $rows, 'id' ) ) );
			$wpdb->query( "DELETE FROM {$table} WHERE {$id_column} IN ({$ids})" );
			// phpcs:enable WordPress.DB.PreparedSQL.InterpolatedNotPrepared
			foreach ( array_unique( wp_list_pluck( $rows, 'object_id' ) ) as $object_id ) {
				$forget( (int) $object_id );
			}
			$batch    = count( $rows );
			$deleted += $batch;
		} while ( self::BATCH === $batch );
		return $deleted;
	}

	private static function table_exists( $table ) {
		global $wpdb;
		return $table === $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $table ) ) );
	}
}
