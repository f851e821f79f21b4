import { execute, selectOne, selectRows, type Queryable } from '../../db/queryable.ts';

/** Enrollments as an order change reads and marks them (the rules are in order-entry.ts). */

export type Subject = { type: string; id: string };
export type EnrollmentRef = { id: number; flow: string };
export type TriggerEnrollment = EnrollmentRef & { status: string; exitReason: string | null };

export async function enrollmentIdsOfSubject(db: Queryable, shopId: number, subject: Subject): Promise<number[]> {
  return selectRows(db, 'SELECT id FROM enrollments WHERE shop_id = ? AND subject_type = ? AND subject_id = ?', [shopId, subject.type, subject.id], (r) =>
    r.num('id'),
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
export async function customerEnrollmentsCompletedSince(db: Queryable, shopId: number, customerKey: string, enteredBefore: Date, since: Date): Promise<EnrollmentRef[]> {
  return selectRows(
    db,
    `SELECT id, flow FROM enrollments WHERE shop_id = ? AND customer_key = ? AND status = 'completed' AND subject_type IN ('customer', 'event')
       AND entered_at < ? AND exited_at >= ?`,
    [shopId, customerKey, enteredBefore, since],
    (r) => ({ id: r.num('id'), flow: r.str('flow') }),
  );
}

/** The customer's completed enrollments, entered before `enteredBefore`, in flows that end on a purchase, with messages still waiting in the outbox. */
export async function completedOnPurchaseWithWaitingMessages(db: Queryable, shopId: number, customerKey: string, enteredBefore: Date): Promise<number[]> {
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

/** A completed enrollment is marked paid, so the queue shows the outcome. */
export async function markCompletedPaid(db: Queryable, enrollmentId: number): Promise<void> {
  await execute(db, "UPDATE enrollments SET exit_reason = 'paid' WHERE id = ? AND status = 'completed' AND exit_reason IS NULL", [enrollmentId]);
}
