import { __, sprintf } from '@wordpress/i18n';
import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { AdminRequest } from '../../http/admin-auth.ts';
import { validQuery } from '../../http/json-body.ts';
import { offsetOf, pagination, type Page } from '../../http/pagination.ts';
import { cancelPending } from '../../messages/outbox.ts';
import { escapeHtml } from '../../messages/html-escape.ts';
import type { OrderChanges } from '../../events/order-changes.ts';
import { ENDED_STATUSES, PAID_STATUSES } from '../../events/order-status.ts';
import type { WooClient } from '../../woo/rest-client.ts';
import { PAID_AGAIN } from '../entry/enrollment.ts';
import {
  cancelByMerchant,
  enrollmentClicks,
  enrollmentDeliveryStatuses,
  enrollmentMessages,
  enrollmentStepLog,
  queueEntry,
  queuePage,
  bringNextStepForward,
  retryFailedMessages,
  retryFailingStep,
  type QueueEntry,
  type StepLogLine,
} from './queue-store.ts';
import type { SubjectType } from '../definition/flow-texts.ts';

const listQuery = pagination.extend({
  /** scheduled: waiting for a step; failing: the last attempt failed (retried after its lease). */
  status: z.enum(['scheduled', 'failing', 'completed', 'exited']).optional(),
  flow: z.string().max(64).optional(),
});

/** One enrollment as GET /api/queue lists it; `order` has no id for one about a customer or a loyalty event. */
export type EnrollmentSummary = {
  id: number;
  flow: string;
  flowVersion: number;
  /** The flow's name, as the merchant named it (the key when its version is gone). */
  flowName: string;
  subjectType: SubjectType;
  heldOut: boolean;
  status: 'scheduled' | 'failing' | 'completed' | 'exited';
  step: number;
  nextStepAt: Date | null;
  exitReason: string | null;
  /** The order whose payment ended it: its own, the purchase that ended a cart or win-back, or the same items paid again as a new order. */
  exitOrder: { id: number; number: string } | null;
  /** Its order was paid again as `exitOrder` and is still unpaid in the shop: the merchant may cancel it (POST …/cancel-order). */
  staleOrder: boolean;
  lastError: string | null;
  enteredAt: Date;
  exitedAt: Date | null;
  messages: number;
  order: {
    id: number | null;
    number: string | null;
    email: string | null;
    total: string | null;
    currency: string | null;
    paymentMethod: string | null;
    /** The payment method's title on the order ("Direct bank transfer"), null when it has none. */
    paymentMethodTitle: string | null;
    /** The billing name ("Anna Schmidt"), null when the order has none. */
    name: string | null;
    status: string | null;
  };
};
/**
 * One moment of an enrollment's timeline: entered, a message queued, sent or failed, what the
 * provider reported about it (message.delivered, message.read, message.undelivered with the
 * provider's reason), a click, the end.
 */
export type TimelineEvent = {
  at: Date;
  event: string;
  messageId?: number;
  step?: number | null;
  subject?: string | null;
  reason?: string | null;
  kind?: string;
};
/** One decision of the step runner about a step: what it tried on which channel, and why it was or was not sent. */
export type StepLogEntry = StepLogLine;
/** POST /api/queue/:id/cancel-order: the enrollment, its order, and the status WooCommerce answered. */
export type CancelledOrder = { id: number; orderId: number; status: string };
/** GET /api/queue/:id. */
export type EnrollmentDetail = EnrollmentSummary & { timeline: TimelineEvent[]; log: StepLogEntry[] };

/**
 * GET /api/queue: who is in recovery and what happens next, newest first, with filters.
 * GET /api/queue/:id: one enrollment's timeline — entered, each message, each click, the exit.
 * POST /api/queue/:id/cancel, /retry, /send-now: the merchant stops it, has a failing step (or a
 * failed message) tried again now, or has a scheduled enrollment's next reminder sent now.
 * POST /api/queue/:id/cancel-order: an order whose items were paid again as another order is
 * cancelled in WooCommerce, with a private note naming the paid one.
 */
