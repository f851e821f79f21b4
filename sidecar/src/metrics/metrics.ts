import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolWaits } from '../db/database.ts';

/**
 * Every metric the sidecar exports on /metrics, in one registry per sidecar (created by the root,
 * sidecar.ts, so two sidecars in one process — the tests' — count apart). Names follow Prometheus'
 * conventions: `comeback_` prefix, the unit in the name (`_seconds`, `_total`). Labels take bounded
 * values only — a channel, an outcome, a reason's code, a status — never a shop, an address or a
 * text. docs/ARCHITECTURE.md ("Metrics") says what each one means.
 */
export type Metrics = ReturnType<typeof createMetrics>;

/** Short, then spread to minutes: a claim or a send takes milliseconds, a late step or webhook may take minutes. */
const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export function createMetrics() {
  const registry = new Registry();
  // process_cpu_seconds_total, resident memory, heap, event-loop lag (nodejs_eventloop_lag_*), GC.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Histogram<L>({ name, help, labelNames, buckets: SECONDS_BUCKETS, registers });
  return {
    registry,
    stepsClaimed: counter('comeback_steps_claimed_total', 'Due flow steps claimed by the step loop of this sidecar.'),
    stepClaim: histogram(
      'comeback_step_claim_seconds',
      'Time one claim of due steps took (one SELECT … FOR UPDATE SKIP LOCKED batch, its transaction included), empty claims too.',
    ),
    stepLateness: histogram(
      'comeback_step_lateness_seconds',
      'How late each step was claimed: claimed at minus due at (enrollments.next_step_at).',
    ),
    stepOutcomes: counter(
      'comeback_steps_worked_total',
      'Claimed steps by what the step runner did with them: queued, skipped, deferred, exited, completed, failed (tried again in a minute).',
      ['outcome'],
    ),
    stepsSent: counter('comeback_steps_sent_total', 'Outbox messages a provider accepted, by channel.', ['channel']),
    stepsFailed: counter(
      'comeback_steps_failed_total',
      'Outbox messages ended as failed, by channel and reason: permanent (the provider refused for good), attempts (retries used up), outcome_unknown (handed over by a sidecar that died).',
      ['channel', 'reason'],
    ),
    sendRetries: counter(
      'comeback_send_retries_total',
      'Sends that will be tried again later (a retryable refusal, or postponed: pacing, budget, window), by channel.',
      ['channel'],
    ),
    send: histogram('comeback_send_seconds', 'Time one provider.send took, by channel, whatever its outcome.', ['channel']),
    outboxBacklog: gauge(
      'comeback_outbox_backlog',
      'Outbox messages not yet sent or failed, by status (pending, retry, sending), counted on scrape (cached a few seconds, capped).',
      ['status'],
    ),
    collectErrors: counter(
      'comeback_metrics_collect_errors_total',
      'Scrape-time collections that failed or ran out of time (the last value was kept), by what was collected.',
      ['what'],
    ),
    webhooksReceived: counter(
      'comeback_webhooks_received_total',
      'WooCommerce webhook deliveries answered, by outcome: stored, duplicate, unusable, ping, refused_<status> (400, 401, 405, 410, 413), error (5xx).',
      ['outcome'],
    ),
    webhookLag: histogram('comeback_webhook_lag_seconds', 'From a delivery stored to its processing committed by the events loop.'),
    poolWait: histogram(
      'comeback_db_pool_wait_seconds',
      'Time waited for a database connection from the pool (every statement run on the pool and every transaction), timed-out waits included.',
    ),
    poolWaiting: gauge('comeback_db_pool_waiting', 'Requests waiting for a database connection right now.'),
  };
}

/** The pool's observer (db/database.ts boundPool): each wait for a connection, as it begins and ends. */
export function poolWaits(metrics: Metrics): PoolWaits {
  return {
    began: () => metrics.poolWaiting.inc(),
    ended(waitedMs) {
      metrics.poolWaiting.dec();
      metrics.poolWait.observe(waitedMs / 1000);
    },
  };
}

/** One claim of due steps: how many, and how late each was (claimed at minus due at). */
export function countStepClaim(metrics: Metrics | undefined, claimed: ReadonlyArray<{ dueAt: Date }>, claimedAt: Date): void {
  if (!metrics || claimed.length === 0) return;
  metrics.stepsClaimed.inc(claimed.length);
  for (const row of claimed) metrics.stepLateness.observe(Math.max(0, claimedAt.getTime() - row.dueAt.getTime()) / 1000);
}

/** What the step runner did with one claimed batch, by outcome. */
export function countStepOutcomes(metrics: Metrics | undefined, outcome: Record<string, number>): void {
  for (const [what, n] of Object.entries(outcome)) if (n > 0) metrics?.stepOutcomes.inc({ outcome: what }, n);
}
