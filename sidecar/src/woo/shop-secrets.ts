import type { Pool } from 'mysql2/promise';
import { ttlCache, type TtlCache } from '../ttl-cache.ts';
import { shopSecretByUrl, type ShopSecrets } from './shop-store.ts';

export type ShopSecret = ShopSecrets;

/**
 * How long after a confirmed rotation a webhook signed with the old secret is still taken:
 * WooCommerce signs each delivery when it sends it (includes/class-wc-webhook.php,
 * WC_Webhook::deliver → generate_signature reads get_secret() then), so once the webhooks were
 * updated only deliveries already on the wire carry the old signature.
 */
export const OLD_WEBHOOK_SECRET_GRACE_MS = 10 * 60_000;

/** Every secret cache of this process, so a shop disconnected or erased here is refused at once. */
const secretCaches = new Set<TtlCache<string, ShopSecret | undefined>>();

/**
 * The shop a request names (by its normalised URL) with its shared secrets, remembered for a few
 * seconds: under a burst of webhook deliveries or API calls the lookup is not a query per request.
 * Unknown URLs are not remembered.
 */
export function shopSecretCache(pool: Pool): TtlCache<string, ShopSecret | undefined> {
  const cache = ttlCache(async (url: string): Promise<ShopSecret | undefined> => (await shopSecretByUrl(pool, url)) ?? undefined, 10_000);
  secretCaches.add(cache);
  return cache;
}

/** A shop's state or secret changed in this process (disconnected, erased, rotated): every cache reads it again. */
export function forgetShopSecrets(): void {
  for (const cache of secretCaches) cache.invalidate();
}

/** Which secret signed a request: the shop's current one, or the new one of a rotation waiting for its confirmation. */
export type SecretKind = 'current' | 'next';

/** The secrets a request from the plugin may be signed with: the current one and, while a rotation waits, the new one. */
export function pluginSecrets(shop: ShopSecret): Array<{ kind: SecretKind; secret: string }> {
  return [{ kind: 'current' as const, secret: shop.secret }, ...(shop.next ? [{ kind: 'next' as const, secret: shop.next }] : [])];
}

/**
 * The secrets a WooCommerce webhook (or a pairing token the plugin signed) may be signed with: the
 * plugin's, and the one a confirmed rotation replaced for a short grace after it (deliveries already on their way).
 */
export function recentSecrets(shop: ShopSecret, now: Date): string[] {
  const graceOpen = shop.previous && shop.rotatedAt && now.getTime() - shop.rotatedAt.getTime() < OLD_WEBHOOK_SECRET_GRACE_MS;
  return [...pluginSecrets(shop).map((s) => s.secret), ...(graceOpen ? [shop.previous!] : [])];
}
