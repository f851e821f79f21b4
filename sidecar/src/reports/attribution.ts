import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';

type Db = Pool | PoolConnection;

/** A payment more than this long after the last reminder is not credited to it. */
export const ATTRIBUTION_WINDOW_MS = 30 * 86_400_000;

/**
 * Credits a paid order to its recovery: the last reminder sent before the payment (within the
 * attribution window) and the last click on it. Orders paid before any reminder went out are recorded too (outbox_id NULL), so
 * reports can tell "paid after a reminder" from "paid anyway". Safe to call twice.
 */
export async function recordPaidOrder(db: Db, shopId: number, orderId: number, enrollmentId: number, flow: string, paidAt: Date): Promise<void> {
  const [orders] = await db.query<RowDataPacket[]>('SELECT total, currency FROM orders WHERE shop_id = ? AND order_id = ?', [shopId, orderId]);
  const order = orders[0];
  if (!order) return;
  // WooCommerce's date_paid has one-second resolution: anything within that second came before it.
  const paidBy = new Date(Math.floor(paidAt.getTime() / 1000) * 1000 + 1000);
  const [messages] = await db.query<RowDataPacket[]>(
    `SELECT id, step, channel FROM outbox WHERE enrollment_id = ? AND status = 'sent' AND sent_at < ? AND sent_at >= ? ORDER BY sent_at DESC, id DESC LIMIT 1`,
    [enrollmentId, paidBy, new Date(paidAt.getTime() - ATTRIBUTION_WINDOW_MS)],
  );
  const [clicks] = await db.query<RowDataPacket[]>(
    'SELECT id FROM clicks WHERE enrollment_id = ? AND clicked_at < ? ORDER BY clicked_at DESC, id DESC LIMIT 1',
    [enrollmentId, paidBy],
  );
  const message = messages[0];
  await db.query(
    `INSERT IGNORE INTO attributions (shop_id, order_id, enrollment_id, flow, outbox_id, step, channel, click_id, revenue, currency, paid_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [shopId, orderId, enrollmentId, flow, message?.id ?? null, message?.step ?? null, message?.channel ?? null, clicks[0]?.id ?? null, order.total, order.currency, paidAt],
  );
}

export type RecoveryReport = {
  remindersSent: number;
  clicks: number;
  ordersRecovered: number;
  revenue: Array<{ currency: string | null; amount: string }>;
};

/** What recovery did for a shop between two times: messages, clicks, paid orders credited to a reminder, revenue. */
export async function recoveryReport(db: Db, shopId: number, from: Date, to: Date): Promise<RecoveryReport> {
  const [[sent]] = await db.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM outbox WHERE shop_id = ? AND status = 'sent' AND sent_at >= ? AND sent_at < ?",
    [shopId, from, to],
  );
  const [[clicked]] = await db.query<RowDataPacket[]>(
    'SELECT COUNT(*) AS n FROM clicks c JOIN outbox m ON m.id = c.outbox_id WHERE m.shop_id = ? AND c.clicked_at >= ? AND c.clicked_at < ?',
    [shopId, from, to],
  );
  const [revenue] = await db.query<RowDataPacket[]>(
    `SELECT currency, COUNT(*) AS n, SUM(revenue) AS amount FROM attributions
     WHERE shop_id = ? AND outbox_id IS NOT NULL AND paid_at >= ? AND paid_at < ? GROUP BY currency ORDER BY currency`,
    [shopId, from, to],
  );
  return {
    remindersSent: Number(sent!.n),
    clicks: Number(clicked!.n),
    ordersRecovered: revenue.reduce((sum, r) => sum + Number(r.n), 0),
    revenue: revenue.map((r) => ({ currency: r.currency, amount: Number(r.amount).toFixed(2) })),
  };
}
