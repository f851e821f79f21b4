import type { Pool } from 'mysql2/promise';
import type { Logger } from '../../logger.ts';
import pMap from 'p-map';
import { couponExpiry, issueCoupon } from '../../offers/coupons.ts';
import type { WooClient } from '../../woo/rest-client.ts';
import { keepLease } from '../../scheduler/lease-keeper.ts';
import { addressesOf, chooseChannel, contactOf } from './channel-choice.ts';
import { customerSubjectEnds } from './customer-subject-ends.ts';
import { exitEnrollments } from '../entry/enrollment.ts';
import type { MessageChannel } from '../../messages/message-channel.ts';
import { delayMs, linkGraceMs, type FlowStep } from '../definition/flow-definition.ts';
import type { OrderChanges } from '../../events/order-changes.ts';
import { DEFAULT_GATEWAYS } from '../definition/presets.ts';
import { nextSendTime, spreadInWindow, subjectTimeZone } from './send-window.ts';
import { batchContext, type Batch } from './step-batch.ts';
import { stepKey, stepTemplateKey } from './step-keys.ts';
import { claimDue, enrollmentStillActive, markStepFailed, type Claimed, renewStepLeases } from './step-store.ts';
import type { MessageSubject, StepCoupon, StepMessage } from '../../messages/step-message.ts';
import { decideUnpaid, orderFactsOf } from '../entry/unpaid-eligibility.ts';
import { countStepClaim, countStepOutcomes, type Metrics } from '../../metrics/metrics.ts';
import { stepLanguage } from './step-language.ts';

export type StepRunnerDeps = {
  pool: Pool;
  clock: () => Date;
  workerName: string;
  /** The shop's REST client, for the re-check right before a message is queued. */
  wooClient(shopId: number): Promise<WooClient>;
  /** Renders the step for one channel and queues it in the outbox under its idempotency key. */
  queueMessage(message: StepMessage): Promise<{ id: number; created: boolean }>;
  /** Which channels can send at all (provider configured). */
  channels: () => Record<MessageChannel, boolean>;
  /** The order-change pipe: a fresh read that ends the flow is applied to every room, as a webhook carrying it would be. */
  orderChanges: OrderChanges;
  /** Told at info of each step that did not send now (postponed, skipped, exited), with ids and the reason only. */
  logger?: Pick<Logger, 'info'>;
  /** Claims, their time and lateness, and what became of the steps (/metrics). */
  metrics?: Metrics;
};

/** A step that failed (shop unreachable, bank accounts missing…) is tried again after this. */
const RETRY_FAILED_MS = 60_000;

export type StepOutcome = { queued: number; skipped: number; deferred: number; exited: number; completed: number; failed: number };

/**
 * Runs due flow steps. A step is a row (`enrollments.next_step_at`), claimed in batches with SKIP
 * LOCKED and a lease, so several sidecars share the work and a crashed one's steps come back
 * after the lease. For each, in order:
 *   1. the subject is read fresh (an order over REST, a cart from its row) and the flow's exit
 *      rules applied: a paid, cancelled or deleted order, an ordered cart, a purchase, a flow
 *      switched off — the enrollment leaves instead of sending;
 *   2. a held-out entrant, or a step whose conditions fail (no item low in stock…), is recorded
 *      and skipped;
 *   3. outside the send window in the customer's zone, the step waits for the window's opening;
 *   4. over the frequency cap (marketing flows), the step is skipped;
 *   5. the first channel of the step's list the customer can be reached on (address, consent,
 *      provider set up) gets the message; the reasons the others could not are recorded;
 *   6. a step with an offer gets the customer's personal coupon, created in WooCommerce;
 *   7. the message goes in the customer's language (step-language.ts), recorded on it.
 * Every decision is written to step_log: the admin sees why a step did or did not send. The
 * outbox's idempotency key (enrollment, step) makes a step that runs twice queue one message.
 *
 * A batch is worked as a batch: per shop one read of each setting, one REST request per 100
 * orders and per 100 products, one consent lookup per channel; the steps' own writes are
 * group-committed.
 */
