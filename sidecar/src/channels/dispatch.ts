import type { Pool } from 'mysql2/promise';
import pMap from 'p-map';
import { GroupCommit } from '../db/group-commit.ts';
import type { Logger } from '../logger.ts';
import { keepLease } from '../scheduler/lease-keeper.ts';
import {
  claimDueRows,
  markFailed,
  markHanded,
  markPostponed,
  markRetry,
  markSent,
  renewOutboxLeases,
  type SentRow,
} from './channel-store.ts';
import type { MessageChannel } from '../messages/message-channel.ts';
import { ChannelError, RetryLaterError, type ChannelProvider, type OutboxRow } from './provider.ts';
import type { Metrics } from '../metrics/metrics.ts';

/** What sends each channel's rows; rows of a channel without one are left for a dispatcher that has it. */
export type ProvidersByChannel = Partial<Record<MessageChannel, Pick<ChannelProvider, 'send' | 'repeatsSafely'>>>;

export type DispatchOptions = {
  now?: Date;
  limit?: number;
  /** How long a claimed row stays 'sending' unrenewed before another dispatcher may take it (renewed every third of it while its batch is sent). */
  leaseMs?: number;
  /** Attempts (claims) before a retryable error ends the row as 'failed'. */
  maxAttempts?: number;
  /** Delay before attempt `attempts + 1`, given the attempts made so far. */
  backoff?: (attempts: number) => number;
  /** Sends in flight at once (keep near the providers' connection counts). */
  concurrency?: number;
  /**
   * Told about each row this dispatcher ended as 'failed' (permanent error or attempts used up),
   * after the row was written; `reason` is its last_error. Must not throw.
   */
  onFailed?: (row: OutboxRow, reason: string, error: ChannelError) => Promise<void>;
  /**
   * Told of each send and refusal at info/warn, with ids only: never the recipient, the text or
   * the provider's words (an SMTP refusal quotes the address).
   */
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** Sends by channel and outcome, and each provider.send's time (/metrics). */
  metrics?: Metrics;
};

export type DispatchResult = { claimed: number; sent: number; retried: number; failed: number };

/** 1 min, 2, 4, … capped at 6 h. */
export function defaultBackoff(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60_000);
}

/**
 * Claims due rows of every channel that has a provider (one claim, oldest first across
 * channels), then sends each outside the claim's transaction and records the outcome: 'sent',
 * 'retry' with backoff, or 'failed' with the reason (permanent error, or attempts used up). Safe
 * to run concurrently: each row goes to one dispatcher. A postponed row (SendOutcome.postponeUntil)
 * is counted with the retried ones.
 */
export async function dispatchDue(pool: Pool, providers: ProvidersByChannel, options: DispatchOptions = {}): Promise<DispatchResult> {
  const channels = (Object.keys(providers) as MessageChannel[]).filter((channel) => providers[channel]);
  if (channels.length === 0) return { claimed: 0, sent: 0, retried: 0, failed: 0 };
  const now = options.now ?? new Date();
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = options.backoff ?? defaultBackoff;
  const claimed = await claimDueRows(pool, { now, limit: options.limit ?? 50, leaseMs, channels });
  const result: DispatchResult = { claimed: claimed.length, sent: 0, retried: 0, failed: 0 };
  if (claimed.length === 0) return result;
  // The lease is renewed while the batch is sent (scheduler/lease-keeper.ts).
  const ids = claimed.map((row) => row.id);
  const lease = keepLease({
    leaseMs,
    stamp: new Date(now.getTime() + leaseMs),
    renew: (next, ours) => renewOutboxLeases(pool, ids, next, ours),
  });
  try {
    await sendClaimed(pool, providers, claimed, result, { ...options, now, maxAttempts, backoff, leaseAge: () => lease.age(), leaseMs });
  } finally {
    await lease.stop();
  }
  return result;
}