export function queueRoutes(deps: {
  pool: Pool;
  wooClient: (shopId: number) => Promise<WooClient>;
  orderChanges: OrderChanges;
  kickSteps: () => void;
}): Router {
  const { pool, kickSteps } = deps;
  const router = Router();
  router.get('/queue', async (req: AdminRequest, res) => {
    const q = validQuery(req, listQuery);
    const { items, total } = await queuePage(
      pool,
      req.shopId!,
      { status: q.status, flow: q.flow },
      { limit: q.perPage, offset: offsetOf(q) },
    );
    res.json({ items: items.map(enrollmentSummary), total, page: q.page, perPage: q.perPage } satisfies Page<EnrollmentSummary>);
  });

  router.get('/queue/:id', async (req: AdminRequest, res) => {
    const entry = /^\d{1,18}$/.test(String(req.params.id)) ? await queueEntry(pool, req.shopId!, Number(req.params.id)) : null;
    if (!entry) throw unknownEnrollment(req.params.id);
    const messages = await enrollmentMessages(pool, entry.id);
    const clicks = await enrollmentClicks(pool, entry.id);
    const delivery = await enrollmentDeliveryStatuses(pool, entry.id);
    const timeline: TimelineEvent[] = [
      { at: entry.enteredAt, event: 'entered' },
      ...messages.flatMap((m) => [
        { at: m.createdAt, event: 'message.queued', messageId: m.id, step: m.step, subject: m.subject },
        ...(m.sentAt ? [{ at: m.sentAt, event: 'message.sent', messageId: m.id, step: m.step }] : []),
        ...(m.status === 'failed'
          ? [{ at: m.createdAt, event: 'message.failed', messageId: m.id, step: m.step, reason: m.lastError }]
          : []),
      ]),
      ...delivery.flatMap((d) => {
        const event = DELIVERY_EVENTS[d.status];
        return event ? [{ at: d.at, event, messageId: d.outboxId, step: d.step, ...(d.error ? { reason: d.error } : {}) }] : [];
      }),
      ...clicks.map((c) => ({ at: c.clickedAt, event: 'click', messageId: c.outboxId, kind: c.kind })),
      ...(entry.exitedAt
        ? [{ at: entry.exitedAt, event: entry.status === 'completed' ? 'completed' : 'exited', reason: entry.exitReason }]
        : []),
    ].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
    // Why each step did or did not send (held out, no consent, capped, quiet hours…), oldest first.
    const log = await enrollmentStepLog(pool, entry.id);
    res.json({ ...enrollmentSummary(entry), timeline, log } satisfies EnrollmentDetail);
  });

  // The merchant stops a customer's reminders: the enrollment exits and an unsent message stays unsent.
  router.post('/queue/:id/cancel', async (req: AdminRequest, res) => {
    const id = enrollmentId(req.params.id);
    if (!(await cancelByMerchant(pool, req.shopId!, id, new Date()))) throw notActive(req.params.id);
    await cancelPending(pool, id);
    res.json({ id, status: 'exited' });
  });

  // The same items were paid as another order: the stale unpaid one is cancelled in the shop, at
  // the merchant's word (the UI asks first), read fresh first so a paid or gone order is left as it is.
  router.post('/queue/:id/cancel-order', async (req: AdminRequest, res) => {
    const id = enrollmentId(req.params.id);
    const shopId = req.shopId!;
    const entry = await queueEntry(pool, shopId, id);
    if (!entry) throw unknownEnrollment(id);
    const summary = enrollmentSummary(entry);
    if (!summary.exitOrder || entry.exitReason !== PAID_AGAIN || entry.subjectType !== 'order')
      throw new AppError(
        'not_paid_again',
        // translators: %d: the enrollment's number in the queue.
        sprintf(__('The order of enrollment %d was not paid again as another order.', 'comeback'), id),
        409,
        true,
      );
    const orderId = Number(entry.subjectId);
    const client = await deps.wooClient(shopId);
    const now = new Date();
    const fresh = await client.getOrder(orderId);
    if (fresh) await deps.orderChanges.record(pool, shopId, [fresh], now);
    if (!fresh || !stillUnpaid(fresh.status, fresh.date_paid_gmt)) {
      const number = summary.order.number ?? String(orderId);
      const message = fresh
        ? // translators: 1: the order's number, 2: its WooCommerce status, e.g. "processing".
          sprintf(__('Order #%1$s is %2$s in the shop now: it was left as it is.', 'comeback'), number, fresh.status)
        : // translators: %s: the order's number.
          sprintf(__('Order #%s is no longer in the shop: it was left as it is.', 'comeback'), number);
      throw new AppError('order_not_unpaid', message, 409, true);
    }
    const cancelled = await client.setOrderStatus(orderId, 'cancelled');
    await client.addOrderNote(
      orderId,
      `Comeback: cancelled from the recovery queue at the merchant’s request — the same items were paid as order #${escapeHtml(summary.exitOrder.number)}.`,
    );
    await deps.orderChanges.record(pool, shopId, [cancelled], now);
    res.json({ id, orderId, status: cancelled.status } satisfies CancelledOrder);
  });

  // A failing step (or a failed message) is tried again now rather than at its next retry. A
  // scheduled one is not failing: retrying it would send its next reminder early, which is
  // /send-now's, asked for as such.
  router.post('/queue/:id/retry', async (req: AdminRequest, res) => {
    const id = enrollmentId(req.params.id);
    const now = new Date();
    const entry = await queueEntry(pool, req.shopId!, id);
    if (!entry || entry.status !== 'active') throw notActive(req.params.id);
    const stepRetried = await retryFailingStep(pool, req.shopId!, id, now);
    const messagesRetried = await retryFailedMessages(pool, id, now);
    if (!stepRetried && messagesRetried === 0)
      throw new AppError(
        'not_failing',
        entry.nextStepAt
          ? // translators: 1: the enrollment's number, 2: when its next reminder goes (an ISO date and time).
            sprintf(
              __(
                'Enrollment %1$d is not failing: there is nothing to try again. Its next reminder goes at %2$s (“Send next reminder now” sends it early).',
                'comeback',
              ),
              id,
              entry.nextStepAt.toISOString(),
            )
          : // translators: %d: the enrollment's number.
            sprintf(
              __(
                'Enrollment %d is not failing: there is nothing to try again. Its next reminder goes when due (“Send next reminder now” sends it early).',
                'comeback',
              ),
              id,
            ),
        409,
        true,
      );
    if (stepRetried) kickSteps();
    res.json({ id, status: 'scheduled' });
  });

  // The merchant has a scheduled enrollment's next reminder sent now rather than at its time.
  router.post('/queue/:id/send-now', async (req: AdminRequest, res) => {
    const id = enrollmentId(req.params.id);
    if (!(await bringNextStepForward(pool, req.shopId!, id, new Date()))) {
      const entry = await queueEntry(pool, req.shopId!, id);
      if (!entry || entry.status !== 'active') throw notActive(req.params.id);
      throw new AppError(
        entry.lastError ? 'failing' : 'already_due',
        entry.lastError
          ? // translators: 1: the enrollment's number, 2: the last error, as the provider or shop gave it.
            sprintf(__('Enrollment %1$d is failing (%2$s): “Retry now” tries its step again.', 'comeback'), id, entry.lastError)
          : // translators: %d: the enrollment's number.
            sprintf(__('The next reminder of enrollment %d is already due: it is being sent.', 'comeback'), id),
        409,
        true,
      );
    }
    kickSteps();
    res.json({ id, status: 'scheduled' });
  });
  return router;
}

