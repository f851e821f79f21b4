import { describe, expect, it } from 'vitest';
import { conformanceDatabase, jobParams, seconds } from './fixture.ts';
import { delay, waitForEvents } from './wait-for.ts';

// Our backend's in-process wake channel. processEvery is an hour in these tests: anything
// that runs after the first scan at start() ran because it was woken, not because it was polled.
const HOUR = 3_600_000;

describe('wake channel', async () => {
  const db = await conformanceDatabase('wake');

  it('refills from the database as jobs finish, so a small lock limit still drains the backlog', async () => {
    const repository = db.backend().repository;
    for (let i = 0; i < 12; i++) await repository.saveJob(jobParams('wake.backlog', { nextRunAt: seconds(-1), data: { i } }), undefined);
    const agenda = await db.agenda({ processEvery: HOUR, lockLimit: 2, defaultLockLimit: 2, maxConcurrency: 2 }, { claimBatch: 1 });
    agenda.define('wake.backlog', async () => undefined);
    const all = waitForEvents(agenda, 'complete:wake.backlog', 12, 10_000);
    await agenda.start();
    await expect(all).resolves.toHaveLength(12);
    expect(await db.count("name = 'wake.backlog' AND last_finished_at IS NULL")).toBe(0);
  });

  it('does not wake on saves: a burst of new jobs waits for the poll, which fills every name together', async () => {
    const agenda = await db.agenda({ processEvery: HOUR });
    let ran = 0;
    agenda.define('wake.saved', async () => {
      ran++;
    });
    await agenda.start();
    await delay(50); // the start-up scan has found nothing
    await agenda.now('wake.saved');
    await delay(300);
    expect(ran).toBe(0);
    expect(await db.count("name = 'wake.saved' AND locked_at IS NULL")).toBe(1);
  });

  it('is off when asked: then only polling finds work (agenda stock behaviour)', async () => {
    const agenda = await db.agenda({ processEvery: HOUR }, { wake: false });
    expect(agenda.hasNotificationChannel()).toBe(false);
  });
});
