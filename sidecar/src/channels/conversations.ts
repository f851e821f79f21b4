import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Queryable } from '../db/queryable.ts';

export type ConversationChannel = 'sms' | 'whatsapp';

/**
 * A shop's conversation with a number opens when we first message it (so that a reply can be
 * traced back to the shops that wrote to that number); `last_inbound_at` moves only when the
 * customer writes. Returns when the customer last wrote, if ever.
 */
export async function openConversation(db: Queryable, shopId: number, channel: ConversationChannel, address: string): Promise<Date | null> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT last_inbound_at FROM conversations WHERE shop_id = ? AND channel = ? AND address = ?', [shopId, channel, address]);
  if (rows[0]) return (rows[0].last_inbound_at as Date | null) ?? null;
  await db.query('INSERT IGNORE INTO conversations (shop_id, channel, address) VALUES (?, ?, ?)', [shopId, channel, address]);
  return null;
}

/**
 * The shops an inbound message from `address` concerns: those in conversation with it on this
 * channel. One sender number (a Twilio number, a WhatsApp business number) may serve several shops
 * on one sidecar, and the customer's reply does not say which shop it answers. A message from a
 * number nobody wrote to belongs to the only shop when there is just one, else to none.
 */
export async function shopsForAddress(db: Queryable, channel: ConversationChannel, address: string): Promise<number[]> {
  // From shops (a handful) into conversations' unique (shop_id, channel, address): one lookup per shop.
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT s.id FROM shops s JOIN conversations c ON c.shop_id = s.id AND c.channel = ? AND c.address = ? ORDER BY s.id',
    [channel, address],
  );
  if (rows.length > 0) return rows.map((r) => Number(r.id));
  const [shops] = await db.query<RowDataPacket[]>('SELECT id FROM shops ORDER BY id LIMIT 2');
  return shops.length === 1 ? [Number(shops[0]!.id)] : [];
}

export type Inbound = {
  channel: ConversationChannel;
  address: string;
  shopIds: number[];
  providerMessageId: string;
  body: string | null;
  /** The message type (text, image …) or the keyword it is (opt-out, opt-in, help). */
  kind: string;
  at: Date;
};

/**
 * Stores an inbound message once (keyed on the provider's message id) and moves each shop's
 * conversation forward to its time (never back: deliveries come out of order). The message row
 * sits in the first shop's conversation (the id is unique). Answers false for a repeat delivery,
 * so that what it triggers (a consent change) happens once.
 */
export async function storeInbound(conn: PoolConnection, inbound: Inbound): Promise<boolean> {
  let first: number | undefined;
  for (const shopId of inbound.shopIds) {
    const [result] = await conn.query<ResultSetHeader>(
      `INSERT INTO conversations (shop_id, channel, address, last_inbound_at) VALUES (?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id), last_inbound_at = GREATEST(COALESCE(last_inbound_at, VALUES(last_inbound_at)), VALUES(last_inbound_at))`,
      [shopId, inbound.channel, inbound.address, inbound.at],
    );
    first ??= result.insertId;
  }
  if (first === undefined) return false;
  const [stored] = await conn.query<ResultSetHeader>(
    'INSERT IGNORE INTO inbound_messages (conversation_id, provider_message_id, body, kind, received_at) VALUES (?, ?, ?, ?, ?)',
    [first, inbound.providerMessageId.slice(0, 255), inbound.body, inbound.kind.slice(0, 16), inbound.at],
  );
  return stored.affectedRows > 0;
}
