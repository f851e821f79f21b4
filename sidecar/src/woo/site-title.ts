import type { Pool } from 'mysql2/promise';
import { getFromMerchant, type MerchantNet } from './merchant-url.ts';
import { saveShopName } from './shop-profile.ts';

/**
 * The shop's name is its WordPress site title (Settings → General → Site Title), the name the
 * shop's own pages and WooCommerce's emails show. Without the plugin it is read from WordPress's
 * REST index, which is public: `GET /wp-json/` answers `name: get_option('blogname')`
 * (WP_REST_Server::get_index() in wp-includes/rest-api/class-wp-rest-server.php).
 *
 * WordPress stores blogname HTML-escaped: sanitize_option() runs esc_html() on it
 * (wp-includes/formatting.php), so "Tom & Jerry" is stored, and answered, as "Tom &amp; Jerry".
 * decodeBlogname() undoes that the way the plugin's wp_specialchars_decode( …, ENT_QUOTES ) does.
 */
export async function fetchSiteTitle(shopUrl: string, net: MerchantNet, timeoutMs = 10_000): Promise<string | null> {
  const response = await getFromMerchant(`${shopUrl.replace(/\/+$/, '')}/wp-json/`, net, { timeoutMs });
  if (response.status < 200 || response.status > 299) throw new Error(`the shop's REST index answered HTTP ${response.status}`);
  const index = response.json as { name?: unknown } | null | undefined;
  const name = typeof index?.name === 'string' ? decodeBlogname(index.name).trim() : '';
  return name === '' ? null : name.slice(0, 200);
}

/** wp_specialchars_decode( $text, ENT_QUOTES ): the five entities esc_html() writes, named or numeric; nothing else. */
export function decodeBlogname(stored: string): string {
  const entities: Record<string, string> = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    '#039': "'",
    '#39': "'",
    '#34': '"',
    '#38': '&',
    '#60': '<',
    '#62': '>',
    '#x27': "'",
    '#x22': '"',
    '#x26': '&',
    '#x3c': '<',
    '#x3e': '>',
  };
  return stored.replace(/&(#?[a-z0-9]+);/gi, (whole, name: string) => entities[name.toLowerCase()] ?? whole);
}

/** Part of the sweep for a shop with a REST key: its name follows the site title. Answers the title, null when the index has none. */
export async function refreshSiteTitle(pool: Pool, shopId: number, shopUrl: string, net: MerchantNet): Promise<string | null> {
  const title = await fetchSiteTitle(shopUrl, net);
  if (title) await saveShopName(pool, shopId, title);
  return title;
}
