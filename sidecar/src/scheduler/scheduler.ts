import { Agenda, exponential, type BackoffStrategy, type Job, type JobParameters } from 'agenda';
import createDebug from 'debug';
import type { Pool } from 'mysql2/promise';
import type { Logger } from '../logger.ts';
import { MySqlBackend } from './mysql-backend.ts';
import { removeRetiredJobs } from './retired-jobs.ts';
import { whileTouched } from './while-touched.ts';

export type SchedulerOptions = {
  workerName: string;
  concurrency: number;
  lockLimit: number;
  claimBatch: number;
  processEveryMs: number;
  /** Lock of one-off jobs (and recurring ones scheduled with agenda.every directly). */
  lockLifetimeMs: number;
  /** Lock of jobs scheduled with Scheduler.every (default 60 s). */
  recurringLockLifetimeMs?: number;
};

export type JobHandler<P> = (payload: P, job: Job<P>) => Promise<void>;

export type DefineOptions = { concurrency?: number; lockLimit?: number; backoff?: BackoffStrategy };

/** A recurring job (sweep, recompute) of a killed sidecar is taken over after this. */
export const DEFAULT_RECURRING_LOCK_LIFETIME_MS = 60_000;

/**
 * A failed one-time job would otherwise end with nextRunAt = null and never run again: a due
 * reminder lost to a passing fault (database restart, provider timeout). Retry with
 * exponential backoff, 1 s doubling up to 10 min, for about a day.
 */
export const DEFAULT_BACKOFF = exponential({ delay: 1_000, factor: 2, maxDelay: 10 * 60_000, maxRetries: 150, jitter: 0.1 });

export type SchedulerStatus = {
  running: boolean;
  runningJobs: number;
  claimedNotHanded: number;
  concurrency: number;
  lockLimit: number;
};

export type Scheduler = {
  agenda: Agenda;
  backend: MySqlBackend;
  /**
   * Registers a job kind. Handlers must be safe to run twice: a crash re-runs the job. While a
   * handler runs, its lock is renewed (job.touch()) every third of the lock lifetime.
   */
  define<P>(name: string, handler: JobHandler<P>, options?: DefineOptions): void;
  /**
   * Runs a defined job every `interval` on one sidecar at a time, under the short recurring lock:
   * kept alive by touch() while it runs, so a killed sidecar's job is taken over within a minute.
   */
  every(interval: string, name: string): Promise<void>;
  /** Starts claiming jobs, after removing the rows of retired jobs (retired-jobs.ts). */
  start(): Promise<void>;
  /** Stops claiming, hands back queued jobs, waits up to graceMs for running ones. */
  stop(graceMs: number): Promise<{ unfinished: number }>;
  status(): Promise<SchedulerStatus>;
};

// agenda logs through `debug`, building a logger per call (log.extend); each build probes
// isatty(stderr) unless colours are decided. Measured at ~14% of CPU at 5k jobs/s: decide once.
createDebug.inspectOpts ??= {};
(createDebug.inspectOpts as { colors?: boolean }).colors ??= false;

function perNameLockLimit(lockLimit: number): number {
  return Math.max(1, Math.ceil(lockLimit / 2));
}

/**
 * agenda on our MySQL backend. Never greedy: lockLimit bounds what this sidecar holds,
 * so other sidecars on the same database get their share.
 */
export function createScheduler(pool: Pool, options: SchedulerOptions, logger: Logger): Scheduler {
  const backend = new MySqlBackend({
    pool,
    claimBatch: options.claimBatch,
    claimBufferTtlMs: Math.min(2_000, options.lockLifetimeMs / 4),
    onConnectError: (error) => logger.warn({ err: error }, 'scheduler cannot reach the database yet; retrying'),
    onUnlockError: (error) => logger.warn({ err: error }, 'could not unlock a job; its lock runs out on its own'),
  });
  const agenda = new Agenda({
    backend,
    name: options.workerName,
    processEvery: options.processEveryMs,
    maxConcurrency: options.concurrency,
    defaultConcurrency: options.concurrency,
    lockLimit: options.lockLimit,
    // One busy job kind that keeps waking itself on completion must leave room for the others.
    defaultLockLimit: perNameLockLimit(options.lockLimit),
    defaultLockLifetime: options.lockLifetimeMs,
  });
  let running = 0;
  let started = false;
  agenda.on('start', () => running++);
  agenda.on('complete', () => running--);
  agenda.on('error', (error: Error) => logger.error({ err: error }, 'scheduler error'));
  agenda.on('fail', (error: Error, job: Job) =>
    logger.warn({ err: error, jobId: String(job.attrs._id), job: job.attrs.name, failCount: job.attrs.failCount }, 'job failed'),
  );

  return {
    agenda,
    backend,
    define(name, handler, defineOptions) {
      agenda.define(name, async (job: Job) => whileTouched(job, () => handler(job.attrs.data as never, job as never), logger), {
        concurrency: defineOptions?.concurrency ?? options.concurrency,
        lockLimit: defineOptions?.lockLimit ?? perNameLockLimit(options.lockLimit),
        lockLifetime: options.lockLifetimeMs,
        backoff: defineOptions?.backoff ?? DEFAULT_BACKOFF,
      });
    },
    async every(interval, name) {
      const definition = agenda.definitions[name];
      if (!definition) throw new Error(`define the job ${name} before scheduling it`);
      definition.lockLifetime = options.recurringLockLifetimeMs ?? DEFAULT_RECURRING_LOCK_LIFETIME_MS;
      await agenda.every(interval, name);
    },
    async start() {
      await agenda.ready;
      await removeRetiredJobs(agenda, logger);
      await agenda.start();
      started = true;
    },
    async stop(graceMs) {
      if (!started) return { unfinished: 0 };
      started = false;
      // closeConnection=true makes agenda call backend.disconnect(), which unlocks our claim buffer;
      // the pool itself belongs to the sidecar and stays open for the jobs still finishing.
      await agenda.stop(true);
      const deadline = Date.now() + graceMs;
      while (running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      // A finished handler is followed by agenda's own write of the job's final state (its
      // unlock), group-committed a tick later: wait for it, or the caller closes the pool under it
      // and the job stays locked until its lock expires.
      for (let quiet = 0; quiet < 3 && Date.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 20));
        quiet = backend.repository.stateWritesIdle() ? quiet + 1 : 0;
      }
      if (running > 0) logger.warn({ running }, 'jobs still running after the grace period; their locks expire on their own');
      return { unfinished: Math.max(running, 0) };
    },
    async status() {
      return {
        running: started,
        runningJobs: running,
        claimedNotHanded: backend.repository.buffered(),
        concurrency: options.concurrency,
        lockLimit: options.lockLimit,
      };
    },
  };
}

export type { Job, JobParameters };
