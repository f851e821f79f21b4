import type { PoolConnection } from 'mysql2/promise';
import { deletedPayload, orderPayload, type OrderPayload } from '../woo/order-payload.ts';
import type { StoredEvent } from './event-store.ts';

/**
 * Keeps `orders` at the latest state WooCommerce told us, whatever order deliveries arrive in.
 * A delivery wins when its date_modified is newer. WooCommerce's times have one-second
 * resolution, so a quick pending → cancelled shares its second with the pending; a tie goes to
 * the status further along the order's life (STATUS_PROGRESS), never to arrival order.
 * Reconciliation over REST settles anything a webhook still got wrong.
 */
const STATUS_PROGRESS = ['checkout-draft', 'pending', 'on-hold', 'failed', 'processing', 'completed', 'cancelled', 'refunded'];
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
    await conn.query(`UPDATE orders SET status = 'trash' WHERE shop_id = ? AND order_id = ? AND date_modified <= ?`, [
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

export async function upsertOrder(conn: PoolConnection | import('mysql2/promise').Pool, shopId: number, order: OrderPayload): Promise<void> {
  const modified = order.date_modified_gmt ?? order.date_created_gmt ?? new Date(0);
  const columns = {
    status: order.status,
    payment_method: order.payment_method || null,
    total: order.total,
    currency: order.currency ?? null,
    email: order.billing.email || null,
    phone: order.billing.phone || null,
    customer_id: order.customer_id || null,
    created_via: order.created_via || null,
    date_paid: order.date_paid_gmt,
    date_created: order.date_created_gmt,
    snapshot: JSON.stringify(order),
  };
  const names = Object.keys(columns);
  // MySQL applies these left to right and later ones see earlier results: status and
  // date_modified, which the condition reads, come last.
  const ordered = [...names.filter((c) => c !== 'status'), 'status'];
  const updates = ordered.map((c) => `${c} = IF(${INCOMING_WINS}, VALUES(${c}), ${c})`);
  updates.push('date_modified = GREATEST(date_modified, VALUES(date_modified))');
  await conn.query(
    `INSERT INTO orders (shop_id, order_id, ${names.join(', ')}, date_modified) VALUES (?)
     ON DUPLICATE KEY UPDATE ${updates.join(', ')}`,
    [[shopId, order.id, ...Object.values(columns), modified]],
  );
}
