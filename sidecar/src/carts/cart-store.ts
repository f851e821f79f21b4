import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { recordConsent } from '../consent/consent.ts';
import { jsonColumn } from '../db/json-column.ts';
import { newLinkRef } from '../links/link-token.ts';
import { customerKeyOf } from '../customers/customer-key.ts';
import { enterFlow } from '../flows/entry/enrollment.ts';
import { flowsForTrigger } from '../flows/definition/flow-store.ts';
import type { Queryable } from '../db/queryable.ts';


const money = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string such as "12.50"');

/** What the plugin sends when a shopper who ticked the consent box types their contact details. */
export const cartCaptureSchema = z
  .object({
    sessionKey: z.string().regex(/^[a-f0-9]{16,64}$/, 'a hex session key'),
    email: z.string().email().max(255).optional().nullable(),
    phone: z.string().max(32).optional().nullable(),
    firstName: z.string().max(128).optional().nullable(),
    country: z.string().regex(/^[A-Z]{2}$/).optional().nullable(),
    locale: z.string().max(16).optional().nullable(),
    consent: z.object({
      granted: z.boolean(),
      text: z.string().min(1).max(1000),
      channels: z.array(z.enum(['email', 'sms', 'whatsapp'])).min(1).max(3),
    }),
    items: z
      .array(
        z.object({
          productId: z.number().int().positive(),
          variationId: z.number().int().min(0).default(0),
          quantity: z.number().positive(),
          name: z.string().max(500),
          sku: z.string().max(100).optional().nullable(),
          price: money,
          total: money,
          stock: z.number().int().nullable().optional(),
          image: z.string().max(2000).optional().nullable(),
          variation: z.record(z.string(), z.string()).optional(),
        }),
      )
      .min(1)
      .max(200),
    total: money,
    currency: z.string().regex(/^[A-Z]{3}$/),
    source: z.enum(['classic', 'store-api']),
    capturedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((c) => c.email || c.phone, { message: 'an email or a phone number is needed', path: ['email'] });
export type CartCapture = z.infer<typeof cartCaptureSchema>;
export type CartItem = CartCapture['items'][number];

export type Cart = {
  id: number;
  shopId: number;
  ref: string;
  email: string | null;
  phone: string | null;
  customerKey: string | null;
  firstName: string | null;
  country: string | null;
  locale: string | null;
  items: CartItem[];
  total: string;
  currency: string | null;
  status: 'open' | 'abandoned' | 'ordered';
  orderId: number | null;
  lastActivityAt: Date;
  abandonedAt: Date | null;
};

/**
 * Stores a capture: one row per shopper session, updated as they change the cart or their
 * details (a cart already abandoned keeps its flow; the restore link shows the latest contents).
 * Nothing is kept without consent, and the consent itself is recorded per channel with its
 * wording. Returns the cart's reference.
 */
export async function captureCart(db: Queryable, shopId: number, capture: CartCapture, now = new Date()): Promise<{ ref: string } | null> {
  if (!capture.consent.granted) return null;
  const customerKey = customerKeyOf(capture.email, capture.phone, capture.country);
  if (!customerKey) return null;
  const at = capture.capturedAt ? new Date(capture.capturedAt) : now;
  await db.query<ResultSetHeader>(
    `INSERT INTO carts (shop_id, session_key, ref, email, phone, customer_key, first_name, country, locale, contents, total, currency, status, source, last_activity_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
     ON DUPLICATE KEY UPDATE email = VALUES(email), phone = VALUES(phone), customer_key = VALUES(customer_key), first_name = VALUES(first_name),
       country = VALUES(country), locale = VALUES(locale), contents = VALUES(contents), total = VALUES(total), currency = VALUES(currency),
       source = VALUES(source), last_activity_at = GREATEST(last_activity_at, VALUES(last_activity_at))`,
    [shopId, capture.sessionKey, newLinkRef(), capture.email?.toLowerCase() ?? null, capture.phone ?? null, customerKey, capture.firstName ?? null,
      capture.country ?? null, capture.locale ?? null, JSON.stringify(capture.items), capture.total, capture.currency, capture.source, at],
  );
  for (const channel of capture.consent.channels) {
    const address = channel === 'email' ? capture.email : capture.phone;
    if (!address) continue;
    await recordConsent(db, { shopId, channel, address: channel === 'email' ? address : (customerKeyOf(null, address, capture.country) ?? address), status: 'granted', source: 'checkout', text: capture.consent.text, at });
  }
  const [rows] = await db.query<RowDataPacket[]>('SELECT ref FROM carts WHERE shop_id = ? AND session_key = ?', [shopId, capture.sessionKey]);
  return { ref: String(rows[0]!.ref) };
}

/** An order from the same customer after the cart was captured: the cart is no longer abandoned-to-be. */
export async function markCartsOrdered(db: Queryable, shopId: number, customerKey: string, orderId: number, orderCreated: Date): Promise<void> {
  await db.query(
    `UPDATE carts SET status = 'ordered', order_id = ? WHERE shop_id = ? AND customer_key = ? AND status IN ('open', 'abandoned') AND created_at <= ?`,
    [orderId, shopId, customerKey, new Date(orderCreated.getTime() + 60_000)],
  );
}

/**
 * Carts with no activity for the shortest wait of the shop's enabled cart flows become
 * abandoned and enter those flows (each flow's own wait is its anchor: its first step counts
 * from then). Set-based per shop; safe on several sidecars (the status change is the claim).
 */
export async function abandonIdleCarts(pool: Pool, now = new Date()): Promise<number> {
  const [shops] = await pool.query<RowDataPacket[]>("SELECT DISTINCT shop_id FROM carts WHERE status = 'open'");
  let entered = 0;
  for (const { shop_id } of shops) {
    const shopId = Number(shop_id);
    const flows = await flowsForTrigger(pool, shopId, 'cart.abandoned');
    if (flows.length === 0) continue;
    const waits = flows.map((f) => (f.definition.trigger.event === 'cart.abandoned' ? f.definition.trigger.afterMinutes : 60));
    const idleSince = new Date(now.getTime() - Math.min(...waits) * 60_000);
    const [carts] = await pool.query<RowDataPacket[]>("SELECT id, customer_key, country, total, last_activity_at FROM carts WHERE shop_id = ? AND status = 'open' AND last_activity_at <= ? LIMIT 500", [shopId, idleSince]);
    for (const cart of carts) {
      const [claimed] = await pool.query<ResultSetHeader>("UPDATE carts SET status = 'abandoned', abandoned_at = ? WHERE id = ? AND status = 'open'", [now, cart.id]);
      if (claimed.affectedRows === 0) continue;
      for (const flow of flows) {
        const wait = flow.definition.trigger.event === 'cart.abandoned' ? flow.definition.trigger.afterMinutes : 60;
        const anchor = new Date((cart.last_activity_at as Date).getTime() + wait * 60_000);
        const facts = { customerKey: cart.customer_key ?? null, country: cart.country ?? null, total: Number(cart.total) };
        if ((await enterFlow(pool, shopId, flow, { type: 'cart', id: String(cart.id) }, facts, anchor, now)) === 'entered') entered++;
      }
    }
  }
  return entered;
}

export async function cartsByIds(db: Queryable, shopId: number, ids: number[]): Promise<Map<number, Cart>> {
  if (ids.length === 0) return new Map();
  const [rows] = await db.query<RowDataPacket[]>('SELECT * FROM carts WHERE shop_id = ? AND id IN (?)', [shopId, ids]);
  return new Map(rows.map((r) => [Number(r.id), cartFromRow(r)]));
}

/** The cart a restore link's reference (the message's link_ref) points at. */
export async function cartForLinkRef(db: Queryable, shopId: number, ref: string): Promise<Cart | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT c.* FROM outbox m JOIN enrollments e ON e.id = m.enrollment_id AND e.subject_type = 'cart'
     JOIN carts c ON c.id = CAST(e.subject_id AS UNSIGNED) AND c.shop_id = e.shop_id WHERE m.link_ref = ? AND m.shop_id = ?`,
    [ref, shopId],
  );
  return rows[0] ? cartFromRow(rows[0]) : null;
}

function cartFromRow(r: RowDataPacket): Cart {
  return {
    id: Number(r.id),
    shopId: Number(r.shop_id),
    ref: String(r.ref),
    email: r.email ?? null,
    phone: r.phone ?? null,
    customerKey: r.customer_key ?? null,
    firstName: r.first_name ?? null,
    country: r.country ?? null,
    locale: r.locale ?? null,
    items: jsonColumn<CartItem[]>(r.contents) ?? [],
    total: String(r.total),
    currency: r.currency ?? null,
    status: r.status,
    orderId: r.order_id === null ? null : Number(r.order_id),
    lastActivityAt: r.last_activity_at,
    abandonedAt: r.abandoned_at ?? null,
  };
}
