import { constant, exponential, type Job, type RetryDetails } from 'agenda';
import { describe, expect, it } from 'vitest';
import { conformanceDatabase } from './fixture.ts';
import { delay, waitForEvent, waitForEvents } from './wait-for.ts';

// Retries, by hand and with backoff strategies: failCount and nextRunAt survive each round trip
// (saveJobState → claim → Job attributes). The strategy maths alone is agenda's, not tested here.
describe('conformance: retries and backoff', async () => {
  const fx = await conformanceDatabase('retry');

  describe('retry from a fail listener', () => {
    it('a callback job that fails once is retried through attrs.nextRunAt', async () => {
      const agenda = await fx.agenda();
      let attempts = 0;
      agenda.define('cb-retry', (_job: Job, done: (e?: Error) => void) => {
        attempts++;
        setImmediate(() => done(attempts === 1 ? new Error('first time') : undefined));
      });
      agenda.on('fail:cb-retry', (_e: Error, job: Job) => {
        job.attrs.nextRunAt = new Date();
      });
      await agenda.start();
      const success = waitForEvent<Job>(agenda, 'success:cb-retry');
      await agenda.now('cb-retry');
      const job = await success;
      expect(attempts).toBe(2);
      expect(job.attrs.failCount).toBe(0);
    });

    it('schedule("now").save() while the job is still locked retries it', async () => {
      const agenda = await fx.agenda();
      let attempts = 0;
      agenda.define('save-retry', async () => {
        if (++attempts === 1) throw new Error('first time');
      });
      agenda.on('fail:save-retry', (_e: Error, job: Job) => {
        void job.schedule('now').save();
      });
      await agenda.start();
      const success = waitForEvent(agenda, 'success:save-retry');
      await agenda.now('save-retry');
      await success;
      expect(attempts).toBe(2);
    });

    it('an async job failing twice succeeds on the third attempt, either way of retrying', async () => {
      for (const via of ['attrs', 'save'] as const) {
        const agenda = await fx.agenda();
        const name = `third-${via}`;
        let attempts = 0;
        agenda.define(name, async () => {
          if (++attempts < 3) throw new Error(`attempt ${attempts}`);
        });
        agenda.on(`fail:${name}`, (_e: Error, job: Job) => {
          if (via === 'attrs') job.attrs.nextRunAt = new Date();
          else void job.schedule('now').save();
        });
        await agenda.start();
        const success = waitForEvent(agenda, `success:${name}`);
        await agenda.now(name);
        await success;
        expect(attempts, via).toBe(3);
        await agenda.stop();
      }
    });
  });

  describe('automatic retry with a backoff strategy', () => {
    it('constant backoff: two failures, two retry events, then success', async () => {
      const agenda = await fx.agenda({ processEvery: 50 });
      let attempts = 0;
      agenda.define(
        'constant',
        async () => {
          if (++attempts < 3) throw new Error('not yet');
        },
        { backoff: constant({ delay: 100, maxRetries: 5 }) },
      );
      const retries: RetryDetails[] = [];
      agenda.on('retry:constant', (_job: Job, details: RetryDetails) => retries.push(details));
      await agenda.start();
      // The final state is saved after 'success' and before 'complete'.
      const success = new Promise<Job>((resolve) => agenda.once('success:constant', () => agenda.once('complete:constant', resolve)));
      await agenda.now('constant');
      const job = await success;
      expect(attempts).toBe(3);
      expect(retries.map((r) => [r.attempt, r.delay])).toEqual([
        [1, 100],
        [2, 100],
      ]);
      // The last run did not start before the time its retry was scheduled for.
      expect(job.attrs.lastRunAt!.getTime() - retries[1]!.nextRunAt.getTime()).toBeGreaterThanOrEqual(-5);
      expect((await fx.row(job.attrs._id))?.fail_count).toBe(0);
    });

    it('gives up after maxRetries and emits retry exhausted with the stored failCount', async () => {
      const agenda = await fx.agenda({ processEvery: 50 });
      let attempts = 0;
      agenda.define(
        'exhausted',
        async () => {
          attempts++;
          throw new Error('Always fails');
        },
        { backoff: constant({ delay: 50, maxRetries: 2 }) },
      );
      await agenda.start();
      const exhausted = new Promise<[Error, Job]>((resolve) =>
        agenda.once('retry exhausted:exhausted', (e: Error, j: Job) => resolve([e, j])),
      );
      await agenda.now('exhausted');
      const [error, job] = await exhausted;
      expect(error.message).toBe('Always fails');
      expect(attempts).toBe(3);
      expect(job.attrs.failCount).toBe(3);
      await waitForEvent(agenda, 'complete:exhausted');
      const row = await fx.row(job.attrs._id);
      expect(row).toMatchObject({ fail_count: 3, fail_reason: 'Always fails', next_run_at: null, locked_at: null });
    });

    it('exponential backoff reports the retry details', async () => {
      const agenda = await fx.agenda({ processEvery: 50 });
      agenda.define(
        'exp',
        async () => {
          throw new Error('test error');
        },
        { backoff: exponential({ delay: 100, maxRetries: 1 }) },
      );
      await agenda.start();
      const retry = new Promise<RetryDetails>((resolve) => agenda.once('retry:exp', (_j: Job, d: RetryDetails) => resolve(d)));
      const exhausted = waitForEvent(agenda, 'retry exhausted:exp');
      await agenda.now('exp');
      const details = await retry;
      expect(details).toMatchObject({ attempt: 1, delay: 100 });
      expect(details.error.message).toBe('test error');
      expect(details.nextRunAt).toBeInstanceOf(Date);
      await exhausted;
    });

    it('without a backoff a failure is not retried', async () => {
      const agenda = await fx.agenda({ processEvery: 50 });
      let attempts = 0;
      agenda.define('no-backoff', async () => {
        attempts++;
        throw new Error('once');
      });
      let retries = 0;
      agenda.on('retry', () => retries++);
      await agenda.start();
      await agenda.now('no-backoff');
      await delay(300);
      expect([attempts, retries]).toEqual([1, 0]);
    });

    it('a repeating job retries on backoff and then resumes its interval', async () => {
      const agenda = await fx.agenda({ processEvery: 50 });
      let attempts = 0;
      agenda.define(
        'repeat-retry',
        async () => {
          if (++attempts === 1) throw new Error('first run fails');
        },
        { backoff: constant({ delay: 50, maxRetries: 3 }) },
      );
      let retries = 0;
      agenda.on('retry:repeat-retry', () => retries++);
      await agenda.every('1 hour', 'repeat-retry');
      await agenda.start();
      const job = await waitForEvent<Job>(agenda, 'success:repeat-retry', 3_000);
      expect([retries, attempts]).toEqual([1, 2]);
      const row = await fx.row(job.attrs._id);
      expect(row?.next_run_at.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    });

    it('a custom backoff function sets each delay', async () => {
      const agenda = await fx.agenda({ processEvery: 50 });
      const delays = [100, 100, 200];
      let attempts = 0;
      agenda.define(
        'custom',
        async () => {
          if (++attempts < 4) throw new Error(`attempt ${attempts}`);
        },
        { backoff: ({ attempt }) => delays[attempt - 1] ?? null },
      );
      const seen: number[] = [];
      agenda.on('retry:custom', (_j: Job, d: RetryDetails) => seen.push(d.delay));
      await agenda.start();
      const done = waitForEvents(agenda, 'complete:custom', 4, 5_000);
      await agenda.now('custom');
      await done;
      expect(attempts).toBe(4);
      expect(seen).toEqual([100, 100, 200]);
    });
  });
});
