import type { Pool } from 'mysql2/promise';
import { derivedTable } from '../../db/batch-sql.ts';
import { execute, selectOne, selectRows, type Queryable } from '../../db/queryable.ts';
import type { SubjectType } from '../definition/flow-texts.ts';
import { inTransaction } from '../../db/transaction.ts';
import { heldShopIds } from '../../woo/shop-state-store.ts';

/**
 * What the step runner reads and writes of enrollments (claiming due steps, moving them on, a
 * failed try) and of step_log, plus the outbox counts the frequency cap reads. Each batched
 * statement stays one statement: the runner's query count per batch is benchmarked.
 */

/** A due step, claimed: its enrollment as the runner needs it. */
export type Claimed = {
  id: number;
  shopId: number;
  flow: string;
  flowVersion: number;
  subjectType: SubjectType;
  subjectId: string;
  step: number;
  heldOut: boolean;
  customerKey: string | null;
  anchorAt: Date | null;
  enteredAt: Date;
  /** Seconds into its campaign's spread (0 for other flows). */
  spreadS: number;
  /** When the step was due (next_step_at as claimed): how late it was claimed is a metric. */
  dueAt: Date;
};

/**
 * Where a step leaves its enrollment: on to the next step (advance), waiting on this one, or
 * completed. `graceS`: how long a reminder's link may still be used after it is sent (an order
 * marked in recovery stays marked until its next step, or the completing one, plus this).
 */
export type Move = { row: Claimed; status: 'active' | 'completed'; nextStepAt: Date | null; advance: boolean; at: Date; graceS: number };

/** One decision about a step: what the admin's "why not sent" shows. */
export type StepLogEntry = {
  enrollmentId: number;
  step: number;
  channel: string | null;
  outcome: string;
  detail: string | null;
  outboxId: number | null;
  at: Date;
};

/** The claim's one statement: due steps, oldest first, by the enrollments_due range scan; with held shops, their ids filtered on it. */
export const claimDueSql = (withHeldShops: boolean) =>
  `SELECT id, shop_id, flow, flow_version, subject_type, subject_id, step, held_out, customer_key, anchor_at, entered_at, spread_s, next_step_at FROM enrollments FORCE INDEX (enrollments_due)
   WHERE status = 'active' AND next_step_at <= ? AND (locked_at IS NULL OR locked_at < ?)${withHeldShops ? ' AND shop_id NOT IN (?)' : ''}
   ORDER BY next_step_at LIMIT ? FOR UPDATE SKIP LOCKED`;

/**
 * Claims up to `limit` due steps for this worker: a lease (locked_at) that another sidecar skips
 * until it is `leaseMs` old. READ COMMITTED with SKIP LOCKED: sidecars claiming at once take
 * different rows, and the locking read takes no gap locks that would block new enrollments.
 */
export async function claimDue(pool: Pool, claim: { now: Date; leaseMs: number; limit: number; workerName: string }): Promise<Claimed[]> {
  const { now } = claim;
  return inTransaction(
    pool,
    async (conn) => {
      // A paused or disconnected shop's steps wait (held, not lost); its id is filtered on the
      // same index range scan, so the claim reads no other table and locks no shop row.
      const held = await heldShopIds(conn);
      const rows = await selectRows(
        conn,
        claimDueSql(held.length > 0),
        [now, new Date(now.getTime() - claim.leaseMs), ...(held.length ? [held] : []), claim.limit],
        (r): Claimed => ({
          id: r.num('id'),
          shopId: r.num('shop_id'),
          flow: r.str('flow'),
          flowVersion: r.num('flow_version'),
          subjectType: r.str('subject_type') as SubjectType,
          subjectId: r.str('subject_id'),
          step: r.num('step'),
          heldOut: r.bool('held_out'),
          customerKey: r.strOrNull('customer_key'),
          anchorAt: r.dateOrNull('anchor_at'),
          enteredAt: r.date('entered_at'),
          spreadS: r.numOrNull('spread_s') ?? 0,
          dueAt: r.date('next_step_at'),
        }),
      );
      if (rows.length)
        await execute(conn, 'UPDATE enrollments SET locked_at = ?, locked_by = ? WHERE id IN (?)', [
          now,
          claim.workerName,
          rows.map((r) => r.id),
        ]);
      return rows;
    },
    { readCommitted: true },
  );
}

/**
 * When the earliest active step due after `after` falls due (null: none): the step loop sleeps
 * until then rather than a whole poll. One descent of enrollments_due (status, next_step_at).
 */
