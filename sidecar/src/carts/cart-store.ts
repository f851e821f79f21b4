import { execute, selectOne, selectRows, type Queryable, type Row } from '../db/queryable.ts';
import type { CartItem } from './cart-capture.ts';

// Shoppers' captured carts (carts): written as the plugin reports them, read by the flows that
// remind about them and by the restore link.

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

/** A capture as written: the cart's details as the plugin last reported them, for a customer we can name. */
export type CartCaptureRow = Pick<
  Cart,
  'shopId' | 'ref' | 'email' | 'phone' | 'firstName' | 'country' | 'locale' | 'items' | 'total' | 'lastActivityAt'
> & {
  sessionKey: string;
  customerKey: string;
  currency: string;
  source: string;
};

/**
 * One row per shopper session: a new session is stored as an open cart with this reference; a
 * known one takes the new details and contents but keeps its reference, status and the latest
 * activity time (a report delivered late does not move it back).
 */
export async function upsertCartCapture(db: Queryable, cart: CartCaptureRow): Promise<void> {
  await execute(
    db,
    `INSERT INTO carts (shop_id, session_key, ref, email, phone, customer_key, first_name, country, locale, contents, total, currency, status, source, last_activity_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
     ON DUPLICATE KEY UPDATE email = VALUES(email), phone = VALUES(phone), customer_key = VALUES(customer_key), first_name = VALUES(first_name),
       country = VALUES(country), locale = VALUES(locale), contents = VALUES(contents), total = VALUES(total), currency = VALUES(currency),
       source = VALUES(source), last_activity_at = GREATEST(last_activity_at, VALUES(last_activity_at))`,
    [
      cart.shopId,
      cart.sessionKey,
      cart.ref,
      cart.email,
      cart.phone,
      cart.customerKey,
      cart.firstName,
      cart.country,
      cart.locale,
      JSON.stringify(cart.items),
      cart.total,
      cart.currency,
      cart.source,
      cart.lastActivityAt,
    ],
  );
}

/** The reference of the session's cart, or null when the session has none. */
export async function cartRefBySession(db: Queryable, shopId: number, sessionKey: string): Promise<string | null> {
  return selectOne(db, 'SELECT ref FROM carts WHERE shop_id = ? AND session_key = ?', [shopId, sessionKey], (r) => r.str('ref'));
}

/** An order from the same customer after the cart was captured: the cart is no longer abandoned-to-be. */
export async function markCartsOrdered(
  db: Queryable,
  shopId: number,
  customerKey: string,
  orderId: number,
  orderCreated: Date,
): Promise<void> {
  await execute(
    db,
    `UPDATE carts SET status = 'ordered', order_id = ? WHERE shop_id = ? AND customer_key = ? AND status IN ('open', 'abandoned') AND created_at <= ?`,
    [orderId, shopId, customerKey, new Date(orderCreated.getTime() + 60_000)],
  );
}

/** The shops with at least one open cart. */
export async function shopsWithOpenCarts(db: Queryable): Promise<number[]> {
  return selectRows(db, "SELECT DISTINCT shop_id FROM carts WHERE status = 'open'", [], (r) => r.num('shop_id'));
}

export type IdleCart = { id: number; customerKey: string | null; country: string | null; total: number; lastActivityAt: Date };

/** Up to 500 of the shop's open carts last active at or before `idleSince`. */
export async function idleOpenCarts(db: Queryable, shopId: number, idleSince: Date): Promise<IdleCart[]> {
  return selectRows(
    db,
    "SELECT id, customer_key, country, total, last_activity_at FROM carts WHERE shop_id = ? AND status = 'open' AND last_activity_at <= ? LIMIT 500",
    [shopId, idleSince],
    (r) => ({
      id: r.num('id'),
      customerKey: r.strOrNull('customer_key'),
      country: r.strOrNull('country'),
      total: r.num('total'),
      lastActivityAt: r.date('last_activity_at'),
    }),
  );
}

/** Marks an open cart abandoned; false when it is no longer open (another sidecar claimed it, or an order came). */
export async function claimAbandonedCart(db: Queryable, cartId: number, now: Date): Promise<boolean> {
  const claimed = await execute(db, "UPDATE carts SET status = 'abandoned', abandoned_at = ? WHERE id = ? AND status = 'open'", [
    now,
    cartId,
  ]);
  return claimed.affectedRows > 0;
}

export async function cartsByIds(db: Queryable, shopId: number, ids: number[]): Promise<Map<number, Cart>> {
  if (ids.length === 0) return new Map();
  const carts = await selectRows(db, 'SELECT * FROM carts WHERE shop_id = ? AND id IN (?)', [shopId, ids], cartFromRow);
  return new Map(carts.map((c) => [c.id, c]));
}

/** The cart a message's link names, with the message's language (outbox.language; null: not chosen). */
export async function cartForLinkRef(
  db: Queryable,
  shopId: number,
  ref: string,
): Promise<(Cart & { messageLanguage: string | null }) | null> {
  return selectOne(
    db,
    `SELECT c.*, m.language AS message_language FROM outbox m JOIN enrollments e ON e.id = m.enrollment_id AND e.subject_type = 'cart'
     JOIN carts c ON c.id = CAST(e.subject_id AS UNSIGNED) AND c.shop_id = e.shop_id WHERE m.link_ref = ? AND m.shop_id = ?`,
    [ref, shopId],
    (r) => ({ ...cartFromRow(r), messageLanguage: r.strOrNull('message_language') }),
  );
}

function cartFromRow(r: Row): Cart {
  return {
    id: r.num('id'),
    shopId: r.num('shop_id'),
    ref: r.str('ref'),
    email: r.strOrNull('email'),
    phone: r.strOrNull('phone'),
    customerKey: r.strOrNull('customer_key'),
    firstName: r.strOrNull('first_name'),
    country: r.strOrNull('country'),
    locale: r.strOrNull('locale'),
    items: r.json<CartItem[]>('contents') ?? [],
    total: r.str('total'),
    currency: r.strOrNull('currency'),
    status: r.str('status') as Cart['status'],
    orderId: r.numOrNull('order_id'),
    lastActivityAt: r.date('last_activity_at'),
    abandonedAt: r.dateOrNull('abandoned_at'),
  };
}
