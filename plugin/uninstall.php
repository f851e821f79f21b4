<?php
/**
 * Deleting the plugin removes everything it created (Comeback_Options lists it all): options,
 * transients, queued actions and Comeback's webhooks. What the sidecar stores is the sidecar's.
 *
 * @package Comeback
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/includes/class-comeback-options.php';
Comeback_Options::remove_everything();
