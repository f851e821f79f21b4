import type { Pool, RowDataPacket } from 'mysql2/promise';
import pMap from 'p-map';
import { derivedTable } from '../db/batch-sql.ts';
import { GroupCommit } from '../db/group-commit.ts';
import { upsertOrders } from '../events/order-projection.ts';
import { unsubscribedAmong } from '../links/unsubscribe-routes.ts';
import { cancelPending } from '../messages/outbox.ts';
import type { OrderPayload } from '../woo/order-payload.ts';
import type { WooClient } from '../woo/rest-client.ts';
import { delayMs, loadRecoverySettings, type RecoverySettings, type Reminder } from './recovery-settings.ts';
import { decideUnpaid } from './unpaid-eligibility.ts';
import { exitEnrollment, syncUnpaidEnrollment, UNPAID_FLOW } from './unpaid-enrollment.ts';

/** What one due step needs turned into a queued message. */
export type StepMessage = {
  shopId: number;
  enrollmentId: number;
  step: number;
  idempotencyKey: string;
  order: OrderPayload;
  gateway: 'online' | 'offline';
  reminder: Reminder;
};

export type StepRunnerDeps = {
  pool: Pool;
  clock: () => Date;
  workerName: string;
  /** The shop's REST client, for the re-check right before a reminder is queued. */
  wooClient(shopId: number): Promise<WooClient>;
  /** Renders the reminder and queues it in the outbox under the step's idempotency key. */
  queueMessage(message: StepMessage): Promise<void>;
};

/** A step that failed (shop unreachable, bank accounts missing…) is tried again after this. */
const RETRY_FAILED_MS = 60_000;

export type StepOutcome = { queued: number; exited: number; completed: number; failed: number };

/**
 * Runs due reminder steps. A step is a row (`enrollments.next_step_at`), claimed in batches with
 * SKIP LOCKED and a lease, so several sidecars share the work and a crashed one's steps come
 * back after the lease. Before anything is queued the order is read again over REST: a paid or
 * cancelled order leaves recovery instead of being reminded. The outbox's idempotency key
 * (enrollment, step) makes a step that runs twice queue one message.
 *
 * A batch is worked as a batch: per shop, one settings read, one REST request per 100 orders,
 * one statement storing the fresh orders and one looking up opt-outs; the steps' own writes
 * (messages, next steps) are group-committed. Per reminder that leaves the render and the send.
 */
export async function runDueSteps(deps: StepRunnerDeps, options: { limit?: number; leaseMs?: number; concurrency?: number } = {}): Promise<StepOutcome & { claimed: number }> {
  const outcome: StepOutcome = { queued: 0, exited: 0, completed: 0, failed: 0 };
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const claimed = await claimDue(deps, options.limit ?? 100, leaseMs);
  const batch = batchContext(deps, claimed);
  await pMap(claimed, async (row) => {
    try {
      const result = await runStep(deps, batch, row);
      outcome[result]++;
    } catch (error) {
      // Left leased, with the lease shortened so the step is tried again in a minute (the outbox
      // key keeps it single); the reason shows in the queue until a try succeeds.
      outcome.failed++;
      const retryAt = deps.clock().getTime() - leaseMs + RETRY_FAILED_MS;
      await deps.pool.query('UPDATE enrollments SET last_error = ?, locked_at = ? WHERE id = ?', [String((error as Error).message).slice(0, 2000), new Date(retryAt), row.id]);
    }
  }, { concurrency: options.concurrency ?? 32 });
  return { ...outcome, claimed: claimed.length };
}

type Move = { row: Claimed; status: 'active' | 'completed' | 'exited'; nextStepAt: Date | null; reason: string | null; at: Date };

