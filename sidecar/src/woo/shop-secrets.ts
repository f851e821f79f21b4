import type { Pool } from 'mysql2/promise';
import { ttlCache } from '../ttl-cache.ts';
import { shopSecretByUrl } from './shop-store.ts';

export type ShopSecret = { id: number; secret: string };

/**
 * The shop a request names (by its normalised URL) with its shared secret, remembered for a few
 * seconds: under a burst of webhook deliveries or API calls the lookup is not a query per request.
 * Unknown URLs are not remembered.
 */
export function shopSecretCache(pool: Pool) {
  return ttlCache(async (url: string): Promise<ShopSecret | undefined> => (await shopSecretByUrl(pool, url)) ?? undefined, 10_000);
}
