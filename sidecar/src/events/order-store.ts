import type { PoolConnection } from 'mysql2/promise';
import { customerKeyOf } from '../customers/customer-key.ts';
import { execute, selectOne, selectRows, type Queryable } from '../db/queryable.ts';
import { deletedPayload, orderLanguageOf, orderPayload, type OrderPayload } from '../woo/order-payload.ts';
import { ENDED_STATUSES, PAID_STATUSES, STATUS_PROGRESS } from './order-status.ts';
import type { StoredEvent } from './event-store.ts';

/**
 * Keeps `orders` at the latest state WooCommerce told us, whatever order deliveries arrive in.
 * A delivery wins when its date_modified is newer. WooCommerce's times have one-second
 * resolution, so a quick pending → cancelled shares its second with the pending; a tie goes to
 * the status further along the order's life (STATUS_PROGRESS), never to arrival order.
 * Reconciliation over REST settles anything a webhook still got wrong.
 */
const progress = (expr: string) => `FIELD(${expr}, ${STATUS_PROGRESS.map((s) => `'${s}'`).join(', ')})`;
const INCOMING_WINS = `(VALUES(date_modified) > date_modified OR (VALUES(date_modified) = date_modified AND ${progress('VALUES(status)')} >= ${progress('status')}))`;

/** Applies one stored order delivery; returns the order's id. */
export async function applyOrderEvent(event: StoredEvent, conn: PoolConnection): Promise<number> {
  const receivedAt = event.receivedAt;
  const body: unknown = JSON.parse(event.body);
  if (event.topic === 'order.deleted') {
    // Trashing sends {"id":N} and no date. Trash what we know unless we already hold a state
    // newer than this delivery; date_modified stays, so a later restore (newer date) wins.
    const { id } = deletedPayload.parse(body);
    await execute(conn, `UPDATE orders SET status = 'trash' WHERE shop_id = ? AND order_id = ? AND date_modified <= ?`, [
      event.shopId,
      id,
      receivedAt,
    ]);
    return id;
  }
  const order = orderPayload.parse(body);
  await upsertOrder(conn, event.shopId, order);
  return order.id;
}

export async function upsertOrder(conn: Queryable, shopId: number, order: OrderPayload): Promise<void> {
  await upsertOrders(conn, shopId, [order]);
}

/** Stores several orders of one shop in one statement, each by the same newer-wins rule. */
export async function upsertOrders(conn: Queryable, shopId: number, orders: OrderPayload[]): Promise<void> {
  if (orders.length === 0) return;
  // In key order: two multi-row upserts sharing orders lock them in the same order, never crosswise.
  const rows = [...orders]
    .sort((a, b) => a.id - b.id)
    .map((order) => {
      const modified = order.date_modified_gmt ?? order.date_created_gmt ?? new Date(0);
      const { language, customerLocale } = orderLanguageOf(order);
      return [
        shopId,
        order.id,
        order.payment_method || null,
        order.total,
        order.currency ?? null,
        order.billing.email || null,
        order.billing.phone || null,
        order.customer_id || null,
        order.created_via || null,
        order.date_paid_gmt,
        order.date_created_gmt,
        JSON.stringify(order),
        language,
        customerLocale,
        order.status,
        modified,
      ];
    });
  // MySQL applies these left to right and later ones see earlier results: status and
  // date_modified, which the condition reads, come last.
  // A delivery that names no language (a shop's plugin deactivated for a while) keeps the one known: an order's language does not change.
  const incoming = (c: string) => (KEPT_WHEN_ABSENT.has(c) ? `COALESCE(VALUES(${c}), ${c})` : `VALUES(${c})`);
  const updates = [...COLUMNS, 'status'].map((c) => `${c} = IF(${INCOMING_WINS}, ${incoming(c)}, ${c})`);
  updates.push('date_modified = GREATEST(date_modified, VALUES(date_modified))');
  await execute(
    conn,
    `INSERT INTO orders (shop_id, order_id, ${COLUMNS.join(', ')}, status, date_modified) VALUES ?
     ON DUPLICATE KEY UPDATE ${updates.join(', ')}`,
    [rows],
  );
}

const KEPT_WHEN_ABSENT = new Set(['language', 'customer_locale']);
const COLUMNS = [
  'payment_method',
  'total',
  'currency',
  'email',
  'phone',
  'customer_id',
  'created_via',
  'date_paid',
  'date_created',
  'snapshot',
  'language',
  'customer_locale',
];

/** An order as `orders` holds it, with what every room asks of it decided once. */
export type StoredOrder = {
  shopId: number;
  orderId: number;
  status: string;
  paymentMethod: string;
  total: number;
  datePaid: Date | null;
  dateCreated: Date | null;
  dateModified: Date;
  email: string | null;
  phone: string | null;
  country: string | null;
  /** Who the order belongs to (customers/customer-key.ts), null when it carries no address. */
  customerKey: string | null;
  /** gone: cancelled, refunded, trashed, deleted; paid: paid or accepted (date_paid, or a paid status); open: neither. */
  state: 'gone' | 'paid' | 'open';
  /** The REST/webhook payload last stored. */
  snapshot: Record<string, unknown>;
  /** The language the order was placed in (woo/order-payload.ts orderLanguageOf), and the customer's own WordPress locale. */
  language: string | null;
  customerLocale: string | null;
};

export async function loadStoredOrder(db: Queryable, shopId: number, orderId: number): Promise<StoredOrder | null> {
  return selectOne(
    db,
    'SELECT status, payment_method, total, date_paid, date_created, date_modified, email, phone, snapshot, language, customer_locale FROM orders WHERE shop_id = ? AND order_id = ?',
    [shopId, orderId],
    (r) => {
      const snapshot = r.json<Record<string, unknown>>('snapshot') ?? {};
      const country = ((snapshot.billing ?? {}) as Record<string, string>).country || null;
      const status = r.str('status');
      const datePaid = r.dateOrNull('date_paid');
      const email = r.strOrNull('email');
      const phone = r.strOrNull('phone');
      return {
        shopId,
        orderId,
        status,
        paymentMethod: r.str('payment_method'),
        total: r.num('total'),
        datePaid,
        dateCreated: r.dateOrNull('date_created'),
        dateModified: r.date('date_modified'),
        email,
        phone,
        country,
        customerKey: customerKeyOf(email, phone, country),
        state: ENDED_STATUSES.has(status) ? 'gone' : datePaid || PAID_STATUSES.has(status) ? 'paid' : 'open',
        snapshot,
        language: r.strOrNull('language'),
        customerLocale: r.strOrNull('customer_locale'),
      };
    },
  );
}

/** Stored orders of a shop modified since `since`, oldest id first. */
export async function orderIdsModifiedSince(db: Queryable, shopId: number, since: Date): Promise<number[]> {
  return selectRows(db, 'SELECT order_id FROM orders WHERE shop_id = ? AND date_modified >= ? ORDER BY order_id', [shopId, since], (r) =>
    r.num('order_id'),
  );
}
