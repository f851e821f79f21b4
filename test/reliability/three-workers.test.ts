import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { stopWorker, waitFor } from '../helpers/processes.ts';
import { createLedgerTables, ledgerCounts, ledgerWorkers, scheduleLedgerJobs } from './ledger.ts';

const JOBS = 5_000;

describe('three sidecars on one database', async () => {
  const { database, url } = await createTestDatabase('three_workers');
  const workers = ledgerWorkers();

  it('run 5,000 due jobs, each exactly once, and all three share the work', { timeout: 180_000 }, async () => {
    await createLedgerTables(database.pool);
    const env = {
      COMEBACK_DATABASE_URL: url,
      COMEBACK_SCHEDULER_CONCURRENCY: '20',
      COMEBACK_SCHEDULER_LOCK_LIMIT: '40',
      COMEBACK_SCHEDULER_CLAIM_BATCH: '20',
      COMEBACK_SCHEDULER_PROCESS_EVERY_MS: '100',
      LEDGER_JOB_MS: '2',
    };
    await Promise.all([0, 1, 2].map(() => workers.start(env)));
    // Due only once all three are up (each polls every 100 ms): one that took longer to boot on a
    // busy machine must not find the work already done by the others.
    await scheduleLedgerJobs(database.pool, JOBS);
    const final = await waitFor(
      () => ledgerCounts(database.pool),
      (c) => c.effects === JOBS && c.unfinishedJobs === 0,
      120_000,
      'every job to complete',
    );
    // No kill here, so not only the effects but the executions themselves are exactly once:
    // SKIP LOCKED claims never hand one job to two sidecars.
    expect(final.runs).toBe(JOBS);
    expect(final.effects).toBe(JOBS);
    expect(final.distinctEffects).toBe(JOBS);
    expect(final.failedJobs).toBe(0);
    for (const w of workers.all) expect(final.effectsByPid[String(w.pid)] ?? 0).toBeGreaterThan(JOBS / 20);
    for (const w of workers.all) expect(await stopWorker(w, 'SIGTERM')).toBe(0);
  });
});