export async function runDueSteps(
  deps: StepRunnerDeps,
  options: { limit?: number; leaseMs?: number; concurrency?: number } = {},
): Promise<StepOutcome & { claimed: number }> {
  const outcome: StepOutcome = { queued: 0, skipped: 0, deferred: 0, exited: 0, completed: 0, failed: 0 };
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const leasedAt = deps.clock();
  const endClaim = deps.metrics?.stepClaim.startTimer();
  const claimed = await claimDue(deps.pool, { now: leasedAt, leaseMs, limit: options.limit ?? 100, workerName: deps.workerName });
  endClaim?.();
  countStepClaim(deps.metrics, claimed, leasedAt);
  if (claimed.length === 0) return { ...outcome, claimed: 0 };
  // Renewed while the batch runs: finished steps (locked_at NULL) and failed ones (locked_at set
  // for their retry) no longer carry our stamp and are left alone.
  const ids = claimed.map((r) => r.id);
  const lease = keepLease({
    leaseMs,
    stamp: leasedAt,
    renew: (next, ours) => renewStepLeases(deps.pool, ids, next, ours),
  });
  try {
    await workBatch(deps, claimed, outcome, leaseMs, options.concurrency ?? 32);
  } finally {
    await lease.stop();
    countStepOutcomes(deps.metrics, outcome);
  }
  return { ...outcome, claimed: claimed.length };
}

async function workBatch(
  deps: StepRunnerDeps,
  claimed: Claimed[],
  outcome: StepOutcome,
  leaseMs: number,
  concurrency: number,
): Promise<void> {
  const batch = batchContext(deps, claimed);
  batch.prefetch();
  await pMap(
    claimed,
    async (row) => {
      try {
        outcome[await runStep(deps, batch, row)]++;
      } catch (error) {
        // Left leased, with the lease shortened so the step is tried again in a minute (the outbox
        // key keeps it single); the reason shows in the queue until a try succeeds.
        outcome.failed++;
        const retryAt = deps.clock().getTime() - leaseMs + RETRY_FAILED_MS;
        await markStepFailed(deps.pool, row.id, String((error as Error).message), new Date(retryAt));
      }
    },
    { concurrency },
  );
  await batch.flush();
}

