import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { Queryable } from '../db/queryable.ts';


/**
 * The instant after the second a payment was made in. WooCommerce's date_paid has one-second
 * resolution: a message sent, a click or an entry within that second came before the payment.
 */
export function endOfPaymentSecond(paidAt: Date): Date {
  return new Date(Math.floor(paidAt.getTime() / 1000) * 1000 + 1000);
}

/** A payment more than this long after the last reminder is not credited to it. */
export const ATTRIBUTION_WINDOW_MS = 30 * 86_400_000;

/**
 * Credits a paid order to its recovery: the last reminder sent before the payment (within the
 * attribution window) and the last click on it. Orders paid before any reminder went out are recorded too (outbox_id NULL), so
 * reports can tell "paid after a reminder" from "paid anyway". Safe to call twice.
 */
export async function recordPaidOrder(db: Queryable, shopId: number, orderId: number, enrollmentId: number, flow: string, paidAt: Date): Promise<void> {
  const [orders] = await db.query<RowDataPacket[]>('SELECT total, currency FROM orders WHERE shop_id = ? AND order_id = ?', [shopId, orderId]);
  const order = orders[0];
  if (!order) return;
  const paidBy = endOfPaymentSecond(paidAt);
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

type Revenue = Array<{ currency: string | null; amount: string }>;
type Counts = { sent: number; clicks: number; orders: number; revenue: Revenue };

export type RecoveryReport = {
  remindersSent: number;
  clicks: number;
  ordersRecovered: number;
  revenue: Revenue;
  /** Per reminder (step, 0-based) and channel. */
  byReminder: Array<Counts & { step: number; channel: string }>;
  /** Per day in the shop's time zone (at the end of the range), oldest first, days without activity included. */
  daily: Array<Counts & { day: string }>;
};

/** What recovery did for a shop between two times: messages, clicks, paid orders credited to a reminder, revenue. */
export async function recoveryReport(db: Queryable, shopId: number, from: Date, to: Date, timeZone = 'UTC'): Promise<RecoveryReport> {
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
    ...(await breakdown(db, shopId, from, to, timeZone)),
  };
}

/**
 * The same counts per reminder and channel and per day. Days are the shop's: the zone's offset at
 * the end of the range is applied in SQL (a DST change inside the range shifts that day's edge by
 * an hour, which a chart of 30 days does not show), so the database groups and Node only labels.
 */
async function breakdown(db: Queryable, shopId: number, from: Date, to: Date, timeZone: string): Promise<Pick<RecoveryReport, 'byReminder' | 'daily'>> {
  const offset = offsetMinutes(to, timeZone);
  const day = (column: string) => `DATE_FORMAT(${column} + INTERVAL ${offset} MINUTE, '%Y-%m-%d')`;
  const [sent] = await db.query<RowDataPacket[]>(
    `SELECT step, channel, ${day('sent_at')} AS day, COUNT(*) AS n FROM outbox
     WHERE shop_id = ? AND status = 'sent' AND sent_at >= ? AND sent_at < ? AND step IS NOT NULL GROUP BY step, channel, day`,
    [shopId, from, to],
  );
  const [clicks] = await db.query<RowDataPacket[]>(
    `SELECT m.step, m.channel, ${day('c.clicked_at')} AS day, COUNT(*) AS n FROM clicks c JOIN outbox m ON m.id = c.outbox_id
     WHERE m.shop_id = ? AND c.clicked_at >= ? AND c.clicked_at < ? AND m.step IS NOT NULL GROUP BY m.step, m.channel, day`,
    [shopId, from, to],
  );
  const [paid] = await db.query<RowDataPacket[]>(
    `SELECT step, channel, currency, ${day('paid_at')} AS day, COUNT(*) AS n, SUM(revenue) AS amount FROM attributions
     WHERE shop_id = ? AND outbox_id IS NOT NULL AND paid_at >= ? AND paid_at < ? GROUP BY step, channel, currency, day`,
    [shopId, from, to],
  );
  const byReminder = new Map<string, Counts & { step: number; channel: string }>();
  const daily = new Map<string, Counts & { day: string }>();
  for (const d of daysBetween(from, to, offset)) daily.set(d, { day: d, ...emptyCounts() });
  const rowsOf = (r: RowDataPacket) => {
    const key = `${r.step}|${r.channel ?? 'email'}`;
    if (!byReminder.has(key)) byReminder.set(key, { step: Number(r.step ?? 0), channel: String(r.channel ?? 'email'), ...emptyCounts() });
    if (!daily.has(r.day)) daily.set(r.day, { day: String(r.day), ...emptyCounts() });
    return [byReminder.get(key)!, daily.get(r.day)!];
  };
  for (const r of sent) for (const c of rowsOf(r)) c.sent += Number(r.n);
  for (const r of clicks) for (const c of rowsOf(r)) c.clicks += Number(r.n);
  for (const r of paid) {
    for (const c of rowsOf(r)) {
      c.orders += Number(r.n);
      addRevenue(c.revenue, r.currency ?? null, Number(r.amount));
    }
  }
  return {
    byReminder: [...byReminder.values()].sort((a, b) => a.step - b.step || a.channel.localeCompare(b.channel)),
    daily: [...daily.values()].sort((a, b) => a.day.localeCompare(b.day)),
  };
}

const emptyCounts = (): Counts => ({ sent: 0, clicks: 0, orders: 0, revenue: [] });

function addRevenue(revenue: Revenue, currency: string | null, amount: number): void {
  const entry = revenue.find((r) => r.currency === currency);
  if (entry) entry.amount = (Number(entry.amount) + amount).toFixed(2);
  else revenue.push({ currency, amount: amount.toFixed(2) });
}

/** The zone's offset from UTC at a moment, in minutes ("+02:00"-style zones included). */
function offsetMinutes(at: Date, timeZone: string): number {
  const fixed = /^([+-])(\d{2}):(\d{2})$/.exec(timeZone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  } catch {
    return 0;
  }
}

function daysBetween(from: Date, to: Date, offset: number): string[] {
  const days: string[] = [];
  const last = new Date(to.getTime() - 1 + offset * 60_000).toISOString().slice(0, 10);
  for (let t = from.getTime() + offset * 60_000; days.length < 400; t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    days.push(d);
    if (d >= last) break;
  }
  return days;
}
