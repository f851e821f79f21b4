import type { RowDataPacket } from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { stopWorker, waitFor } from '../helpers/processes.ts';
import { createLedgerTables, ledgerCounts, ledgerWorkers, scheduleLedgerJobs } from './ledger.ts';

/**
 * Locked ledger jobs. The sidecar's own recurring wake-ups (sweeps, due steps) are left out: one
 * of them may be mid-run when the signal comes and, like any job, keep its lock past the grace.
 */
async function lockedJobs(pool: import('mysql2/promise').Pool): Promise<number> {
  const [[row]] = await pool.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM agenda_jobs WHERE locked_at IS NOT NULL AND name = 'ledger.write'",
  );
  return Number(row!.n);
}

describe('SIGTERM', async () => {
  const { database, url } = await createTestDatabase('graceful');
  const workers = ledgerWorkers();
  afterEach(async () => {
    await database.pool.query('DELETE FROM agenda_jobs');
  });
  const base = {
    COMEBACK_DATABASE_URL: url,
    COMEBACK_SCHEDULER_CONCURRENCY: '4',
    COMEBACK_SCHEDULER_LOCK_LIMIT: '8',
    COMEBACK_SCHEDULER_CLAIM_BATCH: '20',
    COMEBACK_SCHEDULER_PROCESS_EVERY_MS: '100',
  };

  it('lets running jobs finish, hands back the ones not started, and exits 0', async () => {
    await createLedgerTables(database.pool);
    await scheduleLedgerJobs(database.pool, 40);
    const worker = await workers.start({ ...base, LEDGER_JOB_MS: '800' });
    await waitFor(
      () => ledgerCounts(database.pool),
      (c) => c.runs >= 4,
      20_000,
      'jobs running',
    );
    const inFlight = await ledgerCounts(database.pool);
    expect(inFlight.runs - inFlight.effects).toBeGreaterThan(0);

    expect(await stopWorker(worker, 'SIGTERM')).toBe(0);
    const after = await ledgerCounts(database.pool);
    expect(after.effects).toBe(after.runs); // every started job completed its side effect
    expect(after.effects).toBeLessThan(40); // and it stopped taking new ones
    // Queued and buffered claims were unlocked, so another sidecar can take them at once.
    expect(await lockedJobs(database.pool)).toBe(0);
  });

  it('does not wait past the grace period for a job that runs too long', async () => {
    await database.pool.query('DELETE FROM ledger_runs');
    await database.pool.query('DELETE FROM ledger_effects');
    await database.pool.query('DELETE FROM ledger_outbox');
    await scheduleLedgerJobs(database.pool, 1);
    const worker = await workers.start({ ...base, LEDGER_JOB_MS: '60000', COMEBACK_SHUTDOWN_GRACE_MS: '300' });
    await waitFor(
      () => ledgerCounts(database.pool),
      (c) => c.runs === 1,
      20_000,
      'the long job to start',
    );
    expect(await stopWorker(worker, 'SIGTERM')).toBe(0);
    const after = await ledgerCounts(database.pool);
    expect(after.effects).toBe(0); // it exited without waiting a minute for the job
    // The unfinished job keeps its lock; stale-lock recovery hands it to a sidecar after lockLifetime.
    expect(await lockedJobs(database.pool)).toBe(1);
  });
});
