import { describe, expect, it } from 'vitest';
import { conformanceDatabase } from './fixture.ts';
import { delay, waitForEvent } from './wait-for.ts';

// drain() and stop(): graceful shutdown on our backend (the pool stays usable afterwards).
describe('conformance: drain and stop', async () => {
  const fx = await conformanceDatabase('drain');

  async function started(durationMs: number, jobs = 1) {
    const agenda = await fx.agenda();
    const finished: number[] = [];
    agenda.define('drain-job', async () => {
      await delay(durationMs);
      finished.push(Date.now());
    });
    await agenda.start();
    const first = waitForEvent(agenda, 'start:drain-job');
    for (let i = 0; i < jobs; i++) await agenda.now('drain-job');
    await first;
    return { agenda, finished };
  }

  it('waits for every running job', async () => {
    const { agenda, finished } = await started(200, 3);
    // All three are claimed within one scan; give the other two a moment to start too.
    await delay(50);
    const result = await agenda.drain();
    expect(result).toEqual({ completed: 3, running: 0, timedOut: false, aborted: false });
    expect(finished).toHaveLength(3);
    expect(await fx.lockedIds()).toEqual([]);
    expect(await fx.count('last_finished_at IS NOT NULL')).toBe(3);
  });

  it('waits for a single job', async () => {
    const { agenda, finished } = await started(300);
    const result = await agenda.drain();
    expect(result).toMatchObject({ completed: 1, running: 0 });
    expect(finished).toHaveLength(1);
  });

  it('returns zeros when nothing runs', async () => {
    const agenda = await fx.agenda();
    agenda.define('idle', async () => undefined);
    await agenda.start();
    expect(await agenda.drain()).toEqual({ completed: 0, running: 0, timedOut: false, aborted: false });
  });

  it('gives up after a timeout, given as a number or an option', async () => {
    const first = await started(1_000);
    expect(await first.agenda.drain(100)).toEqual({ completed: 0, running: 1, timedOut: true, aborted: false });
    const second = await started(1_000);
    expect(await second.agenda.drain({ timeout: 100 })).toMatchObject({ timedOut: true, running: 1 });
  });

  it('stops waiting when aborted, even before a timeout', async () => {
    const first = await started(1_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await first.agenda.drain({ signal: controller.signal })).toEqual({ completed: 0, running: 1, timedOut: false, aborted: true });
    const second = await started(1_000);
    expect(await second.agenda.drain({ signal: AbortSignal.abort() })).toMatchObject({ aborted: true, running: 1 });
    const third = await started(1_000);
    const soon = new AbortController();
    setTimeout(() => soon.abort(), 50);
    expect(await third.agenda.drain({ timeout: 200, signal: soon.signal })).toMatchObject({ aborted: true, timedOut: false });
  });

  it('start then stop works, and the repository answers afterwards', async () => {
    const agenda = await fx.agenda();
    agenda.define('quiet', async () => undefined);
    await agenda.start();
    await agenda.stop();
    await agenda.now('quiet');
    expect((await agenda.queryJobs({ name: 'quiet' })).total).toBe(1);
  });
});
