import { randomBytes } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { loadDocument, saveDocument } from '../woo/shop-profile.ts';

/**
 * The key a shop's loyalty program signs its events with. It opens POST /api/events for that shop
 * and nothing else, so the program never holds the plugin's shared secret or the admin token
 * (either of which opens the whole admin API). Made on first use; the merchant can replace it.
 */
const loyaltySettings = z.object({ eventsKey: z.string().min(32) });

const newKey = () => `cbev_${randomBytes(24).toString('base64url')}`;

export async function eventsKey(pool: Pool, shopId: number): Promise<string> {
  const stored = await loadDocument(pool, shopId, 'loyalty', loyaltySettings);
  if (stored) return stored.eventsKey;
  // Two first reads at once: the later save wins and both callers read it back.
  await saveDocument(pool, shopId, 'loyalty', loyaltySettings, { eventsKey: newKey() });
  return (await loadDocument(pool, shopId, 'loyalty', loyaltySettings))!.eventsKey;
}

export async function replaceEventsKey(pool: Pool, shopId: number): Promise<string> {
  await saveDocument(pool, shopId, 'loyalty', loyaltySettings, { eventsKey: newKey() });
  return eventsKey(pool, shopId);
}

/** The shop's key as stored (read per request, so a replaced key stops working at once); undefined before it was made. */
export async function storedEventsKey(pool: Pool, shopId: number): Promise<string | undefined> {
  return (await loadDocument(pool, shopId, 'loyalty', loyaltySettings))?.eventsKey;
}
