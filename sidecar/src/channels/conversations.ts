import type { PoolConnection } from 'mysql2/promise';
import type { Queryable } from '../db/queryable.ts';
import {
  conversationOf,
  firstShops,
  insertConversation,
  insertInboundMessage,
  shopsInConversation,
  touchConversation,
  type ConversationChannel,
} from './channel-store.ts';

export type { ConversationChannel };

/**
 * A shop's conversation with a number opens when we first message it (so that a reply can be
 * traced back to the shops that wrote to that number); `last_inbound_at` moves only when the
 * customer writes. Returns when the customer last wrote, if ever.
 */
export async function openConversation(db: Queryable, shopId: number, channel: ConversationChannel, address: string): Promise<Date | null> {
  const conversation = await conversationOf(db, shopId, channel, address);
  if (conversation) return conversation.lastInboundAt;
  await insertConversation(db, shopId, channel, address);
  return null;
}

/**
 * The shops an inbound message from `address` concerns: those in conversation with it on this
 * channel. One sender number (a Twilio number, a WhatsApp business number) may serve several shops
 * on one sidecar, and the customer's reply does not say which shop it answers. A message from a
 * number nobody wrote to belongs to the only shop when there is just one, else to none.
 */
export async function shopsForAddress(db: Queryable, channel: ConversationChannel, address: string): Promise<number[]> {
  const shops = await shopsInConversation(db, channel, address);
  if (shops.length > 0) return shops;
  const firstTwo = await firstShops(db, 2);
  return firstTwo.length === 1 ? firstTwo : [];
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
    const conversationId = await touchConversation(conn, shopId, inbound.channel, inbound.address, inbound.at);
    first ??= conversationId;
  }
  if (first === undefined) return false;
  return insertInboundMessage(conn, first, inbound);
}
