import { randomInt } from 'node:crypto';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { cancelPending } from '../../messages/outbox.ts';
import { endOfPaymentSecond } from '../../reports/attribution.ts';
import { delayMs, type FlowDefinition, type SubjectType } from '../definition/flow-definition.ts';
import type { StoredFlow } from '../definition/flow-store.ts';
import type { Queryable } from '../../db/queryable.ts';
import { customerKeyOf } from '../../customers/customer-key.ts';


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

async function customerTags(db: Queryable, shopId: number, customerKey: string | null): Promise<string[]> {
  if (!customerKey) return [];
  const [rows] = await db.query<RowDataPacket[]>('SELECT tag FROM customer_tags WHERE shop_id = ? AND customer_key = ?', [shopId, customerKey]);
  return rows.map((r) => String(r.tag));
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
  const tags = audience.tags.length || audience.excludeTags.length ? await customerTags(db, shopId, facts.customerKey) : [];
  if (!inAudience(flow.definition, facts, tags)) return 'not_in_audience';
  const first = flow.definition.steps[0]!;
  const due = new Date(Math.max(anchorAt.getTime() + delayMs(first.delay), now.getTime()));
  const heldOut = flow.definition.holdOutPercent > 0 && randomInt(100) < flow.definition.holdOutPercent;
  const [result] = await db.query<ResultSetHeader>(
    `INSERT IGNORE INTO enrollments (shop_id, flow, flow_version, subject_type, subject_id, status, step, next_step_at, entered_at, anchor_at, held_out, customer_key, mark_until, mark_dirty)
     VALUES (?, ?, ?, ?, ?, 'active', 0, ?, ?, ?, ?, ?, ?, ?)`,
    [shopId, flow.key, flow.version, subject.type, subject.id, due, now, anchorAt, heldOut, facts.customerKey, extra.markUntil ?? null, extra.markUntil !== undefined],
  );
  return result.affectedRows === 1 ? 'entered' : 'unchanged';
}

/**
 * Ends the subject's active enrollments (in the given flows, or all), cancelling what they still
 * have waiting in the outbox. Returns the enrollments that exited.
 */
export async function exitSubject(db: Queryable, shopId: number, subject: Subject, reason: string, now: Date, flows?: string[]): Promise<number[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT id FROM enrollments WHERE shop_id = ? AND subject_type = ? AND subject_id = ? AND status = 'active' ${flows ? 'AND flow IN (?)' : ''}`,
    flows ? [shopId, subject.type, subject.id, flows] : [shopId, subject.type, subject.id],
  );
  return exitEnrollments(db, rows.map((r) => Number(r.id)), reason, now);
}

export async function exitEnrollments(db: Queryable, ids: number[], reason: string, now: Date): Promise<number[]> {
  if (ids.length === 0) return [];
  const [result] = await db.query<ResultSetHeader>(
    `UPDATE enrollments SET status = 'exited', exit_reason = ?, exited_at = ?, next_step_at = NULL, locked_at = NULL,
       mark_dirty = mark_dirty OR mark_until IS NOT NULL
     WHERE id IN (?) AND status = 'active'`,
    [reason, now, ids],
  );
  if (result.affectedRows === 0) return [];
  // A message still waiting (queued, or in retry after a failed send) never goes after the exit.
  for (const id of ids) await cancelPending(db, id);
  return ids;
}

/**
 * A custom exit event (POST /api/flows/events): the customer's active enrollments in flows that
 * list the event among their exit rules end.
 */
export async function exitOnCustomEvent(db: Queryable, shopId: number, event: string, who: { email?: string; phone?: string }, now = new Date()): Promise<number> {
  const keys = [who.email ? customerKeyOf(who.email, null) : null, who.phone ? customerKeyOf(null, who.phone) : null].filter((k): k is string => k !== null);
  if (keys.length === 0) return 0;
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT e.id FROM enrollments e JOIN flow_versions v ON v.shop_id = e.shop_id AND v.flow_key = e.flow AND v.version = e.flow_version
     WHERE e.shop_id = ? AND e.customer_key IN (?) AND e.status = 'active' AND JSON_CONTAINS(JSON_EXTRACT(v.definition, '$.exit.events'), JSON_QUOTE(?))`,
    [shopId, keys, event],
  );
  return (await exitEnrollments(db, rows.map((r) => Number(r.id)), `event ${event}`, now)).length;
}

/**
 * The customer bought: their active enrollments in flows that exit on purchase, entered before
 * the payment, end (the order's own enrollments are the caller's business). Returns them.
 */
export async function exitOnPurchase(db: Queryable, shopId: number, customerKey: string, paidAt: Date, now: Date, except: Subject): Promise<Array<{ id: number; flow: string; subjectType: string; subjectId: string }>> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT e.id, e.flow, e.subject_type, e.subject_id FROM enrollments e
     JOIN flow_versions v ON v.shop_id = e.shop_id AND v.flow_key = e.flow AND v.version = e.flow_version
     WHERE e.shop_id = ? AND e.customer_key = ? AND e.status = 'active' AND e.entered_at < ?
       AND JSON_VALUE(v.definition, '$.exit.onPurchase') IN ('true', '1') -- MySQL says 'true', MariaDB '1'
       AND NOT (e.subject_type = ? AND e.subject_id = ?)`,
    [shopId, customerKey, endOfPaymentSecond(paidAt), except.type, except.id],
  );
  const exited = await exitEnrollments(db, rows.map((r) => Number(r.id)), 'purchased', now);
  return rows.filter((r) => exited.includes(Number(r.id))).map((r) => ({ id: Number(r.id), flow: String(r.flow), subjectType: String(r.subject_type), subjectId: String(r.subject_id) }));
}
