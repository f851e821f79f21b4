import type { Pool } from 'mysql2/promise';
import { getFromMerchant, type MerchantNet } from './merchant-url.ts';
import { saveShopName, saveShopTimezone } from './shop-profile.ts';

/**
 * The shop's name is its WordPress site title (Settings → General → Site Title), the name the
 * shop's own pages and WooCommerce's emails show. Without the plugin it is read from WordPress's
 * REST index, which is public: `GET /wp-json/` answers `name: get_option('blogname')`
 * (WP_REST_Server::get_index() in wp-includes/rest-api/class-wp-rest-server.php).
 *
 * WordPress stores blogname HTML-escaped: sanitize_option() runs esc_html() on it
 * (wp-includes/formatting.php), so "Tom & Jerry" is stored, and answered, as "Tom &amp; Jerry".
 * decodeBlogname() undoes that the way the plugin's wp_specialchars_decode( …, ENT_QUOTES ) does.
 *
 * The shop's time zone comes from the same index: it answers `timezone_string` and `gmt_offset`,
 * the two options WordPress's wp_timezone_string() (wp-includes/functions.php) makes the site's
 * zone of — the city when one is set ("Europe/Warsaw"), else the offset ("+05:30"). WooCommerce
 * keeps its dates on that clock: wc_timezone_string() answers wp_timezone_string()
 * (includes/wc-core-functions.php).
 */
export async function fetchSiteIndex(
  shopUrl: string,
  net: MerchantNet,
  timeoutMs = 10_000,
): Promise<{ title: string | null; timeZone: string | null }> {
  const response = await getFromMerchant(`${shopUrl.replace(/\/+$/, '')}/wp-json/`, net, { timeoutMs });
  if (response.status < 200 || response.status > 299) throw new Error(`the shop's REST index answered HTTP ${response.status}`);
  const index = response.json as { name?: unknown; timezone_string?: unknown; gmt_offset?: unknown } | null | undefined;
  const name = typeof index?.name === 'string' ? decodeBlogname(index.name).trim() : '';
  return { title: name === '' ? null : name.slice(0, 200), timeZone: siteTimeZone(index?.timezone_string, index?.gmt_offset) };
}

/** wp_timezone_string() from the two options as the REST index answers them; null when neither is readable. */
export function siteTimeZone(timezoneString: unknown, gmtOffset: unknown): string | null {
  if (typeof timezoneString === 'string' && timezoneString.trim() !== '') return timezoneString.trim().slice(0, 64);
  const offset =
    typeof gmtOffset === 'number' ? gmtOffset : typeof gmtOffset === 'string' && gmtOffset.trim() !== '' ? Number(gmtOffset) : NaN;
  if (!Number.isFinite(offset) || Math.abs(offset) > 14) return null;
  // sprintf( '%s%02d:%02d', $sign, abs( (int) $offset ), abs( ( $offset - (int) $offset ) * 60 ) )
  const hours = Math.trunc(offset);
  const minutes = Math.trunc(Math.abs((offset - hours) * 60));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${offset < 0 ? '-' : '+'}${pad(Math.abs(hours))}:${pad(minutes)}`;
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

/**
 * Part of the sweep for a shop with a REST key: its name follows the site title, its time zone the
 * site's. Answers the title, null when the index has none.
 */
export async function refreshSiteTitle(pool: Pool, shopId: number, shopUrl: string, net: MerchantNet): Promise<string | null> {
  const { title, timeZone } = await fetchSiteIndex(shopUrl, net);
  if (title) await saveShopName(pool, shopId, title);
  if (timeZone) await saveShopTimezone(pool, shopId, timeZone);
  return title;
}
