import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, withDatabase } from '../../sidecar/src/db/database.ts';
import { startEmbeddedMariaDb } from '../../sidecar/src/db/embedded-mariadb.ts';
import { stopWorker, waitFor } from '../helpers/processes.ts';
import { createLedgerTables, ledgerCounts, ledgerWorkers, scheduleLedgerJobs } from './ledger.ts';

const JOBS = 1_500;

// Its own private MariaDB: killing the run's shared server would disturb the other test files.
describe('the database restarts while sidecars run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'comeback-restart-'));
  const server = await startEmbeddedMariaDb({ dir, relaxedDurability: true });
  const url = withDatabase(server.serverUrl, 'restart');
  const database = await openDatabase(url);
  await migrateDatabase(database);
  const workers = ledgerWorkers();
  afterAll(async () => {
    await database.close().catch(() => undefined);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('they reconnect and finish every job exactly once', { timeout: 180_000 }, async () => {
    await createLedgerTables(database.pool);
    await scheduleLedgerJobs(database.pool, JOBS);
    const env = {
      COMEBACK_DATABASE_URL: url,
      COMEBACK_SCHEDULER_LOCK_LIFETIME_MS: '2000',
      COMEBACK_SCHEDULER_CONCURRENCY: '10',
      COMEBACK_SCHEDULER_LOCK_LIMIT: '20',
      COMEBACK_SCHEDULER_PROCESS_EVERY_MS: '200',
      // Slow enough that the run lasts seconds: the outage must land while work is under way.
      LEDGER_JOB_MS: '40',
    };
    await workers.start(env);
    await workers.start(env);
    await waitFor(
      () => ledgerCounts(database.pool),
      (c) => c.effects >= 100,
      30_000,
      'first effects',
    );

    const before = await ledgerCounts(database.pool);
    expect(before.effects).toBeLessThan(JOBS); // work was still under way when the server went down
    // A crash, not a polite shutdown: SIGKILL the server, leave it down for a moment, start it again.
    await server.kill();
    await new Promise((r) => setTimeout(r, 1_500));
    await server.start();

    const final = await waitFor(
      () => ledgerCounts(database.pool),
      (c) => c.effects === JOBS && c.unfinishedJobs === 0,
      90_000,
      'every job to complete after the restart',
    );
    const outputs = workers.all.map((w) => w.output()).join('\n---\n');
    expect(final.effects, outputs).toBe(JOBS);
    expect(final.distinctEffects, outputs).toBe(JOBS);
    expect(final.failedJobs, outputs).toBe(0);
    for (const w of workers.all) {
      expect(w.child.exitCode, w.output()).toBeNull(); // survived the outage
      expect(await stopWorker(w, 'SIGTERM'), w.output()).toBe(0);
    }
  });
});
