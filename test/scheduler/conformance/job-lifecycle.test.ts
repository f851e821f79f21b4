import type { EventEmitter } from 'node:events';
import type { Job } from 'agenda';
import { describe, expect, it } from 'vitest';
import { conformanceDatabase, jsonValue } from './fixture.ts';
import { delay, runJobAndWait, waitForEvent, waitForEvents } from './wait-for.ts';

// A job's life on our backend: events, run/touch/progress, failures, repeats, callback-style processors.
describe('conformance: job lifecycle', async () => {
  const fx = await conformanceDatabase('lifecycle');

  describe('processing and events', () => {
    it('runs the processor with the job and emits start, success and complete', async () => {
      const agenda = await fx.agenda();
      const seen: Array<{ name: string; data: unknown }> = [];
      agenda.define('process-test', async (job: Job) => {
        seen.push({ name: job.attrs.name, data: job.attrs.data });
      });
      const events: string[] = [];
      for (const event of ['start', 'start:process-test', 'success:process-test', 'complete', 'complete:process-test']) {
        (agenda as EventEmitter).on(event, () => events.push(event));
      }
      await agenda.start();
      await runJobAndWait(agenda, 'process-test', 'complete:process-test', { testData: 123 });
      expect(seen).toEqual([{ name: 'process-test', data: { testData: 123 } }]);
      expect(events).toEqual(['start', 'start:process-test', 'success:process-test', 'complete', 'complete:process-test']);
    });

    it('stores the finished state: lastRunAt, lastFinishedAt, no lock, no nextRunAt', async () => {
      const agenda = await fx.agenda({ name: 'lifecycle-worker' });
      agenda.define('finish', async () => undefined);
      await agenda.start();
      const job = await runJobAndWait<Job>(agenda, 'finish', 'complete:finish');
      const row = await fx.row(job.attrs._id);
      expect(row?.last_run_at).toBeInstanceOf(Date);
      expect(row?.last_finished_at.getTime()).toBeGreaterThanOrEqual(row?.last_run_at.getTime());
      expect(row?.locked_at).toBeNull();
      expect(row?.next_run_at).toBeNull();
      expect(row?.last_modified_by).toBe('lifecycle-worker');
      expect((await agenda.queryJobs({ id: String(job.attrs._id) })).jobs[0]?.state).toBe('completed');
    });

    it('passes the error to fail listeners and stores the failure', async () => {
      const agenda = await fx.agenda();
      agenda.define('failing', async () => {
        throw new Error('Failure reason');
      });
      await agenda.start();
      const failed = waitForEvent<Error>(agenda, 'fail:failing');
      const job = await agenda.now('failing');
      expect((await failed).message).toBe('Failure reason');
      await waitForEvent(agenda, 'complete:failing');
      const stored = (await agenda.queryJobs({ id: String(job.attrs._id) })).jobs[0]!;
      expect(stored).toMatchObject({ failReason: 'Failure reason', failCount: 1, state: 'failed' });
      expect(stored.failedAt).toBeInstanceOf(Date);
      expect(stored.nextRunAt).toBeNull();
    });

    it('a failing one-time job runs once', async () => {
      const agenda = await fx.agenda();
      let runs = 0;
      agenda.define('once', async () => {
        runs++;
        throw new Error('Intentional failure');
      });
      await agenda.start();
      await agenda.now('once');
      await delay(600);
      expect(runs).toBe(1);
      const { jobs } = await agenda.queryJobs({ name: 'once' });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]?.failReason).toBe('Intentional failure');
      expect(jobs[0]?.nextRunAt).toBeFalsy();
    });

    it('keeps counting failures across re-runs set up by a fail listener', async () => {
      const agenda = await fx.agenda();
      agenda.define('retry-by-hand', async () => {
        throw new Error('again');
      });
      let fails = 0;
      agenda.on('fail:retry-by-hand', (_error: Error, job: Job) => {
        if (++fails < 2) job.attrs.nextRunAt = new Date();
      });
      await agenda.start();
      const completes = waitForEvents(agenda, 'complete:retry-by-hand', 2);
      const job = await agenda.now('retry-by-hand');
      await completes;
      expect((await fx.row(job.attrs._id))?.fail_count).toBe(2);
    });

    it('a lock that expires while the job runs does not crash agenda', async () => {
      const agenda = await fx.agenda();
      const errors: Error[] = [];
      agenda.on('error', (e: Error) => errors.push(e));
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown) => rejections.push(reason);
      process.on('unhandledRejection', onRejection);
      try {
        agenda.define('short-lock', () => delay(500), { lockLifetime: 100 });
        await agenda.start();
        await agenda.now('short-lock');
        await delay(700);
      } finally {
        process.off('unhandledRejection', onRejection);
      }
      expect(rejections).toEqual([]);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]?.message).toMatch(/execution of 'short-lock' canceled/);
    });
  });

  describe('Job methods', () => {
    it('job.run() works without start() and saves state before and after', async () => {
      const agenda = await fx.agenda();
      let data: unknown;
      agenda.define('direct', async (job: Job) => {
        data = job.attrs.data;
        const row = await fx.row(job.attrs._id);
        expect(row?.last_run_at).toBeInstanceOf(Date);
      });
      const job = await agenda.create('direct', { foo: 'bar' }).save();
      await job.run();
      expect(data).toEqual({ foo: 'bar' });
      expect((await fx.row(job.attrs._id))?.last_finished_at).toBeInstanceOf(Date);
    });

    it('touch() renews the stored lock and touch(50) stores the progress', async () => {
      const agenda = await fx.agenda();
      const locks: number[] = [];
      agenda.define('toucher', async (job: Job) => {
        locks.push((await fx.row(job.attrs._id))?.locked_at.getTime());
        await delay(50);
        await job.touch(50);
        expect(job.attrs.progress).toBe(50);
        locks.push((await fx.row(job.attrs._id))?.locked_at.getTime());
      });
      await agenda.start();
      const job = await runJobAndWait<Job>(agenda, 'toucher', 'complete:toucher');
      expect(locks[1]).toBeGreaterThan(locks[0]! + 40);
      expect((await agenda.queryJobs({ id: String(job.attrs._id) })).jobs[0]?.progress).toBe(50);
    });

    it('save() inserts, then updates the same row; remove() deletes it', async () => {
      const agenda = await fx.agenda();
      const job = agenda.create('save-test', { value: 42 });
      expect(await job.save()).toBe(job);
      expect(job.attrs._id).toBeDefined();
      expect(jsonValue((await fx.row(job.attrs._id))?.data)).toEqual({ value: 42 });
      job.attrs.data = { value: 2 };
      await job.save();
      expect(await fx.count('name = ?', ['save-test'])).toBe(1);
      expect(jsonValue((await fx.row(job.attrs._id))?.data)).toEqual({ value: 2 });
      expect(job.toJson()).toMatchObject({ name: 'save-test', data: { value: 2 } });
      await job.remove();
      expect((await agenda.queryJobs({ id: String(job.attrs._id) })).jobs).toHaveLength(0);
    });

    it('clearing repeatEvery on the update path stores no interval', async () => {
      const agenda = await fx.agenda();
      const job = agenda.create('repeat-cleared').repeatEvery('5 minutes');
      await job.save();
      expect((await fx.row(job.attrs._id))?.repeat_interval).toBe('5 minutes');
      await job.repeatEvery('').save();
      expect((await fx.row(job.attrs._id))?.repeat_interval).toBeNull();
    });
  });

  describe('repeating jobs', () => {
    it('every("1 second") runs again after its first run', async () => {
      const agenda = await fx.agenda();
      let runs = 0;
      agenda.define('every-second', async () => {
        runs++;
      });
      await agenda.every('1 second', 'every-second');
      await agenda.start();
      await waitForEvents(agenda, 'complete:every-second', 2, 3_000);
      expect(runs).toBeGreaterThanOrEqual(2);
      expect(await fx.count('name = ?', ['every-second'])).toBe(1);
    });

    it('a six-field cron runs within seconds', async () => {
      const agenda = await fx.agenda();
      agenda.define('cron-seconds', async () => undefined);
      await agenda.every('* * * * * *', 'cron-seconds');
      await agenda.start();
      const job = await waitForEvent<Job>(agenda, 'complete:cron-seconds', 3_000);
      expect(job.attrs.nextRunAt!.getTime()).toBeGreaterThan(job.attrs.lastRunAt!.getTime());
    });
  });

  describe('async and callback processors (job.run without start)', () => {
    async function outcome(define: (agenda: Awaited<ReturnType<typeof fx.agenda>>) => void): Promise<string> {
      const agenda = await fx.agenda();
      define(agenda);
      const result = new Promise<string>((resolve) => {
        agenda.once('success:cb', () => resolve('success'));
        agenda.once('fail:cb', (error: Error) => resolve(`fail: ${error.message}`));
      });
      const job = await agenda.create('cb', {}).save();
      await job.run();
      return result;
    }

    it('waits for an async processor', async () => {
      let finished = false;
      const result = await outcome((a) => a.define('cb', async () => void (await delay(30), (finished = true))));
      expect([result, finished]).toEqual(['success', true]);
    });

    it('reports async and callback failures', async () => {
      expect(await outcome((a) => a.define('cb', async () => Promise.reject(new Error('async failure'))))).toBe('fail: async failure');
      let called = false;
      const viaCallback = await outcome((a) =>
        a.define('cb', (_job: Job, done: (e?: Error) => void) => void setTimeout(() => ((called = true), done()), 30)),
      );
      expect([viaCallback, called]).toEqual(['success', true]);
      expect(await outcome((a) => a.define('cb', (_job: Job, done: (e?: Error) => void) => done(new Error('callback failure'))))).toBe(
        'fail: callback failure',
      );
      expect(
        await outcome((a) =>
          a.define('cb', (_job: Job, _done: (e?: Error) => void) => {
            throw new Error('functionFailure');
          }),
        ),
      ).toBe('fail: functionFailure');
      const both = await outcome((a) =>
        a.define('cb', async (_job: Job, done: (e?: Error) => void) => {
          done(new Error('callbackFailure'));
          throw new Error('asyncFailure');
        }),
      );
      expect(both).toBe('fail: callbackFailure');
    });
  });
});
