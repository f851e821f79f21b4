import { execute, selectOne, type Queryable } from '../db/queryable.ts';

/** The `attributions` table's writes: a paid order credited to the reminder and the click that came before it. */

/** The order's total (DECIMAL, as stored) and currency; null when the shop has no such order. */
export async function orderTotal(
  db: Queryable,
  shopId: number,
  orderId: number,
): Promise<{ total: string; currency: string | null } | null> {
  return selectOne(db, 'SELECT total, currency FROM orders WHERE shop_id = ? AND order_id = ?', [shopId, orderId], (r) => ({
    total: r.str('total'),
    currency: r.strOrNull('currency'),
  }));
}

/** The enrollment's message sent last in [from, before), newest id first among one instant's. */
export async function lastMessageSent(
  db: Queryable,
  enrollmentId: number,
  from: Date,
  before: Date,
): Promise<{ id: number; step: number | null; channel: string } | null> {
  return selectOne(
    db,
    `SELECT id, step, channel FROM outbox WHERE enrollment_id = ? AND status = 'sent' AND sent_at < ? AND sent_at >= ? ORDER BY sent_at DESC, id DESC LIMIT 1`,
    [enrollmentId, before, from],
    (r) => ({ id: r.num('id'), step: r.numOrNull('step'), channel: r.str('channel') }),
  );
}

/** The id of the enrollment's last click before `before`. */
export async function lastClickBefore(db: Queryable, enrollmentId: number, before: Date): Promise<number | null> {
  return selectOne(
    db,
    'SELECT id FROM clicks WHERE enrollment_id = ? AND clicked_at < ? ORDER BY clicked_at DESC, id DESC LIMIT 1',
    [enrollmentId, before],
    (r) => r.num('id'),
  );
}

export type Attribution = {
  shopId: number;
  orderId: number;
  enrollmentId: number;
  flow: string;
  /** The message credited; null when the order was paid before any went out. */
  message: { id: number; step: number | null; channel: string } | null;
  clickId: number | null;
  revenue: string;
  currency: string | null;
  paidAt: Date;
};

/** Records the credit once: an order already credited keeps its first attribution. */
export async function insertAttribution(db: Queryable, a: Attribution): Promise<void> {
  await execute(
    db,
    `INSERT IGNORE INTO attributions (shop_id, order_id, enrollment_id, flow, outbox_id, step, channel, click_id, revenue, currency, paid_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      a.shopId,
      a.orderId,
      a.enrollmentId,
      a.flow,
      a.message?.id ?? null,
      a.message?.step ?? null,
      a.message?.channel ?? null,
      a.clickId,
      a.revenue,
      a.currency,
      a.paidAt,
    ],
  );
}
