<?php
/**
 * Deleting the plugin: WordPress runs this with the plugin deactivated (so nothing of it is
 * loaded) and maybe WooCommerce too. Comeback_Uninstall disconnects the shop from the sidecar
 * (keeping or erasing its data as the merchant chose), revokes Comeback's REST key, deletes
 * Comeback's webhooks and order marks, then every option the plugin wrote.
 *
 * @package Comeback
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/includes/class-comeback-options.php';
require_once __DIR__ . '/includes/class-comeback-sidecar-client.php';
require_once __DIR__ . '/includes/class-comeback-registration.php';
require_once __DIR__ . '/includes/class-comeback-keep-alive.php';
require_once __DIR__ . '/includes/class-comeback-uninstall.php';
Comeback_Uninstall::run();
