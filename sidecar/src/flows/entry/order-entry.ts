import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { jsonColumn } from '../../db/json-column.ts';
import { upsertOrder } from '../../events/order-projection.ts';
import { trackingFromOrderMeta } from '../../messages/tracking.ts';
import { cancelPending } from '../../messages/outbox.ts';
import { ATTRIBUTION_WINDOW_MS, endOfPaymentSecond, recordPaidOrder } from '../../reports/attribution.ts';
import type { OrderPayload } from '../../woo/order-payload.ts';
import { markCartsOrdered } from '../../carts/cart-store.ts';
import { recordCouponUse } from '../../offers/coupons.ts';
import { refreshCustomer } from '../../segments/customer-stats.ts';
import { customerKeyOf } from '../../customers/customer-key.ts';
import { enterFlow, exitEnrollments, exitOnPurchase, exitSubject, type SubjectFacts } from './enrollment.ts';
import { delayMs, type FlowDefinition } from '../definition/flow-definition.ts';
import { flowsForTrigger } from '../definition/flow-store.ts';
import { decideUnpaid } from './unpaid-eligibility.ts';
import { ENDED_STATUSES, PAID_STATUSES } from '../../events/order-status.ts';
import type { Queryable } from '../../db/queryable.ts';


/** An order not changed for this long can no longer enter or leave any flow: older history is stored, not synced. */
export const FLOW_LOOKBACK_MS = 31 * 86_400_000;

/** Orders older than this are not entered into order.placed / completed / shipped flows (a first sweep reads a day back). */
const FRESH_MS = 2 * 86_400_000;

/** The order facts the triggers need, from the stored row (its snapshot is the REST/webhook payload). */
type StoredOrder = {
  orderId: number;
  status: string;
  paymentMethod: string;
  total: number;
  datePaid: Date | null;
  dateCreated: Date | null;
  dateModified: Date;
  email: string | null;
  phone: string | null;
  snapshot: Record<string, unknown>;
};

async function storedOrder(db: Queryable, shopId: number, orderId: number): Promise<StoredOrder | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT status, payment_method, total, date_paid, date_created, date_modified, email, phone, snapshot FROM orders WHERE shop_id = ? AND order_id = ?',
    [shopId, orderId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    orderId,
    status: String(r.status),
    paymentMethod: r.payment_method ?? '',
    total: Number(r.total),
    datePaid: r.date_paid ?? null,
    dateCreated: r.date_created ?? null,
    dateModified: r.date_modified,
    email: r.email ?? null,
    phone: r.phone ?? null,
    snapshot: jsonColumn<Record<string, unknown>>(r.snapshot) ?? {},
  };
}

function factsOf(order: StoredOrder): SubjectFacts {
  const country = ((order.snapshot.billing ?? {}) as Record<string, string>).country || null;
  return { customerKey: customerKeyOf(order.email, order.phone, country), country, total: order.total };
}

