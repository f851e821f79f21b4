import type { Pool, RowDataPacket } from 'mysql2/promise';
import { ttlCache } from '../ttl-cache.ts';

export type ShopSecret = { id: number; secret: string };

/**
 * The shop a request names (by its normalised URL) with its shared secret, remembered for a few
 * seconds: under a burst of webhook deliveries or API calls the lookup is not a query per request.
 * Unknown URLs are not remembered.
 */
export function shopSecretCache(pool: Pool) {
  return ttlCache(async (url: string): Promise<ShopSecret | undefined> => {
    const [rows] = await pool.query<RowDataPacket[]>('SELECT id, webhook_secret FROM shops WHERE url = ?', [url]);
    return rows[0] ? { id: Number(rows[0].id), secret: String(rows[0].webhook_secret) } : undefined;
  }, 10_000);
}
