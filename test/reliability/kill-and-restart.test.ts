import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { stopWorker, waitFor } from '../helpers/processes.ts';
import { createLedgerTables, ledgerCounts, ledgerWorkers, scheduleLedgerJobs } from './ledger.ts';

const JOBS = 600;

describe('a sidecar killed with SIGKILL while jobs run', async () => {
  const { database, url } = await createTestDatabase('kill9');
  const workers = ledgerWorkers();

  it('loses no job and repeats no side effect after a new sidecar takes over', { timeout: 180_000 }, async () => {
    await createLedgerTables(database.pool);
    await scheduleLedgerJobs(database.pool, JOBS);
    const env = {
      COMEBACK_DATABASE_URL: url,
      COMEBACK_SCHEDULER_LOCK_LIFETIME_MS: '1500',
      COMEBACK_SCHEDULER_CONCURRENCY: '10',
      COMEBACK_SCHEDULER_LOCK_LIMIT: '20',
      COMEBACK_SCHEDULER_PROCESS_EVERY_MS: '200',
      // ~60 jobs/s: the run lasts seconds, so the kill lands mid-run even when the machine is busy.
      LEDGER_JOB_MS: '150',
    };
    const first = await workers.start(env);
    // Kill it mid-stream: some effects written and several jobs provably mid-run (run recorded, no effect yet).
    await waitFor(
      () => ledgerCounts(database.pool),
      (c) => c.effects >= 60 && c.runs - c.effects >= 5,
      30_000,
      'jobs in flight',
    );
    expect(await stopWorker(first, 'SIGKILL')).toBe('SIGKILL');
    const atKill = await ledgerCounts(database.pool);
    expect(atKill.effects).toBeLessThan(JOBS);

    const second = await workers.start(env);
    const final = await waitFor(
      () => ledgerCounts(database.pool),
      (c) => c.effects === JOBS && c.unfinishedJobs === 0,
      60_000,
      'every job to complete',
    );
    expect(final.distinctEffects).toBe(JOBS);
    expect(final.effects).toBe(JOBS); // exactly once: no duplicate side effect
    expect(final.failedJobs).toBe(0);
    // The kill interrupted running jobs, which ran again: the idempotency guard is what kept effects single.
    expect(final.runs).toBeGreaterThan(JOBS);
    expect(final.effectsByPid[String(second.pid)]).toBeGreaterThan(0);
    expect(await stopWorker(second, 'SIGTERM')).toBe(0);
  });
});