const parseDate = (v: unknown): Date | null => (typeof v === 'string' && v ? new Date(/[Zz]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`) : null);

/**
 * Brings every flow in line with the order as `orders` now holds it, by the state it carries
 * (never by which event came last):
 *   - unpaid: enters the order.unpaid flows whose gateways say it awaits payment (first
 *     reminder its delay after the order was placed), exits when paid, cancelled, refunded or
 *     trashed; a paid order is credited to the message that recovered it;
 *   - the customer bought: carts and other flows that exit on purchase end for them;
 *   - paid (or accepted for cash on delivery) → order.placed; completed → order.completed;
 *     a tracking number → order.shipped;
 *   - cancelled, refunded or trashed: every flow about the order ends.
 * An exited enrollment never re-enters (one per subject and flow), so a paid order is never nagged again.
 */
export async function syncOrderEnrollments(db: Queryable, shopId: number, orderId: number, now = new Date()): Promise<'entered' | 'exited' | 'unchanged'> {
  const order = await storedOrder(db, shopId, orderId);
  if (!order) return 'unchanged';
  const subject = { type: 'order' as const, id: String(orderId) };
  const facts = factsOf(order);
  let outcome: 'entered' | 'exited' | 'unchanged' = 'unchanged';
  const exitDecision = decideUnpaid({ status: order.status, paymentMethod: order.paymentMethod, total: order.total, datePaid: order.datePaid }, { online: [], offline: [], never: [] });

  if (ENDED_STATUSES.has(order.status) || (exitDecision.kind === 'exit' && exitDecision.reason !== 'paid')) {
    const reason = exitDecision.kind === 'exit' ? exitDecision.reason : order.status;
    if ((await exitSubject(db, shopId, subject, reason, now)).length) outcome = 'exited';
    // Nothing still waiting in the outbox goes out about it, even after a flow's last step.
    await cancelPendingFor(db, shopId, subject);
    if (order.email) await refreshCustomer(db, shopId, order.email, now);
    return outcome;
  }

  if (order.status !== 'checkout-draft' && facts.customerKey && order.dateCreated) {
    await markCartsOrdered(db, shopId, facts.customerKey, orderId, order.dateCreated);
  }

  const paid = exitDecision.kind === 'exit' && exitDecision.reason === 'paid';
  if (paid) {
    const paidAt = order.datePaid ?? now;
    const unpaid = await enrollmentsInTrigger(db, shopId, subject, 'order.unpaid');
    if ((await exitEnrollments(db, unpaid.filter((e) => e.status === 'active').map((e) => e.id), 'paid', now)).length) outcome = 'exited';
    // A reminder still waiting (queued, or in retry) is never sent to a paid order, after the last step too.
    for (const e of unpaid) await cancelPending(db, e.id);
    const bought = facts.customerKey ? await exitOnPurchase(db, shopId, facts.customerKey, paidAt, now, subject) : [];
    // Credited: this order's own reminders, the cart it came from, a win-back, campaign or loyalty
    // message that brought the customer back (the customer's other unpaid orders are not).
    const finished = facts.customerKey ? await recentlyFinishedCustomerMessages(db, shopId, facts.customerKey, paidAt) : [];
    // A message to the customer still waiting (queued, or in retry) after a flow's last step never
    // goes once they bought, when its flow ends on a purchase: a campaign, the last win-back offer.
    if (facts.customerKey) await cancelWaitingAfterPurchase(db, shopId, facts.customerKey, paidAt);
    await creditPaidOrder(db, shopId, orderId, paidAt, [...unpaid.map((e) => ({ id: e.id, flow: e.flow })), ...bought.filter((b) => b.subjectType !== 'order'), ...finished]);
    await recordCouponUse(db, shopId, orderId, order.snapshot, paidAt);
    if (order.email) await refreshCustomer(db, shopId, order.email, now);
  }

  // Entries.
  const fresh = (at: Date | null) => at !== null && now.getTime() - at.getTime() <= FRESH_MS;
  const enter = async (event: Parameters<typeof flowsForTrigger>[2], anchor: Date, only?: (flow: FlowDefinition) => { markUntil?: Date } | null) => {
    for (const flow of await flowsForTrigger(db, shopId, event)) {
      const extra = only ? only(flow.definition) : {};
      if (extra === null) continue;
      if ((await enterFlow(db, shopId, flow, subject, facts, anchor, now, extra)) === 'entered') outcome = 'entered';
    }
  };
  if (!paid && order.dateCreated !== null) {
    const placed = order.dateCreated;
    await enter('order.unpaid', placed, (flow) => {
      if (flow.trigger.event !== 'order.unpaid') return null;
      const decision = decideUnpaid({ status: order.status, paymentMethod: order.paymentMethod, total: order.total, datePaid: order.datePaid }, flow.trigger.gateways);
      if (decision.kind !== 'enter') return null;
      const last = delayMs(flow.steps[flow.steps.length - 1]!.delay);
      // Switching recovery on must not mail every old unpaid order at once: only orders still
      // inside the reminder schedule (plus a day) are taken in.
      if (now.getTime() - placed.getTime() > last + 86_400_000) return null;
      // The order stays in recovery (spared WooCommerce's auto-cancel) until a day after its last reminder.
      return { markUntil: new Date(Math.max(placed.getTime() + last, now.getTime()) + 86_400_000) };
    });
  }
  if (PAID_STATUSES.has(order.status) || paid) {
    const placedAt = order.datePaid ?? order.dateCreated;
    if (fresh(placedAt)) await enter('order.placed', placedAt!);
  }
  if (order.status === 'completed') {
    const completedAt = parseDate(order.snapshot.date_completed_gmt) ?? order.dateModified;
    if (fresh(completedAt)) await enter('order.completed', completedAt);
  }
  const tracking = Array.isArray(order.snapshot.meta_data) ? trackingFromOrderMeta(order.snapshot.meta_data as Array<{ key: string; value: unknown }>) : null;
  if (tracking && fresh(order.dateModified)) await enter('order.shipped', now);
  return outcome;
}

async function cancelPendingFor(db: Queryable, shopId: number, subject: { type: string; id: string }): Promise<void> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT id FROM enrollments WHERE shop_id = ? AND subject_type = ? AND subject_id = ?', [shopId, subject.type, subject.id]);
  for (const r of rows) await cancelPending(db, Number(r.id));
}

/** Win-back, campaign and loyalty enrollments that ended (their last message sent) within the attribution window before a payment. */
async function recentlyFinishedCustomerMessages(db: Queryable, shopId: number, customerKey: string, paidAt: Date): Promise<Array<{ id: number; flow: string }>> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT id, flow FROM enrollments WHERE shop_id = ? AND customer_key = ? AND status = 'completed' AND subject_type IN ('customer', 'event')
       AND entered_at < ? AND exited_at >= ?`,
    [shopId, customerKey, endOfPaymentSecond(paidAt), new Date(paidAt.getTime() - ATTRIBUTION_WINDOW_MS)],
  );
  return rows.map((r) => ({ id: Number(r.id), flow: String(r.flow) }));
}