export async function nextStepDueAt(db: Queryable, after: Date): Promise<Date | null> {
  return selectOne(db, "SELECT MIN(next_step_at) AS due FROM enrollments WHERE status = 'active' AND next_step_at > ?", [after], (r) =>
    r.dateOrNull('due'),
  );
}

/**
 * Moves steps finishing together in one UPDATE, releasing their lease. A move applies only to
 * an enrollment still active on the step it was claimed at (an exit meanwhile wins).
 *
 * An order marked in recovery keeps its mark while the link of its last reminder may still be
 * used: a completing step sets it to that send plus the grace (the mark outlives the
 * enrollment; payment, cancellation or an exit clear it), a step due later than planned
 * (send window) pushes it to that step plus the grace. Either flags it for the shop. The flag's
 * test reads the same whether MariaDB assigns it before or after `mark_until` (a multi-table
 * UPDATE promises no order): GREATEST(m, x) <= x exactly when m <= x.
 */
export async function applyMoves(db: Queryable, moves: Move[]): Promise<void> {
  const v = derivedTable(
    ['id', 'step', 'status', 'next_step_at', 'advance', 'at', 'grace_s'],
    moves.map((m) => [m.row.id, m.row.step, m.status, m.nextStepAt, m.advance ? 1 : 0, m.at, m.graceS]),
  );
  await execute(
    db,
    `UPDATE enrollments e JOIN (${v.sql}) v ON e.id = v.id
     SET e.step = e.step + v.advance, e.status = v.status, e.next_step_at = v.next_step_at,
         e.exited_at = IF(v.status = 'active', NULL, v.at),
         e.locked_at = NULL, e.locked_by = NULL, e.last_error = NULL,
         e.mark_dirty = e.mark_dirty OR (e.mark_until IS NOT NULL AND (v.status <> 'active' OR e.mark_until <= v.next_step_at + INTERVAL v.grace_s SECOND)),
         e.mark_until = IF(e.mark_until IS NULL, NULL,
           IF(v.status = 'active', GREATEST(e.mark_until, v.next_step_at + INTERVAL v.grace_s SECOND), v.at + INTERVAL v.grace_s SECOND))
     WHERE e.step = v.step AND e.status = 'active'`,
    v.params,
  );
}

/** A step that failed keeps its lease until `retryAt` and shows why in the queue. */
export async function markStepFailed(db: Queryable, enrollmentId: number, error: string, retryAt: Date): Promise<void> {
  await execute(db, 'UPDATE enrollments SET last_error = ?, locked_at = ? WHERE id = ?', [error.slice(0, 2000), retryAt, enrollmentId]);
}

export async function enrollmentStillActive(db: Queryable, enrollmentId: number): Promise<boolean> {
  return (
    (await selectOne(db, "SELECT 1 AS active FROM enrollments WHERE id = ? AND status = 'active'", [enrollmentId], () => true)) ?? false
  );
}

/** Writes step decisions, one INSERT for all of them. */
export async function writeStepLog(db: Queryable, entries: StepLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await execute(db, 'INSERT INTO step_log (enrollment_id, step, channel, outcome, detail, outbox_id, at) VALUES ?', [
    entries.map((l) => [l.enrollmentId, l.step, l.channel, l.outcome, l.detail?.slice(0, 512) ?? null, l.outboxId, l.at]),
  ]);
}

/** How many messages each of these customers got or has queued since `since`, across flows and channels (cancelled and failed ones do not count). */
export async function recentMessageCounts(
  db: Queryable,
  shopId: number,
  customerKeys: string[],
  since: Date,
): Promise<Map<string, number>> {
  const rows = await selectRows(
    db,
    "SELECT customer_key, COUNT(*) AS n FROM outbox WHERE shop_id = ? AND customer_key IN (?) AND created_at >= ? AND status NOT IN ('cancelled', 'failed') GROUP BY customer_key",
    [shopId, customerKeys, since],
    (r) => [r.str('customer_key'), r.num('n')] as const,
  );
  return new Map(rows);
}

/** Moves the lease of claimed steps still carrying one of our stamps (`ours`) to `next` (scheduler/lease-keeper.ts). */
export async function renewStepLeases(db: Queryable, ids: number[], next: Date, ours: Date[]): Promise<void> {
  await execute(db, 'UPDATE enrollments SET locked_at = ? WHERE id IN (?) AND locked_at IN (?)', [next, ids, ours]);
}
