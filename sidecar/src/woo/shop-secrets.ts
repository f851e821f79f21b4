import type { Pool } from 'mysql2/promise';
import { ttlCache, type TtlCache } from '../ttl-cache.ts';
import { shopSecretByUrl } from './shop-store.ts';

export type ShopSecret = { id: number; secret: string; disconnected: boolean };

/** Every secret cache of this process, so a shop disconnected or erased here is refused at once. */
const secretCaches = new Set<TtlCache<string, ShopSecret | undefined>>();

/**
 * The shop a request names (by its normalised URL) with its shared secret, remembered for a few
 * seconds: under a burst of webhook deliveries or API calls the lookup is not a query per request.
 * Unknown URLs are not remembered.
 */
export function shopSecretCache(pool: Pool): TtlCache<string, ShopSecret | undefined> {
  const cache = ttlCache(async (url: string): Promise<ShopSecret | undefined> => (await shopSecretByUrl(pool, url)) ?? undefined, 10_000);
  secretCaches.add(cache);
  return cache;
}

/** A shop's state or secret changed in this process (disconnected, erased): every cache reads it again. */
export function forgetShopSecrets(): void {
  for (const cache of secretCaches) cache.invalidate();
}