async function cancelWaitingAfterPurchase(db: Queryable, shopId: number, customerKey: string, paidAt: Date): Promise<void> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT e.id FROM enrollments e JOIN flow_versions v ON v.shop_id = e.shop_id AND v.flow_key = e.flow AND v.version = e.flow_version
      WHERE e.shop_id = ? AND e.customer_key = ? AND e.status = 'completed' AND e.subject_type IN ('customer', 'event') AND e.entered_at < ?
        AND JSON_VALUE(v.definition, '$.exit.onPurchase') IN ('true', '1')
        AND EXISTS (SELECT 1 FROM outbox m WHERE m.enrollment_id = e.id AND m.status IN ('pending', 'retry'))`,
    [shopId, customerKey, endOfPaymentSecond(paidAt)],
  );
  for (const r of rows) await cancelPending(db, Number(r.id));
}

type TriggerEnrollment = { id: number; flow: string; status: string; exitReason: string | null };

/** The order's enrollments in flows of one trigger (whatever version they run). */
async function enrollmentsInTrigger(db: Queryable, shopId: number, subject: { type: string; id: string }, event: string): Promise<TriggerEnrollment[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT e.id, e.flow, e.status, e.exit_reason FROM enrollments e
     JOIN flow_versions v ON v.shop_id = e.shop_id AND v.flow_key = e.flow AND v.version = e.flow_version
     WHERE e.shop_id = ? AND e.subject_type = ? AND e.subject_id = ? AND JSON_VALUE(v.definition, '$.trigger.event') = ?`,
    [shopId, subject.type, subject.id, event],
  );
  return rows.map((r) => ({ id: Number(r.id), flow: String(r.flow), status: String(r.status), exitReason: r.exit_reason ?? null }));
}

/**
 * A paid order is credited once, to the enrollment whose message went out last before the
 * payment (an unpaid-order reminder, or the abandoned-cart message that brought the customer
 * back); with no message at all it is still recorded ("paid anyway") against the order's own
 * recovery, so reports tell the two apart. A completed enrollment is marked paid so the queue
 * shows the outcome. Safe to repeat.
 */
async function creditPaidOrder(db: Queryable, shopId: number, orderId: number, paidAt: Date, candidates: Array<{ id: number; flow: string }>): Promise<void> {
  if (candidates.length === 0) return;
  const [last] = await db.query<RowDataPacket[]>(
    `SELECT enrollment_id FROM outbox WHERE enrollment_id IN (?) AND status = 'sent' AND sent_at <= ? ORDER BY sent_at DESC, id DESC LIMIT 1`,
    [candidates.map((c) => c.id), new Date(paidAt.getTime() + 1000)],
  );
  const chosen = candidates.find((c) => c.id === Number(last[0]?.enrollment_id)) ?? candidates[0]!;
  await db.query("UPDATE enrollments SET exit_reason = 'paid' WHERE id = ? AND status = 'completed' AND exit_reason IS NULL", [chosen.id]);
  await recordPaidOrder(db, shopId, orderId, chosen.id, chosen.flow, paidAt);
}

/** Stores an order read over REST and lets the flows act on it (reconciliation, re-check before send). */
export async function recordOrder(db: Queryable, shopId: number, order: OrderPayload, now = new Date()): Promise<'entered' | 'exited' | 'unchanged'> {
  await upsertOrder(db, shopId, order);
  return syncOrderEnrollments(db, shopId, order.id, now);
}

/**
 * When a flow is saved or switched on, the orders already stored that it would have taken in
 * (recent enough, by the same windows as above) are offered to it now.
 */
export async function enrollStoredOrders(pool: Pool, shopId: number, now = new Date()): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT order_id FROM orders WHERE shop_id = ? AND date_modified >= ? ORDER BY order_id', [
    shopId,
    new Date(now.getTime() - FLOW_LOOKBACK_MS),
  ]);
  let entered = 0;
  for (const row of rows) if ((await syncOrderEnrollments(pool, shopId, Number(row.order_id), now)) === 'entered') entered++;
  return entered;
}
