import '../src/scheduler/scheduler.ts'; // its one-time agenda tuning (debug colours) applies to the bench too
import { Agenda } from 'agenda';
import type { Database } from '../src/db/database.ts';
import { MySqlBackend } from '../src/scheduler/mysql-backend.ts';
import { MySqlJobRepository } from '../src/scheduler/mysql-job-repository.ts';
import { bulkInsertJobs, percentile, spread, type BenchDb } from './bench-db.ts';

export type Row = { bench: string; value: string; target: string; ok: boolean | undefined };

type Mode = { claimBatch: number; groupStateWrites: boolean; wake: boolean };
const OURS: Mode = { claimBatch: 100, groupStateWrites: true, wake: true };
// agenda's stock path, as its Postgres backend does it: one locking round trip per claimed job,
// one UPDATE per state write.
const STOCK: Mode = { claimBatch: 1, groupStateWrites: false, wake: false };

async function runUntilDone(database: Database, mode: Mode, count: number, onRun?: (data: { due: number }) => void): Promise<number> {
  const agenda = new Agenda({
    backend: new MySqlBackend({ pool: database.pool, ...mode }),
    // The best of the settings measured on the 2-core machine (BENCHMARKS.md): a larger
    // lockLimit costs more in agenda's linear local-queue scans than it gains.
    processEvery: 100,
    maxConcurrency: 200,
    defaultConcurrency: 200,
    lockLimit: 400,
    defaultLockLimit: 400,
  });
  let done = 0;
  const finished = new Promise<void>((resolve) => {
    agenda.on('complete', () => {
      if (++done === count) resolve();
    });
  });
  agenda.define('bench.noop', async (job) => onRun?.(job.attrs.data as { due: number }));
  const started = performance.now();
  await agenda.start();
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await agenda.stop(true);
  return seconds;
}

export async function throughput(db: BenchDb, mode: 'ours' | 'stock', count: number): Promise<number> {
  const database = await db.fresh(`bench_tp_${mode}`);
  await bulkInsertJobs(database.pool, 'bench.noop', count, () => new Date(Date.now() - 1_000));
  const seconds = await runUntilDone(database, mode === 'ours' ? OURS : STOCK, count);
  await database.close();
  return count / seconds;
}

/**
 * Claim cost with many future jobs in the table: claim a batch of 50 due jobs, hand them back,
 * repeat. Index use keeps it flat; a scan would grow with the table.
 */
export async function claimCost(database: Database, rounds: number): Promise<{ median: number; p99: number }> {
  const repository = new MySqlJobRepository({ pool: database.pool, claimBatch: 50 });
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const now = new Date();
    const t0 = performance.now();
    const first = await repository.getNextJobToRun('bench.due', now, new Date(now.getTime() - 600_000), now, undefined);
    times.push(performance.now() - t0);
    if (!first) throw new Error('no due job to claim');
    await repository.releaseClaims();
    await repository.unlockJobs([first._id!]);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99) };
}

export async function claimCostAtSizes(
  db: BenchDb,
): Promise<{ small: { median: number; p99: number }; large: { median: number; p99: number } }> {
  const database = await db.fresh('bench_claim');
  await bulkInsertJobs(database.pool, 'bench.due', 200, () => new Date(Date.now() - 60_000));
  const future = (i: number) => new Date(Date.now() + 3_600_000 + i * 10);
  await bulkInsertJobs(database.pool, 'bench.due', 10_000, future);
  await claimCost(database, 50); // warm up
  const small = await claimCost(database, 500);
  await bulkInsertJobs(database.pool, 'bench.due', 990_000, (i) => future(10_000 + i));
  await database.pool.query('ANALYZE TABLE agenda_jobs');
  await claimCost(database, 50);
  const large = await claimCost(database, 500);
  await database.close();
  return { small, large };
}

/** 100,000 jobs due over `spreadSeconds`; lateness = start time − due time, per job. */
export async function lateness(db: BenchDb, count: number, spreadSeconds: number): Promise<{ p50: number; p99: number; max: number }> {
  const database = await db.fresh('bench_lateness');
  // Due times start after the insert has surely finished, so no job is late because of the set-up.
  const begin = Date.now() + 20_000;
  await bulkInsertJobs(database.pool, 'bench.noop', count, (i) => new Date(begin + Math.floor((i / count) * spreadSeconds * 1000)));
  if (Date.now() > begin) throw new Error('scheduling the jobs took longer than the head start; raise it');
  const late: number[] = [];
  await runUntilDone(database, OURS, count, (data) => late.push(Date.now() - data.due));
  await database.close();
  late.sort((a, b) => a - b);
  return spread(late);
}
