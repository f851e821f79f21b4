import { setTimeout as sleep } from 'node:timers/promises';
import type { RowDataPacket } from 'mysql2/promise';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../sidecar/src/logger.ts';
import { MySqlJobRepository } from '../../sidecar/src/scheduler/mysql-job-repository.ts';
import { RETIRED_JOBS } from '../../sidecar/src/scheduler/retired-jobs.ts';
import { createScheduler, type Scheduler } from '../../sidecar/src/scheduler/scheduler.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';

const RECURRING_LOCK_MS = 2_000;

describe('recurring agenda jobs', async () => {
  const { database } = await createTestDatabase('recurring_jobs');
  const pool = database.pool;
  const schedulers: Scheduler[] = [];
  const errors: string[] = [];
  const scheduler = (name: string) => {
    const created = createScheduler(
      pool,
      {
        workerName: name,
        concurrency: 4,
        lockLimit: 8,
        claimBatch: 4,
        processEveryMs: 100,
        lockLifetimeMs: 10 * 60_000,
        recurringLockLifetimeMs: RECURRING_LOCK_MS,
      },
      createLogger('silent'),
    );
    created.agenda.on('error', (error: Error) => errors.push(error.message));
    schedulers.push(created);
    return created;
  };
  beforeEach(async () => {
    await pool.query('DELETE FROM agenda_jobs');
    errors.length = 0;
  });
  afterEach(async () => {
    for (const s of schedulers.splice(0)) await s.stop(5_000);
  });
  const row = async (name: string) => (await pool.query<RowDataPacket[]>('SELECT * FROM agenda_jobs WHERE name = ?', [name]))[0][0];

  it('removes the rows of retired jobs at start, and nothing else', async () => {
    const repository = new MySqlJobRepository({ pool });
    for (const name of [...RETIRED_JOBS, 'still.here']) {
      await repository.saveJob(
        { name, priority: 0, type: 'single', repeatInterval: '10 seconds', nextRunAt: new Date(Date.now() + 60_000), data: undefined },
        undefined,
      );
    }
    expect(RETIRED_JOBS).toEqual(['flows.run-due', 'outbox.dispatch', 'events.sweep']);
    await scheduler('upgraded').start();
    const [names] = await pool.query<RowDataPacket[]>('SELECT name FROM agenda_jobs ORDER BY name');
    expect(names.map((r) => r.name)).toEqual(['still.here']);
  });

  it('a recurring job running many lock lifetimes is kept alive by touch(): not cancelled, not run elsewhere', async () => {
    const runs: string[] = [];
    const lockedAt: number[] = [];
    const one = scheduler('one');
    const other = scheduler('other');
    for (const [name, s] of [
      ['one', one],
      ['other', other],
    ] as const) {
      s.define('long.sweep', async () => {
        runs.push(name);
        for (let i = 0; i < 6; i++) {
          await sleep(RECURRING_LOCK_MS / 2);
          lockedAt.push(((await row('long.sweep'))!.locked_at as Date).getTime());
        }
      });
    }
    await one.start();
    await one.every('1 hour', 'long.sweep');
    await waitFor(
      async () => runs.length,
      (n) => n === 1,
      5_000,
      'the sweep to start',
    );
    await other.start();
    await other.every('1 hour', 'long.sweep');
    await waitFor(
      async () => (await row('long.sweep'))?.locked_at,
      (locked) => locked === null,
      30_000,
      'the sweep to finish',
    );
    expect(runs).toEqual(['one']);
    expect(errors.filter((e) => e.includes('canceled'))).toEqual([]);
    // The lock moved on while the job ran (three lifetimes).
    expect(new Set(lockedAt).size).toBeGreaterThanOrEqual(3);
    expect((await row('long.sweep'))!.last_finished_at).toBeInstanceOf(Date);
  });

  it("a dead sidecar's recurring job is taken over once its short lock runs out", async () => {
    const ran: number[] = [];
    const alive = scheduler('alive');
    alive.define('quick.sweep', async () => {
      ran.push(Date.now());
    });
    await alive.start();
    await alive.every('1 hour', 'quick.sweep');
    await waitFor(
      async () => ran.length,
      (n) => n === 1,
      5_000,
      'the first run',
    );
    // The first run's end is written after its function returns: wait for it, or it would overwrite the dead lock below.
    await waitFor(
      async () => row('quick.sweep'),
      (r) => r?.last_finished_at instanceof Date && r.locked_at === null,
      5_000,
      'the first run to be recorded',
    );
    // As a killed sidecar leaves it: locked just now, due, never finished.
    const lockedAt = Date.now();
    await pool.query('UPDATE agenda_jobs SET locked_at = ?, next_run_at = ? WHERE name = ?', [
      new Date(lockedAt),
      new Date(lockedAt - 1_000),
      'quick.sweep',
    ]);
    await waitFor(
      async () => ran.length,
      (n) => n === 2,
      20_000,
      'the takeover',
    );
    expect(ran[1]! - lockedAt).toBeGreaterThanOrEqual(RECURRING_LOCK_MS - 50);
    expect(ran[1]! - lockedAt).toBeLessThan(RECURRING_LOCK_MS + 8_000); // not the ten minutes of the one-off lock
  });

  it('every() refuses a job that is not defined (a typo would otherwise never run)', async () => {
    await expect(scheduler('typo').every('1 minute', 'not.defined')).rejects.toThrow(/define the job not.defined/);
  });
});