async function runStep(deps: StepRunnerDeps, batch: Batch, row: Claimed): Promise<keyof StepOutcome> {
  const now = deps.clock();
  const flow = await batch.definition(row);
  // One info line per step that did not send now: ids and the reason's code, never an address or a text.
  const note = (msg: string, reason: string, more: Record<string, unknown> = {}) =>
    deps.logger?.info({ shopId: row.shopId, enrollmentId: row.id, flow: row.flow, step: row.step, reason, ...more }, msg);
  const leave = async (reason: string) => {
    await exitEnrollments(deps.pool, [row.id], reason, now);
    batch.log({ enrollmentId: row.id, step: row.step, channel: null, outcome: 'exited', detail: reason, outboxId: null });
    note('flow step not sent: enrollment exited', reason);
    return 'exited' as const;
  };
  if (!flow) return leave('flow version missing');
  // An unpaid order stays marked in recovery until its next (or last) reminder plus this grace.
  const graceS = linkGraceMs(flow.trigger) / 1000;

  // 1. The subject, fresh, and the flow's exit rules.
  let subject: MessageSubject;
  let items: Array<{ productId: number; stock?: number | null }> = [];
  let total: number;
  if (row.subjectType === 'order') {
    const order = await batch.order(row);
    if (!order) return leave('deleted');
    // The fresh read is the truth. A state that ends this flow (paid or gone for an unpaid-order
    // flow; cancelled, refunded or trashed for any) is applied to every flow about the order,
    // with the payment credited, exactly as a webhook carrying it would be.
    const decision = decideUnpaid(orderFactsOf(order), flow.trigger.event === 'order.unpaid' ? flow.trigger.gateways : DEFAULT_GATEWAYS);
    const ends = decision.kind === 'exit' && (flow.trigger.event === 'order.unpaid' || decision.reason !== 'paid');
    if (ends) {
      await deps.orderChanges.changed(deps.pool, row.shopId, Number(row.subjectId), now);
      if (!(await enrollmentStillActive(deps.pool, row.id))) {
        note('flow step not sent: enrollment exited', decision.reason);
        return 'exited';
      }
      return leave(decision.reason);
    }
    let gateway: 'online' | 'offline' | null = null;
    if (flow.trigger.event === 'order.unpaid') {
      // Not awaiting payment in a way we remind about (say an online order put on hold for review).
      if (decision.kind !== 'enter') return leave(`not awaiting payment (${order.status})`);
      gateway = decision.gateway;
    }
    subject = { kind: 'order', order, gateway };
    const raw = order as unknown as { line_items?: Array<{ product_id?: number; variation_id?: number }> };
    items = (raw.line_items ?? []).map((i) => ({ productId: Number(i.variation_id || i.product_id) }));
    total = Number(order.total);
  } else if (row.subjectType === 'cart') {
    const cart = await batch.cart(row);
    if (!cart) return leave('cart gone');
    if (cart.status === 'ordered') return leave('ordered');
    subject = { kind: 'cart', cart };
    items = cart.items.map((i) => ({ productId: i.variationId || i.productId, stock: i.stock }));
    total = Number(cart.total);
  } else {
    // A customer (win-back, campaign) or a loyalty event about one: read fresh, and re-checked
    // (bought since they lapsed, voucher used or expired) like an order is.
    const found = await batch.customer(row);
    if (!found) return leave('customer unknown');
    const ends = customerSubjectEnds(flow, row.subjectId, found, now);
    if (ends) return leave(ends);
    subject = { kind: 'customer', ...found };
    total = 0;
  }
  if (!(await batch.flowEnabled(row))) return leave('flow switched off');

  const step = flow.steps[row.step];
  if (!step) {
    await batch.move({ row, status: 'completed', nextStepAt: null, advance: false, at: now, graceS });
    return 'completed';
  }
  const advance = async () => {
    const next = flow.steps[row.step + 1];
    const anchor = row.anchorAt ?? row.enteredAt;
    await batch.move(
      next
        ? {
            row,
            status: 'active',
            nextStepAt: new Date(Math.max(anchor.getTime() + delayMs(next.delay), now.getTime())),
            advance: true,
            at: now,
            graceS,
          }
        : { row, status: 'completed', nextStepAt: null, advance: false, at: now, graceS }, // a completed enrollment stays on its last step
    );
  };
  const skip = async (outcome: string, detail: string | null, more: Record<string, unknown> = {}) => {
    batch.log({ enrollmentId: row.id, step: row.step, channel: null, outcome, detail, outboxId: null });
    note('flow step skipped', outcome, more);
    await advance();
    return 'skipped' as const;
  };

  // 2. Hold-out and step conditions.
  if (row.heldOut) return skip('held_out', `held out (${flow.holdOutPercent}% control group): recorded, not messaged`);
  const unmet = await unmetCondition(batch, row.shopId, step, items, total);
  if (unmet) return skip('condition_not_met', unmet);

  // 3. Send window in the customer's zone.
  const contact = contactOf(subject);
  const addresses = addressesOf(contact);
  const zone = subjectTimeZone(subject, contact, await batch.timeZone(row.shopId));
  const opening = nextSendTime(now, flow.sendWindow, zone);
  if (opening.getTime() > now.getTime()) {
    const opensAt = spreadInWindow(opening, row.spreadS, flow.sendWindow!);
    batch.log({
      enrollmentId: row.id,
      step: row.step,
      channel: null,
      outcome: 'quiet_hours',
      detail: `outside ${flow.sendWindow!.start}–${flow.sendWindow!.end} in ${zone}; moved to ${opensAt.toISOString()}`,
      outboxId: null,
    });
    note('flow step postponed', 'quiet_hours', { until: opensAt.toISOString() });
    await batch.move({ row, status: 'active', nextStepAt: opensAt, advance: false, at: now, graceS });
    return 'deferred';
  }

  // 4. Frequency cap across flows (cart reminders and marketing; messages about an order still count).
  const { frequencyCap } = await batch.messaging(row.shopId);
  const capped = flow.purpose !== 'order' && frequencyCap && row.customerKey ? { key: row.customerKey, cap: frequencyCap } : null;
  if (capped) {
    const sent = await batch.takeCapSlot(row.shopId, capped.key, capped.cap);
    if (sent !== null) return skip('capped', `${sent} message(s) in the last ${capped.cap.hours} h; the cap is ${capped.cap.messages}`);
  }

  // 5. The first channel that can reach the customer.
  const choice = await chooseChannel(deps, batch, row.shopId, flow, step, addresses, []);
  for (const r of choice.refused)
    batch.log({ enrollmentId: row.id, step: row.step, channel: r.channel, outcome: r.outcome, detail: r.detail, outboxId: null });
  if (!choice.channel) {
    if (capped) await batch.releaseCapSlot(row.shopId, capped.key, capped.cap);
    // Opting out is an exit rule: a customer who withdrew from every channel that could reach them leaves the flow.
    const unreachable = new Set(['no_address', 'channel_not_configured', 'no_template']);
    if (
      choice.refused.some((r) => r.outcome === 'withdrawn') &&
      choice.refused.every((r) => r.outcome === 'withdrawn' || unreachable.has(r.outcome))
    ) {
      return leave('unsubscribed');
    }
    return skip('not_sent', 'no channel of the step could reach the customer', {
      refused: Object.fromEntries(choice.refused.map((r) => [r.channel, r.outcome])),
    });
  }
  // 6. The step's personal coupon, created in WooCommerce once (a retried step finds its own).
  let coupon: StepCoupon | undefined;
  if (step.coupon) {
    if (!addresses.email) {
      if (capped) await batch.releaseCapSlot(row.shopId, capped.key, capped.cap);
      return skip('not_sent', 'a personal coupon is tied to an email address, and the customer has none', {
        refused: { email: 'no_address' },
      });
    }
    const { defaultIntervalDays } = await batch.segmentRules(row.shopId);
    const rhythm = subject.kind === 'customer' ? subject.customer : { avgGapDays: null };
    const issued = await issueCoupon(deps.pool, await deps.wooClient(row.shopId), {
      shopId: row.shopId,
      email: addresses.email,
      issuedFor: stepKey(row.id, row.step),
      enrollment: { id: row.id, step: row.step },
      offer: step.coupon.offer,
      expiresAt: couponExpiry(step.coupon.expiry, rhythm, defaultIntervalDays, now, await batch.timeZone(row.shopId)),
      description: `Comeback: ${flow.name}, step ${row.step + 1}`,
    });
    coupon = { code: issued.code, offer: step.coupon.offer, expiresAt: issued.expiresAt };
  }
  const queued = await deps.queueMessage({
    shopId: row.shopId,
    enrollmentId: row.id,
    step: row.step,
    templateKey: stepTemplateKey(row.flow, row.flowVersion, row.step),
    channel: choice.channel,
    idempotencyKey: stepKey(row.id, row.step),
    to: addresses[choice.channel]!,
    customerKey: row.customerKey,
    definition: step,
    subject,
    coupon,
    // 7. The customer's language: the order's, their own locale, their profile's, the cart's, else the shop's.
    language: stepLanguage(subject, await batch.languages(row)),
  });
  batch.log({
    enrollmentId: row.id,
    step: row.step,
    channel: choice.channel,
    outcome: 'queued',
    detail: coupon ? `coupon ${coupon.code}` : null,
    outboxId: queued.id,
  });
  await advance();
  return 'queued';
}

/** Why a step's conditions do not hold, or null when they do. Stock is read fresh from the shop. */
async function unmetCondition(
  batch: Batch,
  shopId: number,
  step: FlowStep,
  items: Array<{ productId: number }>,
  total: number,
): Promise<string | null> {
  for (const condition of step.conditions) {
    if (condition.kind === 'min_total' && total < condition.amount) return `total ${total} is below ${condition.amount}`;
    if (condition.kind === 'low_stock') {
      const ids = [...new Set(items.map((i) => i.productId))].sort((a, b) => a - b);
      const stock = ids.length ? await batch.stock(shopId, ids) : new Map<number, number | null>();
      const low = ids.filter((id) => {
        const left = stock.get(id);
        return left !== undefined && left !== null && left < condition.below;
      });
      if (low.length === 0) return `no item has fewer than ${condition.below} in stock`;
    }
  }
  return null;
}
