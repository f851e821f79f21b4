<?php
/**
 * Plugin Name:          Comeback — sales recovery for WooCommerce
 * Description:          Reminds customers about unpaid orders with a resume-payment link or your bank details, and reports what was recovered. The work runs in the Comeback sidecar; this plugin connects the shop to it.
 * Version:              0.1.0
 * Requires at least:    6.1
 * Requires PHP:         7.4
 * Requires Plugins:     woocommerce
 * WC requires at least: 8.0
 * Text Domain:          comeback
 * Domain Path:          /languages
 * License:              GPL-2.0-or-later
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

// This file only wires things up; each concern is one class in includes/.
define( 'COMEBACK_VERSION', '0.1.0' );
define( 'COMEBACK_FILE', __FILE__ );
define( 'COMEBACK_DIR', __DIR__ );

require_once COMEBACK_DIR . '/includes/class-comeback-options.php';
require_once COMEBACK_DIR . '/includes/class-comeback-link-token.php';
require_once COMEBACK_DIR . '/includes/class-comeback-catalog.php';
require_once COMEBACK_DIR . '/includes/class-comeback-sidecar-client.php';
require_once COMEBACK_DIR . '/includes/class-comeback-registration.php';
require_once COMEBACK_DIR . '/includes/class-comeback-settings.php';
require_once COMEBACK_DIR . '/includes/class-comeback-secret-rotation.php';
require_once COMEBACK_DIR . '/includes/class-comeback-admin-ui.php';
require_once COMEBACK_DIR . '/includes/class-comeback-wc-settings.php';
require_once COMEBACK_DIR . '/includes/class-comeback-formatting.php';
require_once COMEBACK_DIR . '/includes/class-comeback-shop-profile.php';
require_once COMEBACK_DIR . '/includes/class-comeback-order-context.php';
require_once COMEBACK_DIR . '/includes/class-comeback-languages.php';
require_once COMEBACK_DIR . '/includes/class-comeback-shortcodes.php';
require_once COMEBACK_DIR . '/includes/class-comeback-rest.php';
require_once COMEBACK_DIR . '/includes/class-comeback-keep-alive.php';
require_once COMEBACK_DIR . '/includes/class-comeback-resume-links.php';
require_once COMEBACK_DIR . '/includes/class-comeback-guest-pass.php';
require_once COMEBACK_DIR . '/includes/class-comeback-rate-limit.php';
require_once COMEBACK_DIR . '/includes/class-comeback-cart-queue.php';
require_once COMEBACK_DIR . '/includes/class-comeback-cart-capture.php';
require_once COMEBACK_DIR . '/includes/class-comeback-cart-restore.php';
require_once COMEBACK_DIR . '/includes/class-comeback-privacy.php';
require_once COMEBACK_DIR . '/includes/class-comeback-consents.php';
require_once COMEBACK_DIR . '/includes/class-comeback-marketing-optins.php';
require_once COMEBACK_DIR . '/includes/class-comeback-my-account.php';
require_once COMEBACK_DIR . '/includes/class-comeback-consent-import.php';
require_once COMEBACK_DIR . '/includes/class-comeback-plugin.php';

// A plugin activated on a shop that is already connected registers with its sidecar again and
// resumes the shop; deactivating pauses it there. Deleting runs uninstall.php.
register_activation_hook( __FILE__, array( 'Comeback_Registration', 'on_activation' ) );
register_deactivation_hook( __FILE__, array( 'Comeback_Registration', 'on_deactivation' ) );
// The order's language at checkout and in the REST order (Comeback_Languages), once WooCommerce is found.
add_action( 'comeback_started', array( 'Comeback_Languages', 'register' ) );
Comeback_Plugin::boot();
