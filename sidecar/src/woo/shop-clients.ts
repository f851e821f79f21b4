import type { Pool } from 'mysql2/promise';
import { ttlCache, type TtlCache } from '../ttl-cache.ts';
import type { MerchantNet } from './merchant-url.ts';
import { loadShopClient, type WooClient } from './rest-client.ts';

export type ShopClients = TtlCache<number, WooClient>;

/**
 * REST clients by shop, rebuilt when the shop's row is older than `ttlMs`: a run of steps for one
 * shop reads its keys once, and new keys are picked up within the TTL.
 */
export function shopClients(pool: Pool, net: MerchantNet, ttlMs = 30_000): ShopClients {
  return ttlCache(async (shopId: number): Promise<WooClient> => {
    const client = await loadShopClient(pool, shopId, net);
    if (!client) throw new Error(`shop ${shopId} has no REST credentials: messages wait until it is connected`);
    return client;
  }, ttlMs);
}