/** What the steps of one claimed batch share, each read or written once for all of them. */
function batchContext(deps: StepRunnerDeps, claimed: Claimed[]) {
  const once = <T>(cache: Map<number, Promise<T>>, shopId: number, load: () => Promise<T>): Promise<T> => {
    if (!cache.has(shopId)) cache.set(shopId, load());
    return cache.get(shopId)!;
  };
  const settings = new Map<number, Promise<RecoverySettings>>();
  const fresh = new Map<number, Promise<Map<number, OrderPayload | null>>>();
  const stored = new Map<number, Promise<void>>();
  const optedOut = new Map<number, Promise<Set<string>>>();
  const orderIds = (shopId: number) => claimed.filter((r) => r.shopId === shopId).map((r) => r.orderId);
  const freshOrders = (shopId: number) => once(fresh, shopId, async () => (await deps.wooClient(shopId)).getOrders(orderIds(shopId)));
  const present = async (shopId: number) => [...(await freshOrders(shopId)).values()].filter((o): o is OrderPayload => o !== null);

  // The steps' state changes, group-committed: advance to the next step, or finish.
  const moves = new GroupCommit<Move, void>(async (entries) => {
    const v = derivedTable(['id', 'step', 'status', 'next_step_at', 'exit_reason', 'at'], entries.map(({ item: m }) => [m.row.id, m.row.step, m.status, m.nextStepAt, m.reason, m.at]));
    await deps.pool.query(
      `UPDATE enrollments e JOIN (${v.sql}) v ON e.id = v.id
       SET e.step = IF(v.status = 'active', e.step + 1, e.step), e.status = v.status, e.next_step_at = v.next_step_at,
           e.exit_reason = v.exit_reason, e.exited_at = IF(v.status = 'active', NULL, v.at),
           e.locked_at = NULL, e.locked_by = NULL, e.last_error = NULL, e.mark_dirty = e.mark_dirty OR v.status <> 'active'
       WHERE e.step = v.step AND e.status = 'active' AND e.flow = ?`,
      [...v.params, UNPAID_FLOW],
    );
    for (const entry of entries) entry.resolve();
  });

  return {
    settings: (shopId: number) => once(settings, shopId, () => loadRecoverySettings(deps.pool, shopId)),
    /** The order as the shop has it now (null: gone), all of the shop's batch in one REST request per 100. */
    fresh: async (row: Claimed) => (await freshOrders(row.shopId)).get(row.orderId) ?? null,
    /** The fresh orders stored, one statement per shop. */
    stored: (shopId: number) => once(stored, shopId, async () => upsertOrders(deps.pool, shopId, await present(shopId))),
    /** Whether the customer opted out of email, looked up for the whole batch at once. */
    unsubscribed: async (shopId: number, email: string) =>
      (await once(optedOut, shopId, async () => unsubscribedAmong(deps.pool, shopId, (await present(shopId)).map((o) => o.billing.email)))).has(email.toLowerCase()),
    move: (move: Move) => moves.submit(move),
  };
}

async function runStep(deps: StepRunnerDeps, batch: ReturnType<typeof batchContext>, row: Claimed): Promise<'queued' | 'exited' | 'completed'> {
  const now = deps.clock();
  const settings = await batch.settings(row.shopId);
  const order = await batch.fresh(row);
  if (!order) {
    await exitEnrollment(deps.pool, row.shopId, row.orderId, 'deleted', now);
    return 'exited';
  }
  // The fresh read is the truth: stored, then judged by the rule that enrolled the order. A
  // paid or cancelled order leaves (a payment is credited); one no longer awaiting payment in
  // a way we remind about (say an online order put on hold for review) leaves too.
  await batch.stored(row.shopId);
  const decision = decideUnpaid(
    { status: order.status, paymentMethod: order.payment_method, total: Number(order.total), datePaid: order.date_paid_gmt },
    settings.gateways,
  );
  if (decision.kind === 'exit') {
    await syncUnpaidEnrollment(deps.pool, row.shopId, row.orderId, now, settings);
    return 'exited';
  }
  const leave = async (reason: string) => {
    await cancelPending(deps.pool, row.id); // an earlier reminder still waiting to be sent stays unsent
    await batch.move({ row, status: 'exited', nextStepAt: null, reason, at: now });
    return 'exited' as const;
  };
  if (decision.kind === 'ignore') return leave(`not awaiting payment (${order.status})`);
  if (order.billing.email && (await batch.unsubscribed(row.shopId, order.billing.email))) return leave('unsubscribed');
  const reminder = settings.reminders[row.step];
  if (!settings.enabled) return leave('recovery switched off');
  if (!reminder) {
    await batch.move({ row, status: 'completed', nextStepAt: null, reason: null, at: now });
    return 'completed';
  }
  await deps.queueMessage({
    shopId: row.shopId,
    enrollmentId: row.id,
    step: row.step,
    idempotencyKey: `enrollment:${row.id}:step:${row.step}`,
    order,
    gateway: decision.gateway,
    reminder,
  });
  const next = settings.reminders[row.step + 1];
  if (!next) {
    await batch.move({ row, status: 'completed', nextStepAt: null, reason: null, at: now });
    return 'queued';
  }
  const placed = order.date_created_gmt ?? now;
  await batch.move({ row, status: 'active', nextStepAt: new Date(Math.max(placed.getTime() + delayMs(next), now.getTime())), reason: null, at: now });
  return 'queued';
}

type Claimed = { id: number; shopId: number; orderId: number; step: number };

async function claimDue(deps: StepRunnerDeps, limit: number, leaseMs: number): Promise<Claimed[]> {
  const now = deps.clock();
  const conn = await deps.pool.getConnection();
  try {
    await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await conn.beginTransaction();
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT id, shop_id, subject_id, step FROM enrollments FORCE INDEX (enrollments_due)
       WHERE status = 'active' AND next_step_at <= ? AND (locked_at IS NULL OR locked_at < ?)
       ORDER BY next_step_at LIMIT ? FOR UPDATE SKIP LOCKED`,
      [now, new Date(now.getTime() - leaseMs), limit],
    );
    if (rows.length) {
      await conn.query('UPDATE enrollments SET locked_at = ?, locked_by = ? WHERE id IN (?)', [now, deps.workerName, rows.map((r) => r.id)]);
    }
    await conn.commit();
    return rows.map((r) => ({ id: Number(r.id), shopId: Number(r.shop_id), orderId: Number(r.subject_id), step: Number(r.step) }));
  } catch (error) {
    await conn.rollback().catch(() => undefined);
    throw error;
  } finally {
    conn.release();
  }
}
