import type { ChangeOutcome } from '../../events/order-changes.ts';
import type { StoredOrder } from '../../events/order-store.ts';
import { trackingFromOrderMeta } from '../../messages/tracking.ts';
import { cancelPending } from '../../messages/outbox.ts';
import { ATTRIBUTION_WINDOW_MS, endOfPaymentSecond, recordPaidOrder } from '../../reports/attribution.ts';
import type { Queryable } from '../../db/queryable.ts';
import { enterFlow, exitEnrollments, exitOnPurchase, exitSubject, PAID_AGAIN, type SubjectFacts } from './enrollment.ts';
import { delayMs, linkGraceMs, type FlowDefinition } from '../definition/flow-definition.ts';
import { flowsForTrigger } from '../definition/flow-store.ts';
import { decideUnpaid } from './unpaid-eligibility.ts';
import { samePurchase } from './same-purchase.ts';
import {
  clearCompletedMarksOfOrder,
  completedOnPurchaseWithWaitingMessages,
  customerEnrollmentsCompletedSince,
  enrollmentIdsOfSubject,
  enrollmentsInTrigger,
  lastMessagedEnrollment,
  markCompletedEnded,
  openUnpaidOrdersOfCustomer,
  type EnrollmentRef,
} from './enrollment-store.ts';

/** Orders older than this are not entered into order.placed / completed / shipped flows (a first sweep reads a day back). */
const FRESH_MS = 2 * 86_400_000;

function factsOf(order: StoredOrder): SubjectFacts {
  return { customerKey: order.customerKey, country: order.country, total: order.total };
}

