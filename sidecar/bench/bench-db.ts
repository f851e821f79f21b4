import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'mysql2/promise';
import { migrateDatabase, openDatabase, withDatabase, type Database } from '../src/db/database.ts';
import { startEmbeddedMariaDb, type EmbeddedMariaDb } from '../src/db/embedded-mariadb.ts';
import { embeddedSecretKey, SecretBox } from '../src/db/secret-box.ts';

export type BenchDb = { server: EmbeddedMariaDb; fresh(name: string): Promise<Database>; url(name: string): string };

/** The embedded MariaDB as `npm run up` runs it (full durability), in its own folder. */
export async function startBenchDb(home: string): Promise<BenchDb> {
  const dir = join(home, 'bench-mariadb');
  mkdirSync(dir, { recursive: true });
  const server = await startEmbeddedMariaDb({ dir, bufferPoolMb: 1024 });
  return {
    server,
    url: (name) => withDatabase(server.serverUrl, name),
    async fresh(name) {
      const url = withDatabase(server.serverUrl, name);
      const admin = await openDatabase(url);
      await admin.pool.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.close();
      // Secrets sealed with the key the benchmark's sidecars use too (COMEBACK_HOME/secret-key).
      const database = await openDatabase(url, { connectionLimit: 24, secretBox: new SecretBox(embeddedSecretKey('.comeback')) });
      await migrateDatabase(database);
      return database;
    },
  };
}

/** Inserts `count` jobs in multi-row statements; `dueAt(i)` gives each one's nextRunAt. */
export async function bulkInsertJobs(pool: Pool, name: string, count: number, dueAt: (i: number) => Date): Promise<void> {
  const chunk = 5_000;
  for (let start = 0; start < count; start += chunk) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      const due = dueAt(i);
      rows.push([name, 0, due, 'normal', JSON.stringify({ i, due: due.getTime() }), 0, 0]);
    }
    await pool.query('INSERT INTO agenda_jobs (name, priority, next_run_at, type, data, disabled, fork) VALUES ?', [rows]);
  }
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const median = (sorted: number[]) => percentile(sorted, 50);

/** p50, p99 and the largest of ascending times (NaN when there are none). */
export const spread = (sorted: number[]) => ({
  p50: percentile(sorted, 50),
  p99: percentile(sorted, 99),
  max: sorted.at(-1) ?? Number.NaN,
});

/** CPU seconds a process has used so far (utime + stime from /proc, in USER_HZ = 100). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds used by this process, the server child and MariaDB between start and stop (from /proc). */
export function cpuMeter(mariadbPid: number, childPid: number) {
  const ticks = cpuSeconds;
  const self = process.cpuUsage();
  const start = { child: ticks(childPid), mariadb: ticks(mariadbPid) };
  return {
    stop() {
      const used = process.cpuUsage(self);
      return { self: (used.user + used.system) / 1e6, child: ticks(childPid) - start.child, mariadb: ticks(mariadbPid) - start.mariadb };
    },
  };
}
