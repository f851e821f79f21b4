/**
 * A real sidecar process (startSidecar: config → db → scheduler → http) with one extra job
 * kind, `ledger.write`, written the way every Comeback job must be: safe to run twice.
 *
 * Each execution is recorded in `ledger_runs` (so tests can see re-runs); the side effect
 * goes to `ledger_effects`, which has NO unique key, guarded by an outbox row whose unique
 * idempotency key is inserted in the same transaction. A second run finds the key and
 * writes nothing, so duplicates in ledger_effects would mean the idempotency failed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResultSetHeader } from 'mysql2/promise';
import { startSidecar } from '../../sidecar/src/sidecar.ts';

const jobMs = Number(process.env.LEDGER_JOB_MS ?? 0);

const sidecar = await startSidecar({
  registerJobs(scheduler, database) {
    scheduler.define<{ key: string }>('ledger.write', async ({ key }) => {
      await database.pool.query('INSERT INTO ledger_runs (idem_key, pid) VALUES (?, ?)', [key, process.pid]);
      if (jobMs) await sleep(jobMs);
      const conn = await database.pool.getConnection();
      try {
        await conn.beginTransaction();
        const [outbox] = await conn.query<ResultSetHeader>('INSERT IGNORE INTO ledger_outbox (idem_key) VALUES (?)', [key]);
        if (outbox.affectedRows === 1) {
          await conn.query('INSERT INTO ledger_effects (idem_key, pid) VALUES (?, ?)', [key, process.pid]);
        }
        await conn.commit();
      } catch (error) {
        await conn.rollback().catch(() => undefined);
        throw error;
      } finally {
        conn.release();
      }
    });
  },
});

const stop = () => {
  sidecar.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
// Listening before saying ready: a test may signal the moment it hears us, and a SIGTERM that
// arrives before a listener exists kills the process outright instead of stopping it.
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.send?.({ ready: true, url: sidecar.url, pid: process.pid });
