import type { Pool, RowDataPacket } from 'mysql2/promise';
import { afterEach } from 'vitest';
import { MySqlJobRepository } from '../../sidecar/src/scheduler/mysql-job-repository.ts';
import { startWorker, stopWorker, type Worker } from '../helpers/processes.ts';

export const LEDGER_WORKER = new URL('./ledger-worker.ts', import.meta.url).pathname;

/**
 * Starts ledger workers for a test file and SIGKILLs any still running after each test, so a
 * failed assertion never leaves a sidecar behind.
 */
export function ledgerWorkers(): { start(env: Record<string, string>): Promise<Worker>; all: Worker[] } {
  const all: Worker[] = [];
  afterEach(async () => {
    for (const w of all.splice(0)) await stopWorker(w, 'SIGKILL');
  });
  return {
    all,
    async start(env) {
      const worker = await startWorker(LEDGER_WORKER, env);
      all.push(worker);
      return worker;
    },
  };
}

/** The tables the ledger job writes; they live only in the test's own database. */
export async function createLedgerTables(pool: Pool): Promise<void> {
  await pool.query('CREATE TABLE ledger_runs (id BIGINT AUTO_INCREMENT PRIMARY KEY, idem_key VARCHAR(64) NOT NULL, pid INT NOT NULL)');
  await pool.query('CREATE TABLE ledger_outbox (idem_key VARCHAR(64) PRIMARY KEY)');
  await pool.query('CREATE TABLE ledger_effects (id BIGINT AUTO_INCREMENT PRIMARY KEY, idem_key VARCHAR(64) NOT NULL, pid INT NOT NULL)');
}

/** Schedules `count` ledger jobs due now, through the backend's own saveJob. */
export async function scheduleLedgerJobs(pool: Pool, count: number): Promise<void> {
  const repository = new MySqlJobRepository({ pool });
  const now = new Date();
  for (let start = 0; start < count; start += 200) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + 200); i++) {
      batch.push(
        repository.saveJob({ name: 'ledger.write', priority: 0, type: 'normal', nextRunAt: now, data: { key: `k${i}` } }, undefined),
      );
    }
    await Promise.all(batch);
  }
}

export type LedgerCounts = {
  effects: number;
  distinctEffects: number;
  runs: number;
  unfinishedJobs: number;
  failedJobs: number;
  effectsByPid: Record<string, number>;
};

export async function ledgerCounts(pool: Pool): Promise<LedgerCounts> {
  const [[effects]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n, COUNT(DISTINCT idem_key) AS d FROM ledger_effects');
  const [[runs]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM ledger_runs');
  const [[jobs]] = await pool.query<RowDataPacket[]>(
    `SELECT SUM(last_finished_at IS NULL OR locked_at IS NOT NULL OR next_run_at IS NOT NULL) AS unfinished,
            SUM(failed_at IS NOT NULL AND (last_finished_at IS NULL OR failed_at >= last_finished_at)) AS failed
     FROM agenda_jobs WHERE name = 'ledger.write'`,
  );
  const [byPid] = await pool.query<RowDataPacket[]>('SELECT pid, COUNT(*) AS n FROM ledger_effects GROUP BY pid');
  return {
    effects: Number(effects!.n),
    distinctEffects: Number(effects!.d),
    runs: Number(runs!.n),
    unfinishedJobs: Number(jobs!.unfinished ?? 0),
    failedJobs: Number(jobs!.failed ?? 0),
    effectsByPid: Object.fromEntries(byPid.map((r) => [String(r.pid), Number(r.n)])),
  };
}
