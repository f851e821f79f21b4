import type { Job } from 'agenda';
import { describe, expect, it } from 'vitest';
import { conformanceDatabase, seconds } from './fixture.ts';
import { delay, waitForEvent, waitForEvents, waitUntil } from './wait-for.ts';

// Locks held while running, stop() in 6.2.6, concurrency and lock limits, priorities, stale locks.
describe('conformance: locking and concurrency', async () => {
  const fx = await conformanceDatabase('locking');

  describe('locks', () => {
    it('a running job is locked in the database', async () => {
      const agenda = await fx.agenda();
      let lockedWhileRunning: unknown;
      agenda.define('lock-check', async (job: Job) => {
        lockedWhileRunning = (await agenda.queryJobs({ id: String(job.attrs._id) })).jobs[0]?.lockedAt;
      });
      await agenda.start();
      const done = waitForEvent(agenda, 'complete:lock-check');
      const job = await agenda.now('lock-check');
      await done;
      expect(lockedWhileRunning).toBeInstanceOf(Date);
      expect((await fx.row(job.attrs._id))?.locked_at).toBeNull();
    });

    it('stop() unlocks a locked job that has not started; a running job keeps its lock until it finishes (6.2.6)', async () => {
      const agenda = await fx.agenda();
      const gate = fx.gate();
      agenda.define('held', () => gate.wait(), { concurrency: 1 });
      const first = await agenda.create('held', { n: 1 }).schedule(seconds(-2)).save();
      const second = await agenda.create('held', { n: 2 }).schedule(seconds(-1)).save();
      const started = waitForEvent<Job>(agenda, 'start:held');
      await agenda.start();
      expect(String((await started).attrs._id)).toBe(String(first.attrs._id));
      await waitUntil(async () => (await agenda.getRunningStats()).lockedJobs === 2);
      expect(await fx.lockedIds()).toEqual([String(first.attrs._id), String(second.attrs._id)]);
      const completed = waitForEvent(agenda, 'complete:held');
      await agenda.stop();
      // The pool is ours, so the repository still answers after stop().
      const { jobs } = await agenda.queryJobs({ name: 'held' });
      const locked = (id: unknown) => jobs.find((j) => String(j._id) === String(id))?.lockedAt;
      expect(locked(first.attrs._id)).toBeInstanceOf(Date);
      expect(locked(second.attrs._id)).toBeUndefined();
      gate.open();
      await completed;
      await waitUntil(async () => (await fx.lockedIds()).length === 0, 2_000);
      expect((await fx.row(first.attrs._id))?.last_finished_at).toBeInstanceOf(Date);
      expect((await fx.row(second.attrs._id))?.last_run_at).toBeNull();
    });

    it('recovers a job whose lock is older than lockLifetime, and leaves a fresh lock alone', async () => {
      const agenda = await fx.agenda();
      const ran: number[] = [];
      agenda.define('recover', async (job: Job) => void ran.push((job.attrs.data as { n: number }).n), { lockLifetime: 60_000 });
      const stale = await agenda.create('recover', { n: 1 }).schedule(seconds(-120)).save();
      const fresh = await agenda.create('recover', { n: 2 }).schedule(seconds(-120)).save();
      await fx.pool.query('UPDATE agenda_jobs SET locked_at = ? WHERE id = ?', [seconds(-90), stale.attrs._id]);
      const freshLock = seconds(-30);
      await fx.pool.query('UPDATE agenda_jobs SET locked_at = ? WHERE id = ?', [freshLock, fresh.attrs._id]);
      const done = waitForEvent(agenda, 'complete:recover');
      await agenda.start();
      await done;
      await delay(300);
      expect(ran).toEqual([1]);
      expect((await fx.row(stale.attrs._id))?.locked_at).toBeNull();
      expect((await fx.row(fresh.attrs._id))?.locked_at.getTime()).toBe(freshLock.getTime());
    });
  });

  describe('concurrency', () => {
    async function peak(setup: (agenda: Awaited<ReturnType<typeof fx.agenda>>, run: () => Promise<void>) => void, jobs: number) {
      const agenda = await fx.agenda();
      let running = 0;
      let max = 0;
      setup(agenda, async () => {
        max = Math.max(max, ++running);
        await delay(100);
        running--;
      });
      for (let i = 0; i < jobs; i++) await agenda.now('cc');
      const done = waitForEvents(agenda, 'complete:cc', jobs);
      await agenda.start();
      await done;
      return max;
    }

    it('maxConcurrency bounds jobs running at once', async () => {
      const max = await peak((agenda, run) => {
        agenda.maxConcurrency(2);
        agenda.define('cc', run);
      }, 4);
      expect(max).toBe(2);
    });

    it('a definition concurrency bounds its jobs', async () => {
      expect(await peak((agenda, run) => agenda.define('cc', run, { concurrency: 1 }), 3)).toBe(1);
    });

    it('without limits the jobs overlap', async () => {
      expect(await peak((agenda, run) => agenda.define('cc', run, { concurrency: 5 }), 3)).toBe(3);
    });
  });

  it('runs the highest priority first among equally due jobs', async () => {
    const agenda = await fx.agenda();
    agenda.maxConcurrency(1);
    const order: number[] = [];
    agenda.define('prio', async (job: Job) => void order.push(job.attrs.priority));
    const at = seconds(-1);
    for (const p of [-10, 10, 0]) await agenda.create('prio').schedule(at).priority(p).save();
    const done = waitForEvents(agenda, 'complete:prio', 3);
    await agenda.start();
    await done;
    expect(order).toEqual([10, 0, -10]);
  });

  describe('lock limits (processors never finish)', () => {
    async function lockedAfter(
      configure: (agenda: Awaited<ReturnType<typeof fx.agenda>>, hold: () => Promise<void>) => string[],
      options: { processEvery?: number; at?: () => Date; wait?: number } = {},
    ) {
      const agenda = await fx.agenda({ processEvery: options.processEvery ?? 100 });
      const gate = fx.gate();
      const names = configure(agenda, () => gate.wait());
      for (const name of names) await agenda.schedule(options.at?.() ?? new Date(), name);
      await agenda.start();
      await delay(options.wait ?? 500);
      return (await agenda.getRunningStats()).lockedJobs as number;
    }

    it('global lockLimit 1 with two jobs of one name', async () => {
      const n = await lockedAfter((a, hold) => (a.lockLimit(1), a.define('ll', hold), ['ll', 'll']));
      expect(n).toBe(1);
    });

    it('global lockLimit 1 across three names', async () => {
      const n = await lockedAfter((a, hold) => {
        a.lockLimit(1);
        for (const name of ['l1', 'l2', 'l3']) a.define(name, hold);
        return ['l1', 'l2', 'l3'];
      });
      expect(n).toBe(1);
    });

    it('definition lockLimit 1', async () => {
      const n = await lockedAfter((a, hold) => (a.define('dl', hold, { lockLimit: 1 }), ['dl', 'dl']));
      expect(n).toBe(1);
    });

    it('lock limits hold for jobs claimed before they are due', async () => {
      const at = () => new Date(Date.now() + 300);
      const global = await lockedAfter((a, hold) => (a.lockLimit(1), a.define('fl', hold), ['fl', 'fl']), {
        processEvery: 200,
        at,
        wait: 600,
      });
      expect(global).toBe(1);
      const perDefinition = await lockedAfter((a, hold) => (a.define('fd', hold, { lockLimit: 1 }), ['fd', 'fd']), {
        processEvery: 200,
        at,
        wait: 600,
      });
      expect(perDefinition).toBe(1);
    });

    it('without a limit both jobs are locked', async () => {
      const n = await lockedAfter((a, hold) => (a.define('nl', hold), ['nl', 'nl']));
      expect(n).toBe(2);
    });
  });
});
