<?php
/**
 * Bootstrap: hooks only. Requires WooCommerce without ever fataling when it is missing, declares
 * compatibility with HPOS (custom order tables) and the cart/checkout blocks, loads translations.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Plugin {

	/** Hooks the plugin in; called once from comeback.php. */
	public static function boot() {
		add_action( 'before_woocommerce_init', array( __CLASS__, 'declare_compatibility' ) );
		add_action( 'init', array( __CLASS__, 'load_textdomain' ) );
		add_action( 'plugins_loaded', array( __CLASS__, 'start' ), 20 );
	}

	/** WooCommerce is needed for everything else; without it only a notice is shown. */
	public static function start() {
		if ( ! self::woocommerce_active() ) {
			add_action( 'admin_notices', array( __CLASS__, 'missing_woocommerce_notice' ) );
			return;
		}
		Comeback_Settings::register();
		Comeback_Secret_Rotation::register();
		Comeback_Admin_UI::register();
		Comeback_WC_Settings::register();
		Comeback_Rest::register();
		Comeback_Shortcodes::register();
		Comeback_Keep_Alive::register();
		Comeback_Resume_Links::register();
		Comeback_Guest_Pass::register();
		Comeback_Cart_Queue::register();
		Comeback_Cart_Capture::register();
		Comeback_Privacy::register();
		Comeback_Consents::register();
		Comeback_Marketing_Optins::register();
		Comeback_My_Account::register();
		Comeback_Consent_Import::register();
		/**
		 * Fires once Comeback found WooCommerce and hooked itself in.
		 */
		do_action( 'comeback_started' );
	}

	public static function woocommerce_active() {
		return class_exists( 'WooCommerce' );
	}

	public static function missing_woocommerce_notice() {
		if ( ! current_user_can( 'activate_plugins' ) ) {
			return;
		}
		printf(
			'<div class="notice notice-error"><p>%s</p></div>',
			esc_html__( 'Comeback needs WooCommerce. Install and activate WooCommerce to recover unpaid orders.', 'comeback' )
		);
	}

	/** HPOS and the block checkout: Comeback reads orders only through WooCommerce's CRUD API. */
	public static function declare_compatibility() {
		if ( class_exists( '\Automattic\WooCommerce\Utilities\FeaturesUtil' ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', COMEBACK_FILE, true );
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'cart_checkout_blocks', COMEBACK_FILE, true );
		}
	}

	public static function load_textdomain() {
		load_plugin_textdomain( 'comeback', false, dirname( plugin_basename( COMEBACK_FILE ) ) . '/languages' );
	}
}
