import { randomBytes } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { secretBoxOf } from '../db/secret-box.ts';
import { loadDocument, saveDocument } from '../woo/shop-profile.ts';

/**
 * The key a shop's loyalty program signs its events with. It opens POST /api/events for that shop
 * and nothing else, so the program never holds the plugin's shared secret or the admin token
 * (either of which opens the whole admin API). Made on first use; the merchant can replace it.
 */
const loyaltySettings = z.object({ eventsKey: z.string().min(32) });

const newKey = () => `cbev_${randomBytes(24).toString('base64url')}`;

// Stored sealed with the database's key (db/secret-box.ts), like every secret.
const saveKey = (pool: Pool, shopId: number) =>
  saveDocument(pool, shopId, 'loyalty', loyaltySettings, { eventsKey: secretBoxOf(pool).seal(newKey()) });

export async function eventsKey(pool: Pool, shopId: number): Promise<string> {
  const stored = await storedEventsKey(pool, shopId);
  if (stored) return stored;
  // Two first reads at once: the later save wins and both callers read it back.
  await saveKey(pool, shopId);
  return (await storedEventsKey(pool, shopId))!;
}

export async function replaceEventsKey(pool: Pool, shopId: number): Promise<string> {
  await saveKey(pool, shopId);
  return eventsKey(pool, shopId);
}

/** The shop's key as stored (read per request, so a replaced key stops working at once); undefined before it was made. */
export async function storedEventsKey(pool: Pool, shopId: number): Promise<string | undefined> {
  const stored = (await loadDocument(pool, shopId, 'loyalty', loyaltySettings))?.eventsKey;
  return stored === undefined ? undefined : secretBoxOf(pool).open(stored);
}
