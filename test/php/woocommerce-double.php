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


if ( ! class_exists( 'WC_Order' ) ) {
	// The two WC_Order methods the keep-alive filter reads, as WooCommerce defines them.
	class WC_Order {
		private $meta;
		private $created;
		public function __construct( array $meta, DateTimeInterface $created ) {
			$this->meta    = $meta;
			$this->created = $created;
		}
		public function get_meta( $key ) {
			return $this->meta[ $key ] ?? '';
		}
		public function get_date_created() {
			return $this->created;
		}
	}
}
