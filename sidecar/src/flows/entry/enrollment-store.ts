import { suppressedSql } from '../../privacy/suppression-store.ts';
import { execute, selectOne, selectRows, type Queryable } from '../../db/queryable.ts';
import { ENDED_STATUSES, PAID_STATUSES } from '../../events/order-status.ts';

/**
 * Enrollments as entry and exit write and read them: a subject entering a flow (one at a time,
 * or a customer audience in one INSERT … SELECT), leaving it, and what an order change, a
 * purchase, a loyalty event or a custom exit event looks up. The rules are in enrollment.ts,
 * order-entry.ts and customer-entry.ts.
 */

export type Subject = { type: string; id: string };
export type EnrollmentRef = { id: number; flow: string };
export type TriggerEnrollment = EnrollmentRef & { status: string; exitReason: string | null };

export async function enrollmentIdsOfSubject(db: Queryable, shopId: number, subject: Subject): Promise<number[]> {
  return selectRows(
    db,
    'SELECT id FROM enrollments WHERE shop_id = ? AND subject_type = ? AND subject_id = ?',
    [shopId, subject.type, subject.id],
    (r) => r.num('id'),
  );
}

/** The subject's enrollments in flows of one trigger (whatever version they run). */
export async function enrollmentsInTrigger(db: Queryable, shopId: number, subject: Subject, event: string): Promise<TriggerEnrollment[]> {
  return selectRows(
    db,
    `SELECT e.id, e.flow, e.status, e.exit_reason FROM enrollments e
     JOIN flow_versions v ON v.shop_id = e.shop_id AND v.flow_key = e.flow AND v.version = e.flow_version
     WHERE e.shop_id = ? AND e.subject_type = ? AND e.subject_id = ? AND JSON_VALUE(v.definition, '$.trigger.event') = ?`,
    [shopId, subject.type, subject.id, event],
    (r) => ({ id: r.num('id'), flow: r.str('flow'), status: r.str('status'), exitReason: r.strOrNull('exit_reason') }),
  );
}

/** The customer's win-back, campaign and loyalty enrollments that completed (last message sent) in [since, …), entered before `enteredBefore`. */
export async function customerEnrollmentsCompletedSince(
  db: Queryable,
  shopId: number,
  customerKey: string,
  enteredBefore: Date,
  since: Date,
): Promise<EnrollmentRef[]> {
  return selectRows(
    db,
    `SELECT id, flow FROM enrollments WHERE shop_id = ? AND customer_key = ? AND status = 'completed' AND subject_type IN ('customer', 'event')
       AND entered_at < ? AND exited_at >= ?`,
    [shopId, customerKey, enteredBefore, since],
    (r) => ({ id: r.num('id'), flow: r.str('flow') }),
  );
}

/** The customer's completed enrollments, entered before `enteredBefore`, in flows that end on a purchase, with messages still waiting in the outbox. */
export async function completedOnPurchaseWithWaitingMessages(
  db: Queryable,
  shopId: number,
  customerKey: string,
  enteredBefore: Date,
): Promise<number[]> {
  return selectRows(
    db,
    `SELECT e.id FROM enrollments e JOIN flow_versions v ON v.shop_id = e.shop_id AND v.flow_key = e.flow AND v.version = e.flow_version
      WHERE e.shop_id = ? AND e.customer_key = ? AND e.status = 'completed' AND e.subject_type IN ('customer', 'event') AND e.entered_at < ?
        AND JSON_VALUE(v.definition, '$.exit.onPurchase') IN ('true', '1')
        AND EXISTS (SELECT 1 FROM outbox m WHERE m.enrollment_id = e.id AND m.status IN ('pending', 'retry'))`,
    [shopId, customerKey, enteredBefore],
    (r) => r.num('id'),
  );
}

