import { randomInt } from 'node:crypto';
import { cancelPending } from '../../messages/outbox.ts';
import { endOfPaymentSecond } from '../../reports/attribution.ts';
import { delayMs, type FlowDefinition } from '../definition/flow-definition.ts';
import type { SubjectType } from '../definition/flow-texts.ts';
import type { StoredFlow } from '../definition/flow-store.ts';
import type { Queryable } from '../../db/queryable.ts';
import { customerKeyOf } from '../../customers/customer-key.ts';
import { customerTags } from './customer-entry-store.ts';
import {
  activeEnrollmentIdsOfSubject,
  activeEnrollmentsEndingOnPurchase,
  activeEnrollmentsExitingOn,
  insertEnrollment,
  markExited,
  type SubjectEnrollment,
} from './enrollment-store.ts';

/** Why an unpaid order's reminders ended when the same items were paid as another order (enrollments.exit_order_id names it). */
export const PAID_AGAIN = 'paid again';

export type SubjectFacts = { customerKey: string | null; country: string | null; total: number };
export type Subject = { type: SubjectType; id: string };

/** `tags`: the customer's segment tags (only read when the flow's audience names segments). */
export function inAudience(flow: FlowDefinition, facts: SubjectFacts, tags: string[] = []): boolean {
  const { audience } = flow;
  if (audience.minTotal !== undefined && facts.total < audience.minTotal) return false;
  if (audience.countries.length > 0 && !(facts.country && audience.countries.includes(facts.country))) return false;
  if (audience.tags.length > 0 && !audience.tags.some((t) => tags.includes(t))) return false;
  if (audience.excludeTags.some((t) => tags.includes(t))) return false;
  return true;
}

/**
 * Enters a subject into a flow at the version the flow has now. One enrollment per subject and
 * flow, ever (unique key): a repeated trigger changes nothing, and an exited subject never
 * re-enters. The hold-out draw happens here, once, so the control group is fixed at entry.
 */
export async function enterFlow(
  db: Queryable,
  shopId: number,
  flow: StoredFlow,
  subject: Subject,
  facts: SubjectFacts,
  anchorAt: Date,
  now: Date,
  extra: { markUntil?: Date } = {},
): Promise<'entered' | 'unchanged' | 'not_in_audience'> {
  const { audience } = flow.definition;
  const tags =
    (audience.tags.length || audience.excludeTags.length) && facts.customerKey ? await customerTags(db, shopId, facts.customerKey) : [];
  if (!inAudience(flow.definition, facts, tags)) return 'not_in_audience';
  const first = flow.definition.steps[0]!;
  const due = new Date(Math.max(anchorAt.getTime() + delayMs(first.delay), now.getTime()));
  const heldOut = flow.definition.holdOutPercent > 0 && randomInt(100) < flow.definition.holdOutPercent;
  const created = await insertEnrollment(db, {
    shopId,
    flow: flow.key,
    flowVersion: flow.version,
    subject,
    nextStepAt: due,
    enteredAt: now,
    anchorAt,
    heldOut,
    customerKey: facts.customerKey,
    markUntil: extra.markUntil ?? null,
  });
  return created ? 'entered' : 'unchanged';
}

/**
 * Ends the subject's active enrollments (in the given flows, or all), cancelling what they still
 * have waiting in the outbox. Returns the enrollments that exited.
 */
export async function exitSubject(
  db: Queryable,
  shopId: number,
  subject: Subject,
  reason: string,
  now: Date,
  flows?: string[],
): Promise<number[]> {
  return exitEnrollments(db, await activeEnrollmentIdsOfSubject(db, shopId, subject, flows), reason, now);
}

/** `exitOrderId`: the order whose payment ended them, named in the queue. */
export async function exitEnrollments(db: Queryable, ids: number[], reason: string, now: Date, exitOrderId?: number): Promise<number[]> {
  if (ids.length === 0) return [];
  if ((await markExited(db, ids, reason, now, exitOrderId ?? null)) === 0) return [];
  // A message still waiting (queued, or in retry after a failed send) never goes after the exit.
  for (const id of ids) await cancelPending(db, id);
  return ids;
}

/**
 * A custom exit event (POST /api/flows/events): the customer's active enrollments in flows that
 * list the event among their exit rules end.
 */
export async function exitOnCustomEvent(
  db: Queryable,
  shopId: number,
  event: string,
  who: { email?: string; phone?: string },
  now = new Date(),
): Promise<number> {
  const keys = [who.email ? customerKeyOf(who.email, null) : null, who.phone ? customerKeyOf(null, who.phone) : null].filter(
    (k): k is string => k !== null,
  );
  if (keys.length === 0) return 0;
  return (await exitEnrollments(db, await activeEnrollmentsExitingOn(db, shopId, keys, event), `event ${event}`, now)).length;
}

/**
 * The customer bought (order `orderId`): their active enrollments in flows that exit on purchase,
 * entered before the payment, end — a cart, a win-back, a campaign; never the reminders of another
 * unpaid order, a purchase of its own (the order's own enrollments are the caller's business).
 * Returns them.
 */
export async function exitOnPurchase(
  db: Queryable,
  shopId: number,
  customerKey: string,
  paidAt: Date,
  now: Date,
  orderId: number,
): Promise<SubjectEnrollment[]> {
  const except = { type: 'order', id: String(orderId) };
  const ending = await activeEnrollmentsEndingOnPurchase(db, shopId, customerKey, endOfPaymentSecond(paidAt), except);
  const exited = await exitEnrollments(
    db,
    ending.map((e) => e.id),
    'purchased',
    now,
    orderId,
  );
  return ending.filter((e) => exited.includes(e.id));
}
