import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { upsertOrder } from '../events/order-projection.ts';
import { cancelPending } from '../messages/outbox.ts';
import { recordPaidOrder } from '../reports/attribution.ts';
import type { OrderPayload } from '../woo/order-payload.ts';
import { decideUnpaid } from './unpaid-eligibility.ts';
import { delayMs, loadRecoverySettings, type RecoverySettings } from './recovery-settings.ts';

export const UNPAID_FLOW = 'unpaid-order';

type Db = Pool | PoolConnection;

/**
 * Brings the order's enrollment in line with the order as `orders` now holds it: enters an
 * unpaid order (first reminder due its delay after the order was placed), exits one that was
 * paid, cancelled, refunded or trashed. An exited enrollment never re-enters (the unique key on
 * shop, flow and order keeps one row per order), so a paid order is never nagged again.
 */
export async function syncUnpaidEnrollment(db: Db, shopId: number, orderId: number, now = new Date(), settings?: RecoverySettings): Promise<'entered' | 'exited' | 'unchanged'> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT status, payment_method, total, date_paid, date_created FROM orders WHERE shop_id = ? AND order_id = ?',
    [shopId, orderId],
  );
  const order = rows[0];
  if (!order) return 'unchanged';
  const recovery = settings ?? (await loadRecoverySettings(db as Pool, shopId));
  const decision = decideUnpaid(
    { status: order.status, paymentMethod: order.payment_method ?? '', total: Number(order.total), datePaid: order.date_paid },
    recovery.gateways,
  );
  if (decision.kind === 'exit') {
    const exited = await exitEnrollment(db, shopId, orderId, decision.reason, now);
    const enrollment = await enrollmentOf(db, shopId, orderId);
    // A reminder still waiting in the outbox (queued, or in retry after a failed send) is never
    // sent to an order that was paid or cancelled meanwhile: that holds after the last step too.
    if (enrollment) await cancelPending(db, Number(enrollment.id));
    if (enrollment && decision.reason === 'paid') await creditPayment(db, shopId, orderId, enrollment, order.date_paid ?? now);
    return exited ? 'exited' : 'unchanged';
  }
  if (decision.kind !== 'enter' || !recovery.enabled) return 'unchanged';

  const placed: Date = order.date_created ?? now;
  const first = recovery.reminders[0]!;
  const last = recovery.reminders[recovery.reminders.length - 1]!;
  // Switching recovery on must not mail every old unpaid order at once: only orders still
  // inside the reminder schedule (plus a day) are taken in.
  if (now.getTime() - placed.getTime() > delayMs(last) + 86_400_000) return 'unchanged';
  const due = new Date(Math.max(placed.getTime() + delayMs(first), now.getTime()));
  // The order stays in recovery until a day after its last reminder would go out.
  const until = new Date(Math.max(placed.getTime() + delayMs(last), now.getTime()) + 86_400_000);
  const [result] = await db.query<ResultSetHeader>(
    `INSERT IGNORE INTO enrollments (shop_id, flow, subject_type, subject_id, status, step, next_step_at, entered_at, mark_until, mark_dirty)
     VALUES (?, ?, 'order', ?, 'active', 0, ?, ?, ?, TRUE)`,
    [shopId, UNPAID_FLOW, String(orderId), due, now, until],
  );
  return result.affectedRows === 1 ? 'entered' : 'unchanged';
}

/**
 * When recovery is switched on, the unpaid orders already stored (placed recently enough to be
 * inside the reminder schedule, the same window as above) are taken in: their reminders are due
 * now rather than waiting for the order to change.
 */
export async function enrollStoredUnpaid(pool: Pool, shopId: number, now = new Date()): Promise<number> {
  const settings = await loadRecoverySettings(pool, shopId);
  if (!settings.enabled) return 0;
  const window = delayMs(settings.reminders[settings.reminders.length - 1]!) + 86_400_000;
  const [rows] = await pool.query<RowDataPacket[]>(
    "SELECT order_id FROM orders WHERE shop_id = ? AND status IN ('pending', 'failed', 'on-hold') AND date_created >= ?",
    [shopId, new Date(now.getTime() - window)],
  );
  let entered = 0;
  for (const row of rows) if ((await syncUnpaidEnrollment(pool, shopId, Number(row.order_id), now, settings)) === 'entered') entered++;
  return entered;
}

/** Stores an order read over REST and lets the recovery rule act on it (reconciliation, re-check before send). */
export async function recordOrder(db: Db, shopId: number, order: OrderPayload, now = new Date(), settings?: RecoverySettings): Promise<'entered' | 'exited' | 'unchanged'> {
  await upsertOrder(db, shopId, order);
  return syncUnpaidEnrollment(db, shopId, order.id, now, settings);
}

/**
 * A payment credits the recovery whether it came while reminders were still due (the enrollment
 * just exited) or after the last one went out (completed: the most common recovery of all). A
 * completed enrollment is marked paid so the queue shows the outcome. Safe to repeat.
 */
async function enrollmentOf(db: Db, shopId: number, orderId: number): Promise<RowDataPacket | undefined> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT id, status, exit_reason FROM enrollments WHERE shop_id = ? AND flow = ? AND subject_type = 'order' AND subject_id = ?`,
    [shopId, UNPAID_FLOW, String(orderId)],
  );
  return rows[0];
}

async function creditPayment(db: Db, shopId: number, orderId: number, enrollment: RowDataPacket, paidAt: Date): Promise<void> {
  if (!(enrollment.status === 'completed' || enrollment.exit_reason === 'paid')) return;
  if (enrollment.status === 'completed' && enrollment.exit_reason === null) {
    await db.query("UPDATE enrollments SET exit_reason = 'paid' WHERE id = ? AND exit_reason IS NULL", [enrollment.id]);
  }
  await recordPaidOrder(db, shopId, orderId, Number(enrollment.id), UNPAID_FLOW, paidAt);
}

export async function exitEnrollment(db: Db, shopId: number, orderId: number, reason: string, now = new Date()): Promise<boolean> {
  const [result] = await db.query<ResultSetHeader>(
    `UPDATE enrollments SET status = 'exited', exit_reason = ?, exited_at = ?, next_step_at = NULL, locked_at = NULL, mark_dirty = TRUE
     WHERE shop_id = ? AND flow = ? AND subject_type = 'order' AND subject_id = ? AND status = 'active'`,
    [reason, now, shopId, UNPAID_FLOW, String(orderId)],
  );
  return result.affectedRows > 0;
}
