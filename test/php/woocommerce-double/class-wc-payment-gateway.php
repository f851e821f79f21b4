<?php
/**
 * The test double's WC_Payment_Gateway: what Comeback reads of WooCommerce's class of that name, loaded by
 * ../woocommerce-double.php when WooCommerce's own is absent.
 */

/**
 * WC_Settings_API and WC_Payment_Gateway, the parts Comeback reads: settings from the option
 * woocommerce_<id>_settings, or every field's default when the gateway was never saved
 * (includes/abstracts/abstract-wc-settings-api.php init_settings, get_option); `enabled` is
 * 'yes' only when saved so (includes/abstracts/abstract-wc-payment-gateway.php init_settings);
 * get_title() through the woocommerce_gateway_title filter (same file, get_title).
 */
abstract class WC_Payment_Gateway {
	public $id;
	public $enabled = 'no';
	public $title;
	public $description;
	public $method_title;
	public $instructions;
	public $settings    = array();
	public $form_fields = array();

	public function __construct() {
		$this->init_form_fields();
		$this->init_settings();
		$this->title        = $this->get_option( 'title' );
		$this->description  = $this->get_option( 'description' );
		$this->instructions = $this->get_option( 'instructions' );
	}

	abstract public function init_form_fields();

	public function init_settings() {
		$this->settings = get_option( 'woocommerce_' . $this->id . '_settings', null );
		if ( ! is_array( $this->settings ) ) {
			$this->settings = array_merge( array_fill_keys( array_keys( $this->form_fields ), '' ), wp_list_pluck( $this->form_fields, 'default' ) );
		}
		$this->enabled = ! empty( $this->settings['enabled'] ) && 'yes' === $this->settings['enabled'] ? 'yes' : 'no';
	}

	public function get_option( $key ) {
		if ( ! isset( $this->settings[ $key ] ) ) {
			$this->settings[ $key ] = $this->form_fields[ $key ]['default'] ?? '';
		}
		return $this->settings[ $key ];
	}

	public function get_title() {
		return apply_filters( 'woocommerce_gateway_title', (string) $this->title, $this->id ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedHooknameFound -- WooCommerce's own filter.
	}

	public function get_method_title() {
		return $this->method_title;
	}
}
