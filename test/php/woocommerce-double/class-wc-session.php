<?php
/**
 * The test double's WC_Session: WooCommerce's abstract session
 * (includes/abstracts/abstract-wc-session.php), which WC_Session_Handler extends; loaded by
 * ../woocommerce-double.php when WooCommerce's own is absent.
 */
abstract class WC_Session {}