async function sendClaimed(
  pool: Pool,
  providers: ProvidersByChannel,
  claimed: OutboxRow[],
  result: DispatchResult,
  options: DispatchOptions & {
    now: Date;
    leaseMs: number;
    maxAttempts: number;
    backoff: (attempts: number) => number;
    leaseAge: () => number;
  },
): Promise<void> {
  const { now, leaseMs, maxAttempts, backoff } = options;
  // Sends finishing together are recorded in one statement, each right after its send (a crash
  // between the two is what could send twice, so the gap stays a tick, never a whole batch).
  const sentRows = new GroupCommit<SentRow, void>(async (batch) => {
    await markSent(
      pool,
      batch.map((entry) => entry.item),
    );
    for (const entry of batch) entry.resolve();
  }, 200);

  // Sends overlap up to `concurrency`; each row's outcome is written on its own.
  await pMap(
    claimed,
    async (row) => {
      // The lease could not be renewed for most of its length (database unreachable): leave the rest
      // to be re-claimed rather than risk sending twice.
      if (options.leaseAge() > leaseMs * 0.8) return;
      const provider = providers[row.channel]!;
      if (!provider.repeatsSafely) {
        // A provider that would send a repeat as a second message: a row an earlier claim handed over,
        // its outcome never written (that sidecar died), may have been accepted. Never twice: it ends here.
        if (row.handedAt) {
          const lastError = `permanent outcome_unknown: handed to the provider at ${row.handedAt.toISOString()} by a sidecar that stopped before writing its answer; not sent again, so the customer never gets it twice`;
          await markFailed(pool, row, lastError);
          result.failed++;
          options.metrics?.stepsFailed.inc({ channel: row.channel, reason: 'outcome_unknown' });
          options.logger?.warn({ ...rowFields(row), permanent: true, code: 'outcome_unknown' }, 'message failed');
          return;
        }
        if (!(await markHanded(pool, row, new Date()))) return;
      }
      let error: ChannelError;
      const endSend = options.metrics?.send.startTimer({ channel: row.channel });
      try {
        const outcome = await provider.send(row);
        endSend?.();
        if ('postponeUntil' in outcome) {
          await markPostponed(pool, row, outcome.postponeUntil, outcome.reason);
          result.retried++;
          options.metrics?.sendRetries.inc({ channel: row.channel });
          return;
        }
        await sentRows.submit({ id: row.id, providerMessageId: outcome.providerMessageId, sentAt: new Date(), payload: outcome.payload });
        result.sent++;
        options.metrics?.stepsSent.inc({ channel: row.channel });
        options.logger?.info({ ...rowFields(row), providerMessageId: outcome.providerMessageId }, 'message sent');
        return;
      } catch (caught) {
        endSend?.();
        error =
          caught instanceof ChannelError ? caught : ChannelError.retryable(String((caught as Error)?.message ?? caught), 'unknown', caught);
      }
      const reason = `${error.permanent ? 'permanent' : 'retryable'}${error.code ? ` ${error.code}` : ''}: ${error.message}`.slice(0, 2000);
      if (error.permanent || row.attempts >= maxAttempts) {
        const lastError = error.permanent ? reason : `gave up after ${row.attempts} attempts; ${reason}`;
        const stillOurs = await markFailed(pool, row, lastError);
        result.failed++;
        options.metrics?.stepsFailed.inc({ channel: row.channel, reason: error.permanent ? 'permanent' : 'attempts' });
        options.logger?.warn({ ...rowFields(row), permanent: error.permanent, code: error.code ?? null }, 'message failed');
        if (stillOurs) await options.onFailed?.(row, lastError, error);
      } else {
        const wait = Math.max(backoff(row.attempts), error instanceof RetryLaterError ? error.waitMs : 0);
        await markRetry(pool, row, reason, new Date(now.getTime() + wait));
        result.retried++;
        options.metrics?.sendRetries.inc({ channel: row.channel });
        options.logger?.warn(
          { ...rowFields(row), permanent: false, code: error.code ?? null, retryInMs: wait },
          'message send failed; retrying',
        );
      }
    },
    { concurrency: options.concurrency ?? 20 },
  );
}

/** What a log line says of a row: ids, never the recipient or the text (the flow is its enrollment's, not read again here). */
function rowFields(row: OutboxRow) {
  return {
    outboxId: row.id,
    shopId: row.shopId,
    enrollmentId: row.enrollmentId,
    step: row.step,
    channel: row.channel,
    attempts: row.attempts,
  };
}
