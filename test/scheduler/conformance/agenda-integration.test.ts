import { describe, expect, it } from 'vitest';
import { conformanceDatabase } from './fixture.ts';

// Agenda's scheduling API on our backend: every/schedule/now, queries, cancel, disable, purge, unique.
// Not covered by this suite: job logger, notification channel and fork mode (our backend implements none of them).
describe('conformance: agenda integration', async () => {
  const fx = await conformanceDatabase('agenda');
  const noop = async () => undefined;

  describe('every()', () => {
    it('stores one single-type job per name with its interval, the latest interval winning', async () => {
      const agenda = await fx.agenda();
      agenda.define('interval-job', noop);
      await agenda.every('1 minute', 'interval-job');
      await agenda.every('5 minutes', 'interval-job');
      const { jobs } = await agenda.queryJobs({ name: 'interval-job' });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ repeatInterval: '5 minutes', type: 'single' });
      const cron = await agenda.every('0 6 * * *', 'cron-job');
      expect(cron.attrs.repeatInterval).toBe('0 6 * * *');
      expect((await agenda.queryJobs({ name: 'cron-job' })).jobs[0]?.repeatInterval).toBe('0 6 * * *');
    });

    it('runs now unless skipImmediate, and returns the nextRunAt the backend stored', async () => {
      const agenda = await fx.agenda();
      const before = Date.now();
      const now = await agenda.every('5 minutes', 'immediate');
      expect(Math.abs(now.attrs.nextRunAt!.getTime() - before)).toBeLessThan(1_000);
      const later = await agenda.every('5 minutes', 'skipped', undefined, { skipImmediate: true });
      expect(later.attrs.nextRunAt!.getTime()).toBeGreaterThan(before + 4 * 60_000);
      const stored = await fx.row(later.attrs._id);
      expect(stored?.next_run_at.getTime()).toBe(later.attrs.nextRunAt!.getTime());
    });

    it('does not move an existing schedule back to now when every() runs again (restart)', async () => {
      const agenda = await fx.agenda();
      const first = await agenda.every('5 minutes', 'restarted', undefined, { skipImmediate: true });
      const again = await agenda.every('5 minutes', 'restarted');
      expect(again.attrs._id).toBe(first.attrs._id);
      expect(again.attrs.nextRunAt?.getTime()).toBe(first.attrs.nextRunAt?.getTime());
    });

    it('creates one job per name for an array', async () => {
      const agenda = await fx.agenda();
      const jobs = await agenda.every('5 minutes', ['arrayJob1', 'arrayJob2']);
      expect(jobs.map((j) => j.attrs.name)).toEqual(['arrayJob1', 'arrayJob2']);
      expect(await fx.count()).toBe(2);
    });

    it('computes a cron schedule in the job timezone and keeps it for later runs', async () => {
      const agenda = await fx.agenda();
      const localHour = (date: Date, timeZone: string) =>
        new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
      const ny = await agenda.every('0 6 * * *', 'tz-ny', undefined, { timezone: 'America/New_York' });
      const tokyo = await agenda.every('0 6 * * *', 'tz-tokyo', undefined, { timezone: 'Asia/Tokyo' });
      expect(ny.attrs.repeatTimezone).toBe('America/New_York');
      expect(localHour(ny.attrs.nextRunAt!, 'America/New_York')).toBe('06:00');
      expect(localHour(tokyo.attrs.nextRunAt!, 'Asia/Tokyo')).toBe('06:00');
      expect(ny.attrs.nextRunAt!.getTime()).not.toBe(tokyo.attrs.nextRunAt!.getTime());
      // Make it due and let agenda run it: the next run is recomputed from what the backend handed back.
      await fx.pool.query('UPDATE agenda_jobs SET next_run_at = ? WHERE id = ?', [new Date(Date.now() - 1_000), ny.attrs._id]);
      agenda.define('tz-ny', noop);
      const done = new Promise((resolve) => agenda.once('complete:tz-ny', resolve));
      await agenda.start();
      await done;
      const { jobs } = await agenda.queryJobs({ name: 'tz-ny' });
      expect(jobs[0]?.repeatTimezone).toBe('America/New_York');
      expect(localHour(jobs[0]!.nextRunAt!, 'America/New_York')).toBe('06:00');
      expect(jobs[0]!.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    });

    it('keeps a numeric (milliseconds) interval working across runs', async () => {
      const agenda = await fx.agenda();
      agenda.define('ms-interval', noop);
      await agenda.every(60_000, 'ms-interval');
      const done = new Promise((resolve) => agenda.once('complete:ms-interval', resolve));
      await agenda.start();
      await done;
      const job = (await agenda.queryJobs({ name: 'ms-interval' })).jobs[0]!;
      expect(Number(job.repeatInterval)).toBe(60_000);
      expect(job.failReason).toBeUndefined();
      expect(job.nextRunAt!.getTime() - job.lastRunAt!.getTime()).toBe(60_000);
    });
  });

  it('keeps repeatAt across runs: the next run is at that time of day', async () => {
    const agenda = await fx.agenda();
    agenda.define('daily-at', noop);
    const job = await agenda
      .create('daily-at')
      .repeatAt('3:30pm')
      .schedule(new Date(Date.now() - 1_000))
      .save();
    expect((await fx.row(job.attrs._id))?.repeat_at).toBe('3:30pm');
    const done = new Promise((resolve) => agenda.once('complete:daily-at', resolve));
    await agenda.start();
    await done;
    const next = (await agenda.queryJobs({ name: 'daily-at' })).jobs[0]!.nextRunAt!;
    expect([next.getHours(), next.getMinutes()]).toEqual([15, 30]);
    expect(next.getTime()).toBeGreaterThan(Date.now());
  });

  describe('schedule() and now()', () => {
    it('stores the exact time, to the millisecond', async () => {
      const agenda = await fx.agenda();
      const when = new Date(Date.now() + 60_123);
      const job = await agenda.schedule(when, 'at-time', { a: 1 });
      expect(job.attrs.nextRunAt?.getTime()).toBe(when.getTime());
      expect((await fx.row(job.attrs._id))?.next_run_at.getTime()).toBe(when.getTime());
      const both = await agenda.schedule(when, ['n1', 'n2']);
      expect(both).toHaveLength(2);
    });

    it('parses human times', async () => {
      const agenda = await fx.agenda();
      const job = await agenda.schedule('in 1 hour', 'later');
      const stored = await fx.row(job.attrs._id);
      expect(stored?.next_run_at.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    });

    it('now() stores a due job with its data', async () => {
      const agenda = await fx.agenda();
      const job = await agenda.now('right-now', { key: 'value' });
      expect(job.attrs.nextRunAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
      expect(job.attrs.data).toEqual({ key: 'value' });
      expect((await agenda.queryJobs({ id: String(job.attrs._id) })).jobs[0]?.data).toEqual({ key: 'value' });
    });
  });

  describe('queries through agenda', () => {
    it('filters, limits, skips and sorts', async () => {
      const agenda = await fx.agenda();
      for (let i = 0; i < 5; i++) await agenda.now('listed');
      await agenda.now('other');
      expect((await agenda.queryJobs({ name: 'listed' })).jobs).toHaveLength(5);
      const limited = await agenda.queryJobs({ name: 'listed', limit: 2 });
      expect([limited.jobs.length, limited.total]).toEqual([2, 5]);
      expect((await agenda.queryJobs({ name: 'listed', skip: 4 })).jobs).toHaveLength(1);
      expect((await agenda.queryJobs({ name: 'listed', skip: 2, limit: 2 })).jobs).toHaveLength(2);
    });

    it('sorts by priority after re-saving jobs (update path)', async () => {
      const agenda = await fx.agenda();
      for (const p of [3, 1, 2]) {
        const job = await agenda.now('sorted');
        await job.priority(p).save();
      }
      const { jobs } = await agenda.queryJobs({ name: 'sorted', sort: { priority: 'desc' } });
      expect(jobs.map((j) => j.priority)).toEqual([3, 2, 1]);
    });
  });

  describe('cancel, purge, cancelAll', () => {
    it('cancel removes matching jobs only', async () => {
      const agenda = await fx.agenda();
      await agenda.now('cancel-test');
      await agenda.now('cancel-test');
      await agenda.now('keep-test');
      expect(await agenda.cancel({ name: 'cancel-test' })).toBe(2);
      const { jobs } = await agenda.queryJobs({});
      expect(jobs.map((j) => j.name)).toEqual(['keep-test']);
    });

    it('purge removes jobs without a definition', async () => {
      const agenda = await fx.agenda();
      for (const name of ['defined-job', 'orphan-1', 'orphan-2']) {
        agenda.define(name, noop);
        await agenda.now(name);
      }
      delete agenda.definitions['orphan-1'];
      delete agenda.definitions['orphan-2'];
      expect((await agenda.queryJobs()).total).toBe(3);
      expect(await agenda.purge()).toBe(2);
      expect((await agenda.queryJobs()).jobs.map((j) => j.name)).toEqual(['defined-job']);
    });

    it('cancelAll removes everything and reports the count', async () => {
      const agenda = await fx.agenda();
      await agenda.now('a');
      await agenda.every('1 hour', 'b');
      await agenda.schedule('in 2 hours', 'c');
      expect(await agenda.cancelAll()).toBe(3);
      expect(await fx.count()).toBe(0);
    });
  });

  describe('disable / enable', () => {
    it('job.disable().save() and enable().save() round-trip, even from a queryJobs result', async () => {
      const agenda = await fx.agenda();
      const job = await agenda.now('toggle');
      await job.disable().save();
      const stored = (await agenda.queryJobs({ name: 'toggle' })).jobs[0]!;
      expect(stored.disabled).toBe(true);
      const copy = agenda.create('toggle');
      Object.assign(copy.attrs, stored);
      await copy.enable().save();
      expect((await agenda.queryJobs({ name: 'toggle' })).jobs[0]?.disabled).toBe(false);
    });

    it('a disabled job is not run', async () => {
      const agenda = await fx.agenda();
      let ran = false;
      agenda.define('off', async () => {
        ran = true;
      });
      const job = await agenda.now('off');
      await job.disable().save();
      await agenda.start();
      await new Promise((r) => setTimeout(r, 400));
      expect(ran).toBe(false);
      expect(await fx.lockedIds()).toEqual([]);
    });

    it('disable/enable by filter count matched jobs; an empty filter matches nothing', async () => {
      const agenda = await fx.agenda();
      await agenda.now('bulk');
      await agenda.now('bulk');
      expect(await agenda.disable({ name: 'bulk' })).toBe(2);
      expect((await agenda.queryJobs({ name: 'bulk' })).jobs.every((j) => j.disabled === true)).toBe(true);
      expect(await agenda.disable({ name: 'bulk' })).toBe(2);
      expect(await agenda.enable({ name: 'bulk' })).toBe(2);
      expect((await agenda.queryJobs({ name: 'bulk' })).jobs.every((j) => !j.disabled)).toBe(true);
      expect(await agenda.disable({ name: 'non-existent-job' })).toBe(0);
      expect(await agenda.disable({})).toBe(0);
      expect(await fx.count('disabled = 1')).toBe(0);
    });
  });

  describe('unique', () => {
    const save = (agenda: Awaited<ReturnType<typeof fx.agenda>>, data: Record<string, unknown>, insertOnly = false) =>
      agenda
        .create('unique-job', data)
        .unique({ 'data.type': data.type, 'data.userId': data.userId }, insertOnly ? { insertOnly: true } : {})
        .schedule('now')
        .save();

    it('updates the existing job when the unique values match', async () => {
      const agenda = await fx.agenda();
      const a = await save(agenda, { type: 'active', userId: '123', other: 1 });
      const b = await save(agenda, { type: 'active', userId: '123', other: 2 });
      expect(String(b.attrs._id)).toBe(String(a.attrs._id));
      const { jobs } = await agenda.queryJobs({ name: 'unique-job' });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]?.data).toMatchObject({ other: 2 });
    });

    it('leaves the existing job alone with insertOnly', async () => {
      const agenda = await fx.agenda();
      const a = await save(agenda, { type: 'active', userId: '123', value: 'first' }, true);
      const b = await save(agenda, { type: 'active', userId: '123', value: 'second' }, true);
      expect(String(b.attrs._id)).toBe(String(a.attrs._id));
      const { jobs } = await agenda.queryJobs({ name: 'unique-job' });
      expect(jobs.map((j) => (j.data as { value: string }).value)).toEqual(['first']);
    });

    it('creates a second job for different unique values', async () => {
      const agenda = await fx.agenda();
      await save(agenda, { type: 'active', userId: '123' });
      await save(agenda, { type: 'active', userId: '456' });
      expect((await agenda.queryJobs({ name: 'unique-job' })).total).toBe(2);
    });

    it('makes concurrent saves of the same unique job one row', async () => {
      const agenda = await fx.agenda();
      await Promise.all(Array.from({ length: 8 }, (_, i) => save(agenda, { type: 'burst', userId: '1', i })));
      expect((await agenda.queryJobs({ name: 'unique-job' })).total).toBe(1);
    });
  });
});