/**
 * The provider statuses the timeline shows: reached the customer, read, or never got there. The
 * steps before (accepted, queued, sending, sent) add nothing to "Reminder sent".
 */
const DELIVERY_EVENTS: Record<string, string> = {
  delivered: 'message.delivered',
  read: 'message.read',
  undelivered: 'message.undelivered',
  failed: 'message.undelivered',
  canceled: 'message.undelivered',
  bounced: 'message.bounced',
};

function enrollmentId(raw: unknown): number {
  if (!/^\d{1,18}$/.test(String(raw))) throw unknownEnrollment(raw);
  return Number(raw);
}

function unknownEnrollment(id: unknown): AppError {
  // translators: %s: the enrollment's number as asked for.
  return AppError.notFound(sprintf(__('There is no enrollment %s in this shop.', 'comeback'), String(id)));
}

function notActive(id: unknown): AppError {
  return new AppError(
    'not_active',
    // translators: %s: the enrollment's number.
    sprintf(__('Enrollment %s is not in this shop’s recovery any more (finished, exited or unknown).', 'comeback'), String(id)),
    409,
    true,
  );
}

/** Not paid, not cancelled, refunded or gone: an order a customer could still pay. */
const stillUnpaid = (status: string | null, datePaid: unknown = null) =>
  status !== null && !datePaid && !PAID_STATUSES.has(status) && !ENDED_STATUSES.has(status);

function enrollmentSummary(e: QueueEntry): EnrollmentSummary {
  const orderOrCart = e.subjectType === 'order' || e.subjectType === 'cart';
  const exitOrder = e.exitOrderId === null ? null : { id: e.exitOrderId, number: e.exitOrderNumber ?? String(e.exitOrderId) };
  return {
    id: e.id,
    flow: e.flow,
    flowVersion: e.flowVersion,
    flowName: e.flowName ?? e.flow,
    subjectType: e.subjectType as SubjectType,
    heldOut: e.heldOut,
    status: e.status === 'active' ? (e.lastError ? 'failing' : 'scheduled') : (e.status as 'completed' | 'exited'),
    step: e.step,
    nextStepAt: e.nextStepAt,
    exitReason: e.exitReason,
    exitOrder,
    staleOrder: e.subjectType === 'order' && e.exitReason === PAID_AGAIN && exitOrder !== null && stillUnpaid(e.orderStatus),
    lastError: e.lastError,
    enteredAt: e.enteredAt,
    exitedAt: e.exitedAt,
    messages: e.messages,
    // A win-back, campaign or loyalty enrollment is about the customer (their email), not an order.
    order: {
      id: orderOrCart ? Number(e.subjectId) : null,
      number: e.orderNumber ?? (orderOrCart ? e.subjectId : null),
      email: e.email,
      total: e.total,
      currency: e.currency,
      paymentMethod: e.paymentMethod,
      paymentMethodTitle: e.paymentMethodTitle,
      name: e.customerName,
      status: e.orderStatus,
    },
  };
}
