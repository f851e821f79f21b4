import type { Job } from 'agenda';
import { describe, expect, it } from 'vitest';
import { conformanceDatabase } from './fixture.ts';
import { delay, waitForEvent, waitUntil } from './wait-for.ts';

// agenda's JobProcessor on our backend: running stats, expiry, touch, and throughput.
describe('conformance: job processor', async () => {
  const fx = await conformanceDatabase('processor', { connectionLimit: 30 });
  const options = { maxConcurrency: 4, defaultConcurrency: 1, lockLimit: 15, defaultLockLimit: 6, processEvery: 100, name: 'agendaTest' };

  describe('getRunningStats', () => {
    it('rejects before start', async () => {
      const agenda = await fx.agenda(options);
      await expect(agenda.getRunningStats()).rejects.toThrow('agenda not running!');
    });

    it('reports version, queue name, an empty DB queue, and a running job', async () => {
      const agenda = await fx.agenda(options);
      const gate = fx.gate();
      agenda.define('test', () => gate.wait());
      await agenda.start();
      const empty = await agenda.getRunningStats();
      expect(empty.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(empty.queueName).toBe('agendaTest');
      expect(empty.totalQueueSizeDB).toBe(0);
      expect(empty.backend.name).toBe('MySQL');
      const started = waitForEvent(agenda, 'start:test');
      await agenda.now('test');
      await started;
      const stats = await agenda.getRunningStats();
      expect(stats.jobStatus?.test).toMatchObject({ locked: 1, running: 1 });
      expect(stats.jobStatus?.test?.config).toMatchObject({ concurrency: 1, lockLifetime: 600_000, priority: 0, lockLimit: 6 });
      expect(typeof stats.jobStatus?.test?.config.fn).toBe('function');
    });

    it('totalQueueSizeDB counts due jobs', async () => {
      const agenda = await fx.agenda(options);
      agenda.define('unrelated', async () => undefined);
      await agenda.start();
      await agenda.schedule(new Date(Date.now() - 1_000), ['not-defined-1', 'not-defined-2']);
      await agenda.schedule('in 1 hour', 'not-defined-3');
      expect((await agenda.getRunningStats()).totalQueueSizeDB).toBe(2);
    });
  });

  it('new job names still get room while another name fills its lock limit', async () => {
    const agenda = await fx.agenda(options);
    const gate = fx.gate();
    let shortRan = 0;
    agenda.define('test long', () => gate.wait());
    agenda.define('test short', async () => void shortRan++);
    // Saved while agenda claims: every save must succeed (no lock conflicts with the claims).
    const longSaves = Promise.all(Array.from({ length: 30 }, () => agenda.now('test long')));
    await agenda.start();
    await waitUntil(async () => (await agenda.getRunningStats()).jobStatus?.['test long']?.locked === 6);
    const shortSaves = Promise.all(Array.from({ length: 10 }, () => agenda.now('test short')));
    await waitUntil(() => shortRan > 0, 2_000);
    expect(shortRan).toBeGreaterThan(0);
    await expect(longSaves).resolves.toHaveLength(30);
    await expect(shortSaves).resolves.toHaveLength(10);
  });

  it('a job that outlives its lock is cancelled with an error', async () => {
    const agenda = await fx.agenda(options);
    const gate = fx.gate();
    agenda.define('slow', () => gate.wait(), { lockLifetime: 200 });
    await agenda.start();
    const first = new Promise<string | Error>((resolve) => {
      agenda.once('error', (e: Error) => resolve(e));
      agenda.once('success:slow', () => resolve('success'));
    });
    await agenda.now('slow');
    const outcome = await first;
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/execution of 'slow' canceled/);
  });

  it('touch() keeps a long job alive past its lock lifetime', async () => {
    const agenda = await fx.agenda(options);
    const errors: Error[] = [];
    agenda.on('error', (e: Error) => errors.push(e));
    agenda.define(
      'touched',
      async (job: Job) => {
        for (let i = 0; i < 8; i++) {
          await delay(75);
          await job.touch();
        }
      },
      { lockLifetime: 250 },
    );
    await agenda.start();
    const done = waitForEvent(agenda, 'success:touched', 3_000);
    await agenda.now('touched');
    await done;
    expect(errors).toEqual([]);
  });

  it('fills concurrency across ten names, every name getting its share', async () => {
    const agenda = await fx.agenda({ ...options, maxConcurrency: 300, lockLimit: 150, defaultLockLimit: 20, defaultConcurrency: 10 });
    const gate = fx.gate();
    const names = Array.from({ length: 10 }, (_, i) => `fill-${i}`);
    for (const name of names) agenda.define(name, () => gate.wait(), { lockLifetime: 10_000 });
    const saves = Promise.all(names.flatMap((name) => Array.from({ length: 25 }, () => agenda.now(name))));
    await agenda.start();
    // A bound for the wait, not a speed check (speed is measured by npm run bench).
    await waitUntil(async () => ((await agenda.getRunningStats()).runningJobs as number) >= 90, 10_000);
    await expect(saves).resolves.toHaveLength(250);
    const stats = await agenda.getRunningStats();
    // defaultConcurrency 10 per name × 10 names = 100 running; lockLimit 150 bounds the locked ones.
    expect(stats.runningJobs).toBeGreaterThanOrEqual(90);
    expect(stats.lockedJobs).toBeLessThanOrEqual(150);
  });
});