/** Of these enrollments, the one whose message was sent last at or before `at` (null: none sent). */
export async function lastMessagedEnrollment(db: Queryable, enrollmentIds: number[], at: Date): Promise<number | null> {
  if (enrollmentIds.length === 0) return null;
  return selectOne(
    db,
    `SELECT enrollment_id FROM outbox WHERE enrollment_id IN (?) AND status = 'sent' AND sent_at <= ? ORDER BY sent_at DESC, id DESC LIMIT 1`,
    [enrollmentIds, at],
    (r) => r.num('enrollment_id'),
  );
}

/** A completed enrollment is marked with what ended its order (paid, paid again as another order), so the queue shows the outcome. */
export async function markCompletedEnded(db: Queryable, enrollmentId: number, reason: string, orderId: number): Promise<void> {
  await execute(
    db,
    "UPDATE enrollments SET exit_reason = ?, exit_order_id = ? WHERE id = ? AND status = 'completed' AND exit_reason IS NULL",
    [reason, orderId, enrollmentId],
  );
}

/**
 * The customer's unpaid-order enrollments about their other orders still open in the shop (not
 * paid, not gone), still running or completed without an outcome, entered before `enteredBefore`,
 * with the order's items and when it was placed: a paid order may be the same purchase retried.
 */
export async function openUnpaidOrdersOfCustomer(
  db: Queryable,
  shopId: number,
  customerKey: string,
  exceptOrderId: number,
  enteredBefore: Date,
): Promise<Array<EnrollmentRef & { status: string; orderId: number; placedAt: Date | null; lineItems: unknown }>> {
  return selectRows(
    db,
    `SELECT e.id, e.flow, e.status, o.order_id, o.date_created, JSON_EXTRACT(o.snapshot, '$.line_items') AS line_items FROM enrollments e
     JOIN flow_versions v ON v.shop_id = e.shop_id AND v.flow_key = e.flow AND v.version = e.flow_version
     JOIN orders o ON o.shop_id = e.shop_id AND o.order_id = CAST(e.subject_id AS UNSIGNED)
     WHERE e.shop_id = ? AND e.customer_key = ? AND e.subject_type = 'order' AND e.subject_id <> ? AND e.entered_at < ?
       AND (e.status = 'active' OR (e.status = 'completed' AND e.exit_reason IS NULL))
       AND JSON_VALUE(v.definition, '$.trigger.event') = 'order.unpaid'
       AND o.date_paid IS NULL AND o.status NOT IN (?)`,
    [shopId, customerKey, String(exceptOrderId), enteredBefore, [...PAID_STATUSES, ...ENDED_STATUSES]],
    (r) => ({
      id: r.num('id'),
      flow: r.str('flow'),
      status: r.str('status'),
      orderId: r.num('order_id'),
      placedAt: r.dateOrNull('date_created'),
      lineItems: r.json('line_items'),
    }),
  );
}

/**
 * An order paid, cancelled or gone needs no keep-alive any more: the marks its completed
 * enrollments keep after their last reminder (until the link's grace ends) are cleared, for the shop.
 */
export async function clearCompletedMarksOfOrder(db: Queryable, shopId: number, orderId: number): Promise<void> {
  await execute(
    db,
    "UPDATE enrollments SET mark_until = NULL, mark_dirty = TRUE WHERE shop_id = ? AND subject_type = 'order' AND subject_id = ? AND status = 'completed' AND mark_until IS NOT NULL",
    [shopId, String(orderId)],
  );
}

/** An enrollment about to be written: its first step due at `nextStepAt`. */
export type NewEnrollment = {
  shopId: number;
  flow: string;
  flowVersion: number;
  subject: Subject;
  nextStepAt: Date;
  enteredAt: Date;
  anchorAt: Date;
  heldOut: boolean;
  customerKey: string | null;
  /** Until when the order stays marked in recovery (unpaid-order flows); null: not marked. */
  markUntil: Date | null;
};

/**
 * Writes an enrollment unless the subject has one in the flow already (unique key) or the shop is
 * not active (paused or disconnected: nobody enters), or the customer asked to be erased (a
 * suppressed customer key: privacy/); true when written.
 */
