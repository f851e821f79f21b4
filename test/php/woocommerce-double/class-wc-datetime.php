<?php
/**
 * The test double's WC_DateTime: WooCommerce's dates (an order's creation among them) are this
 * DateTime subclass (includes/class-wc-datetime.php); loaded by ../woocommerce-double.php when
 * WooCommerce's own is absent.
 */
class WC_DateTime extends DateTime {}
