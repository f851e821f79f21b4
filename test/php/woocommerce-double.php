<?php
/**
 * A test double for the few WooCommerce symbols Comeback touches (WooCommerce cannot be installed
 * here). Only what the plugin calls, each as WooCommerce documents it; nothing else pretends.
 */
if ( ! class_exists( 'WooCommerce' ) ) {
	// WooCommerce's main class: its presence is how plugins tell WooCommerce is active.
	final class WooCommerce {
		public $version = '9.9.5';
	}
}