export async function insertEnrollment(db: Queryable, e: NewEnrollment): Promise<boolean> {
  const result = await execute(
    db,
    `INSERT IGNORE INTO enrollments (shop_id, flow, flow_version, subject_type, subject_id, status, step, next_step_at, entered_at, anchor_at, held_out, customer_key, mark_until, mark_dirty)
     SELECT ?, ?, ?, ?, ?, 'active', 0, ?, ?, ?, ?, ?, ?, ? FROM shops WHERE id = ? AND state = 'active' AND NOT ${suppressedSql('?', '?')}`,
    [
      e.shopId,
      e.flow,
      e.flowVersion,
      e.subject.type,
      e.subject.id,
      e.nextStepAt,
      e.enteredAt,
      e.anchorAt,
      e.heldOut,
      e.customerKey,
      e.markUntil,
      e.markUntil !== null,
      e.shopId,
      e.shopId,
      e.customerKey,
    ],
  );
  return result.affectedRows === 1;
}

/**
 * Enters the customers `from` selects (c.* rows with subject_id, customer_key, anchor_at and
 * position) into a customer flow in one INSERT … SELECT: the hold-out drawn per row, the first
 * step due `firstDelayS` after the anchor (never before now), spread `perMinute` a minute by
 * position when given. The unique subject key skips anyone entered before; a shop not active
 * (paused, disconnected) enters nobody, and a suppressed customer (erased on request) never enters.
 * Answers how many entered.
 */
export async function insertCustomerEnrollments(
  db: Queryable,
  shopId: number,
  flow: { key: string; version: number; holdOutPercent: number },
  from: { sql: string; params: unknown[] },
  entry: { firstDelayS: number; perMinute?: number; now: Date },
): Promise<number> {
  const { now } = entry;
  const spread = entry.perMinute ? `FLOOR((s.position - 1) / ${Number(entry.perMinute)}) * 60` : '0';
  const result = await execute(
    db,
    `INSERT IGNORE INTO enrollments (shop_id, flow, flow_version, subject_type, subject_id, status, step, next_step_at, entered_at, anchor_at, held_out, customer_key, spread_s)
     SELECT ?, ?, ?, 'customer', s.subject_id, 'active', 0, GREATEST(s.anchor_at + INTERVAL ? SECOND, ?) + INTERVAL ${spread} SECOND, ?, s.anchor_at, RAND() * 100 < ?, s.customer_key, ${spread}
       FROM (${from.sql}) s JOIN shops sh ON sh.id = ? AND sh.state = 'active'
      WHERE NOT ${suppressedSql('sh.id', 's.customer_key')}`,
    [shopId, flow.key, flow.version, entry.firstDelayS, now, now, flow.holdOutPercent, ...from.params, shopId],
  );
  return result.affectedRows;
}

/**
 * Ends these enrollments if still active, with the order whose payment ended them when one did;
 * answers how many ended. An order marked in recovery is re-marked.
 */
export async function markExited(
  db: Queryable,
  ids: number[],
  reason: string,
  now: Date,
  exitOrderId: number | null = null,
): Promise<number> {
  const result = await execute(
    db,
    `UPDATE enrollments SET status = 'exited', exit_reason = ?, exit_order_id = ?, exited_at = ?, next_step_at = NULL, locked_at = NULL,
       mark_dirty = mark_dirty OR mark_until IS NOT NULL
     WHERE id IN (?) AND status = 'active'`,
    [reason, exitOrderId, now, ids],
  );
  return result.affectedRows;
}

/** The subject's active enrollments, in the given flows or all. */
export async function activeEnrollmentIdsOfSubject(db: Queryable, shopId: number, subject: Subject, flows?: string[]): Promise<number[]> {
  return selectRows(
    db,
    `SELECT id FROM enrollments WHERE shop_id = ? AND subject_type = ? AND subject_id = ? AND status = 'active' ${flows ? 'AND flow IN (?)' : ''}`,
    flows ? [shopId, subject.type, subject.id, flows] : [shopId, subject.type, subject.id],
    (r) => r.num('id'),
  );
}