const parseDate = (v: unknown): Date | null => (typeof v === 'string' && v ? new Date(/[Zz]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`) : null);

/**
 * The flows' part of an order change (events/order-changes.ts): every flow is brought in line with
 * the order as `orders` now holds it, by the state it carries (never by which event came last):
 *   - unpaid: enters the order.unpaid flows whose gateways say it awaits payment (first
 *     reminder its delay after the order was placed), exits when *it* is paid, cancelled,
 *     refunded or trashed; a paid order is credited once, to the last message before it;
 *   - the customer bought: carts and other flows that exit on purchase end for them; another
 *     unpaid order of theirs goes on being reminded, unless the paid one is the same purchase
 *     retried (same items): that one exits "paid again" naming the new order;
 *   - paid (or accepted for cash on delivery) → order.placed; completed → order.completed;
 *     a tracking number → order.shipped;
 *   - cancelled, refunded or trashed: every flow about the order ends.
 * What is no longer due (a reminder waiting in the outbox for an order now paid or gone, a
 * campaign message after the purchase) is cancelled with it. An exited enrollment never
 * re-enters (one per subject and flow), so a paid order is never nagged again.
 */
export const flowsOnOrderChange = async (db: Queryable, order: StoredOrder, now: Date): Promise<ChangeOutcome> => {
  const { shopId, orderId } = order;
  const subject = { type: 'order' as const, id: String(orderId) };
  const facts = factsOf(order);
  let outcome: ChangeOutcome = 'unchanged';

  if (order.state === 'gone') {
    const decision = decideUnpaid(order, { online: [], offline: [], never: [] });
    const reason = decision.kind === 'exit' ? decision.reason : order.status;
    if ((await exitSubject(db, shopId, subject, reason, now)).length) outcome = 'exited';
    // Nothing still waiting in the outbox goes out about it, even after a flow's last step.
    await cancelPendingFor(db, shopId, subject);
    // Nor is it kept from the auto-cancel any more, within a last reminder's grace either.
    await clearCompletedMarksOfOrder(db, shopId, orderId);
    return outcome;
  }

  const paid = order.state === 'paid';
  if (paid) {
    const paidAt = order.datePaid ?? now;
    const unpaid = await enrollmentsInTrigger(db, shopId, subject, 'order.unpaid');
    if (
      (
        await exitEnrollments(
          db,
          unpaid.filter((e) => e.status === 'active').map((e) => e.id),
          'paid',
          now,
          orderId,
        )
      ).length
    )
      outcome = 'exited';
    // A reminder still waiting (queued, or in retry) is never sent to a paid order, after the last step too.
    for (const e of unpaid) await cancelPending(db, e.id);
    // Paid: a mark kept after the last reminder (its link's grace) has done its work.
    if (unpaid.some((e) => e.status === 'completed')) await clearCompletedMarksOfOrder(db, shopId, orderId);
    const bought = facts.customerKey ? await exitOnPurchase(db, shopId, facts.customerKey, paidAt, now, orderId) : [];
    const retried = facts.customerKey ? await endRetriedOrders(db, order, facts.customerKey, paidAt, now) : [];
    // Credited: this order's own reminders, those of the order it retried, the cart it came from, a
    // win-back, campaign or loyalty message that brought the customer back (the customer's other
    // unpaid orders, other purchases, are not).
    const finished = facts.customerKey ? await recentlyFinishedCustomerMessages(db, shopId, facts.customerKey, paidAt) : [];
    // A message to the customer still waiting (queued, or in retry) after a flow's last step never
    // goes once they bought, when its flow ends on a purchase: a campaign, the last win-back offer.
    if (facts.customerKey) await cancelWaitingAfterPurchase(db, shopId, facts.customerKey, paidAt);
    await creditPaidOrder(db, shopId, orderId, paidAt, [
      ...unpaid.map((e) => ({ id: e.id, flow: e.flow })),
      ...retried,
      ...bought.filter((b) => b.subjectType !== 'order'),
      ...finished,
    ]);
  }

  // Entries.
  const fresh = (at: Date | null) => at !== null && now.getTime() - at.getTime() <= FRESH_MS;
  const enter = async (
    event: Parameters<typeof flowsForTrigger>[2],
    anchor: Date,
    only?: (flow: FlowDefinition) => { markUntil?: Date } | null,
  ) => {
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
      const decision = decideUnpaid(order, flow.trigger.gateways);
      if (decision.kind !== 'enter') return null;
      const last = delayMs(flow.steps[flow.steps.length - 1]!.delay);
      // Switching recovery on must not mail every old unpaid order at once: only orders still
      // inside the reminder schedule (plus a day) are taken in.
      if (now.getTime() - placed.getTime() > last + 86_400_000) return null;
      // The order stays in recovery (spared WooCommerce's auto-cancel) while its last reminder's
      // link may still be used: the last reminder as planned plus the merchant's grace. The step
      // runner moves it to the actual last send plus the grace (step-store.ts applyMoves).
      return { markUntil: new Date(Math.max(placed.getTime() + last, now.getTime()) + linkGraceMs(flow.trigger)) };
    });
  }
  if (paid) {
    const placedAt = order.datePaid ?? order.dateCreated;
    if (fresh(placedAt)) await enter('order.placed', placedAt!);
  }
  if (order.status === 'completed') {
    const completedAt = parseDate(order.snapshot.date_completed_gmt) ?? order.dateModified;
    if (fresh(completedAt)) await enter('order.completed', completedAt);
  }
  const tracking = Array.isArray(order.snapshot.meta_data)
    ? trackingFromOrderMeta(order.snapshot.meta_data as Array<{ key: string; value: unknown }>)
    : null;
  if (tracking && fresh(order.dateModified)) await enter('order.shipped', now);
  return outcome;
};

/**
 * A paid order that is the same purchase as another unpaid order of the customer, placed before
 * it (same items: the checkout retried as a new order, WOOCOMMERCE-FACTS.md): the older one's
 * reminders end as "paid again", naming the paid order, and its mark in recovery is dropped. The
 * order itself stays in the shop as it is; the queue offers the merchant to cancel it. A different
 * purchase never ends another order's reminders. Answers the enrollments ended.
 */
async function endRetriedOrders(db: Queryable, order: StoredOrder, customerKey: string, paidAt: Date, now: Date): Promise<EnrollmentRef[]> {
  const placedAt = (order.dateCreated ?? paidAt).getTime();
  const stale = (await openUnpaidOrdersOfCustomer(db, order.shopId, customerKey, order.orderId, endOfPaymentSecond(paidAt))).filter(
    (e) => e.placedAt !== null && e.placedAt.getTime() <= placedAt && samePurchase(e.lineItems, order.snapshot.line_items),
  );
  for (const e of stale) {
    if (e.status === 'active') {
      await exitEnrollments(db, [e.id], PAID_AGAIN, now, order.orderId);
    } else {
      // After its last reminder: the outcome is told, and the order no longer spared the auto-cancel.
      await markCompletedEnded(db, e.id, PAID_AGAIN, order.orderId);
      await cancelPending(db, e.id);
      await clearCompletedMarksOfOrder(db, order.shopId, e.orderId);
    }
  }
  return stale.map((e) => ({ id: e.id, flow: e.flow }));
}

async function cancelPendingFor(db: Queryable, shopId: number, subject: { type: string; id: string }): Promise<void> {
  for (const id of await enrollmentIdsOfSubject(db, shopId, subject)) await cancelPending(db, id);
}

/** Win-back, campaign and loyalty enrollments that ended (their last message sent) within the attribution window before a payment. */
function recentlyFinishedCustomerMessages(db: Queryable, shopId: number, customerKey: string, paidAt: Date) {
  return customerEnrollmentsCompletedSince(
    db,
    shopId,
    customerKey,
    endOfPaymentSecond(paidAt),
    new Date(paidAt.getTime() - ATTRIBUTION_WINDOW_MS),
  );
}

async function cancelWaitingAfterPurchase(db: Queryable, shopId: number, customerKey: string, paidAt: Date): Promise<void> {
  for (const id of await completedOnPurchaseWithWaitingMessages(db, shopId, customerKey, endOfPaymentSecond(paidAt)))
    await cancelPending(db, id);
}

/**
 * A paid order is credited once, to the enrollment whose message went out last before the
 * payment (an unpaid-order reminder, or the abandoned-cart message that brought the customer
 * back); with no message at all it is still recorded ("paid anyway") against the order's own
 * recovery, so reports tell the two apart. A completed enrollment is marked paid so the queue
 * shows the outcome. Safe to repeat.
 */
async function creditPaidOrder(db: Queryable, shopId: number, orderId: number, paidAt: Date, candidates: EnrollmentRef[]): Promise<void> {
  if (candidates.length === 0) return;
  const last = await lastMessagedEnrollment(
    db,
    candidates.map((c) => c.id),
    new Date(paidAt.getTime() + 1000),
  );
  const chosen = candidates.find((c) => c.id === last) ?? candidates[0]!;
  await markCompletedEnded(db, chosen.id, 'paid', orderId);
  await recordPaidOrder(db, shopId, orderId, chosen.id, chosen.flow, paidAt);
}
