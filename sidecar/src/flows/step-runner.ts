import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import pMap from 'p-map';
import { isUnsubscribed } from '../links/unsubscribe-routes.ts';
import type { OrderPayload } from '../woo/order-payload.ts';
import type { WooClient } from '../woo/rest-client.ts';
import { delayMs, loadRecoverySettings, type RecoverySettings, type Reminder } from './recovery-settings.ts';
import { classifyGateway } from './unpaid-eligibility.ts';
import { exitEnrollment, recordOrder, UNPAID_FLOW } from './unpaid-enrollment.ts';

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
 * back after the lease. Before anything is queued the order is read again over REST (the batch's
 * orders in one request per 100): a paid or cancelled order leaves recovery instead of being reminded. The outbox's idempotency key
 * (enrollment, step) makes a step that runs twice queue one message.
 */
export async function runDueSteps(deps: StepRunnerDeps, options: { limit?: number; leaseMs?: number; concurrency?: number } = {}): Promise<StepOutcome & { claimed: number }> {
  const outcome: StepOutcome = { queued: 0, exited: 0, completed: 0, failed: 0 };
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const claimed = await claimDue(deps, options.limit ?? 100, leaseMs);
  // Each shop's settings are read once per batch, not once per step.
  const settingsByShop = new Map<number, Promise<RecoverySettings>>();
  const settingsOf = (shopId: number) => {
    if (!settingsByShop.has(shopId)) settingsByShop.set(shopId, loadRecoverySettings(deps.pool, shopId));
    return settingsByShop.get(shopId)!;
  };
  // The re-check before sending reads each shop's claimed orders in one REST request per 100.
  const freshByShop = new Map<number, Promise<Map<number, OrderPayload | null>>>();
  const freshOrder = async (row: Claimed) => {
    if (!freshByShop.has(row.shopId)) {
      const ids = claimed.filter((r) => r.shopId === row.shopId).map((r) => r.orderId);
      freshByShop.set(row.shopId, deps.wooClient(row.shopId).then((client) => client.getOrders(ids)));
    }
    return (await freshByShop.get(row.shopId)!).get(row.orderId) ?? null;
  };
  // Each step then waits mostly on the database: run several at once.
  await pMap(claimed, async (row) => {
    try {
      const result = await runStep(deps, row, await settingsOf(row.shopId), await freshOrder(row));
      outcome[result]++;
    } catch (error) {
      // Left leased, with the lease shortened so the step is tried again in a minute (the outbox
      // key keeps it single); the reason shows in the queue until a try succeeds.
      outcome.failed++;
      const retryAt = deps.clock().getTime() - leaseMs + RETRY_FAILED_MS;
      await deps.pool.query('UPDATE enrollments SET last_error = ?, locked_at = ? WHERE id = ?', [String((error as Error).message).slice(0, 2000), new Date(retryAt), row.id]);
    }
  }, { concurrency: options.concurrency ?? 16 });
  return { ...outcome, claimed: claimed.length };
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

async function runStep(deps: StepRunnerDeps, row: Claimed, settings: RecoverySettings, order: OrderPayload | null): Promise<'queued' | 'exited' | 'completed'> {
  const now = deps.clock();
  if (!order) {
    await exitEnrollment(deps.pool, row.shopId, row.orderId, 'deleted', now);
    return 'exited';
  }
  // The fresh read is the truth: store it, and let the same rule that enrolled the order decide.
  if ((await recordOrder(deps.pool, row.shopId, order, now, settings)) === 'exited') return 'exited';

  if (order.billing.email && (await isUnsubscribed(deps.pool, row.shopId, order.billing.email))) {
    await exitEnrollment(deps.pool, row.shopId, row.orderId, 'unsubscribed', now);
    return 'exited';
  }
  const reminder = settings.reminders[row.step];
  const gateway = classifyGateway(order.payment_method, settings.gateways);
  if (!settings.enabled || !reminder || gateway === 'never') {
    await finish(deps.pool, row, settings.enabled ? 'completed' : 'exited', settings.enabled ? null : 'recovery switched off', now);
    return settings.enabled ? 'completed' : 'exited';
  }
  await deps.queueMessage({
    shopId: row.shopId,
    enrollmentId: row.id,
    step: row.step,
    idempotencyKey: `enrollment:${row.id}:step:${row.step}`,
    order,
    gateway,
    reminder,
  });
  const next = settings.reminders[row.step + 1];
  if (!next) {
    await finish(deps.pool, row, 'completed', null, now);
    return 'queued';
  }
  const placed = order.date_created_gmt ?? now;
  const due = new Date(Math.max(placed.getTime() + delayMs(next), now.getTime()));
  await deps.pool.query<ResultSetHeader>(
    `UPDATE enrollments SET step = step + 1, next_step_at = ?, locked_at = NULL, locked_by = NULL, last_error = NULL
     WHERE id = ? AND step = ? AND status = 'active'`,
    [due, row.id, row.step],
  );
  return 'queued';
}

async function finish(pool: Pool, row: Claimed, status: 'completed' | 'exited', reason: string | null, now: Date): Promise<void> {
  await pool.query(
    `UPDATE enrollments SET status = ?, exit_reason = ?, exited_at = ?, next_step_at = NULL, locked_at = NULL, locked_by = NULL, last_error = NULL
     WHERE id = ? AND step = ? AND status = 'active' AND flow = ?`,
    [status, reason, now, row.id, row.step, UNPAID_FLOW],
  );
}