/** The active enrollments of these customer keys in flows that list `event` among their exit events. */
export async function activeEnrollmentsExitingOn(db: Queryable, shopId: number, customerKeys: string[], event: string): Promise<number[]> {
  return selectRows(
    db,
    `SELECT e.id FROM enrollments e JOIN flow_versions v ON v.shop_id = e.shop_id AND v.flow_key = e.flow AND v.version = e.flow_version
     WHERE e.shop_id = ? AND e.customer_key IN (?) AND e.status = 'active' AND JSON_CONTAINS(JSON_EXTRACT(v.definition, '$.exit.events'), JSON_QUOTE(?))`,
    [shopId, customerKeys, event],
    (r) => r.num('id'),
  );
}

export type SubjectEnrollment = EnrollmentRef & { subjectType: string; subjectId: string };

/**
 * The customer's active enrollments entered before `enteredBefore`, in flows that end on a
 * purchase, except those about `except` and those about another unpaid order: a different
 * purchase paid does not pay it (openUnpaidOrdersOfCustomer finds the same one retried).
 */
export async function activeEnrollmentsEndingOnPurchase(
  db: Queryable,
  shopId: number,
  customerKey: string,
  enteredBefore: Date,
  except: Subject,
): Promise<SubjectEnrollment[]> {
  return selectRows(
    db,
    `SELECT e.id, e.flow, e.subject_type, e.subject_id FROM enrollments e
     JOIN flow_versions v ON v.shop_id = e.shop_id AND v.flow_key = e.flow AND v.version = e.flow_version
     WHERE e.shop_id = ? AND e.customer_key = ? AND e.status = 'active' AND e.entered_at < ?
       AND JSON_VALUE(v.definition, '$.exit.onPurchase') IN ('true', '1') -- MySQL says 'true', MariaDB '1'
       AND NOT (e.subject_type = 'order' AND JSON_VALUE(v.definition, '$.trigger.event') = 'order.unpaid')
       AND NOT (e.subject_type = ? AND e.subject_id = ?)`,
    [shopId, customerKey, enteredBefore, except.type, except.id],
    (r) => ({ id: r.num('id'), flow: r.str('flow'), subjectType: r.str('subject_type'), subjectId: r.str('subject_id') }),
  );
}

/** The customer's enrollments in one flow about loyalty events other than `exceptEventId`, whatever their status. */
export async function otherEventEnrollments(
  db: Queryable,
  shopId: number,
  flow: string,
  customerKey: string,
  exceptEventId: string,
): Promise<Array<{ id: number; eventId: number }>> {
  return selectRows(
    db,
    "SELECT id, CAST(subject_id AS UNSIGNED) AS event_id FROM enrollments WHERE shop_id = ? AND flow = ? AND customer_key = ? AND subject_type = 'event' AND subject_id <> ?",
    [shopId, flow, customerKey, exceptEventId],
    (r) => ({ id: r.num('id'), eventId: r.num('event_id') }),
  );
}

/** The customer's active enrollments about the issue of the voucher with this code. */
export async function activeVoucherEnrollments(db: Queryable, shopId: number, customerKey: string, code: string): Promise<number[]> {
  return selectRows(
    db,
    `SELECT e.id FROM enrollments e JOIN loyalty_events l ON l.shop_id = e.shop_id AND l.id = CAST(e.subject_id AS UNSIGNED)
      WHERE e.shop_id = ? AND e.subject_type = 'event' AND e.status = 'active' AND e.customer_key = ? AND l.type = 'voucher.issued' AND JSON_VALUE(l.payload, '$.voucher.code') = ?`,
    [shopId, customerKey, code],
    (r) => r.num('id'),
  );
}
