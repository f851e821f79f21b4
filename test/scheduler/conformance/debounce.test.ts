import type { Agenda, Job } from 'agenda';
import { describe, expect, it } from 'vitest';
import { conformanceDatabase, jsonValue } from './fixture.ts';
import { delay } from './wait-for.ts';

// Debounced unique jobs: trailing (default), leading and maxWait, stored by our upsert.
describe('conformance: debounce', async () => {
  const fx = await conformanceDatabase('debounce');
  type Options = { maxWait?: number; strategy?: 'trailing' | 'leading' };

  const save = (agenda: Agenda, data: Record<string, unknown>, ms: number, options?: Options, name = 'debounced') =>
    agenda.create(name, data).unique({ 'data.key': data.key }).debounce(ms, options).save();

  const rows = async (name = 'debounced') => (await fx.agenda()).queryJobs({ name });

  describe('trailing', () => {
    it('schedules the first save delay ms ahead', async () => {
      const agenda = await fx.agenda({ processEvery: 50 });
      const before = Date.now();
      const job = await save(agenda, { key: 'test1' }, 1_000);
      const after = Date.now();
      expect(job.attrs.nextRunAt!.getTime()).toBeGreaterThanOrEqual(before + 1_000);
      expect(job.attrs.nextRunAt!.getTime()).toBeLessThanOrEqual(after + 1_100);
      expect(job.attrs.debounceStartedAt).toBeInstanceOf(Date);
      expect((await fx.row(job.attrs._id))?.next_run_at.getTime()).toBe(job.attrs.nextRunAt!.getTime());
    });

    it('pushes the run back on every save and keeps the latest data', async () => {
      const agenda = await fx.agenda({ processEvery: 50 });
      const first = await save(agenda, { key: 'test2', value: 'first' }, 1_000);
      await delay(200);
      const second = await save(agenda, { key: 'test2', value: 'second' }, 1_000);
      expect(String(second.attrs._id)).toBe(String(first.attrs._id));
      expect(second.attrs.nextRunAt!.getTime()).toBeGreaterThan(first.attrs.nextRunAt!.getTime());
      expect(second.attrs.nextRunAt!.getTime()).toBeGreaterThanOrEqual(Date.now() + 900);
      expect(second.attrs.data).toEqual({ key: 'test2', value: 'second' });
    });

    it('collapses five saves into one row with the last data', async () => {
      const agenda = await fx.agenda({ processEvery: 50 });
      for (let iteration = 0; iteration < 5; iteration++) await save(agenda, { key: 'test4', iteration }, 500);
      const { jobs } = await rows();
      expect(jobs).toHaveLength(1);
      expect(jobs[0]?.data).toEqual({ key: 'test4', iteration: 4 });
    });
  });

  describe('leading', () => {
    it('keeps the first schedule and stores newer data', async () => {
      const agenda = await fx.agenda({ processEvery: 50 });
      const before = Date.now();
      const first = await save(agenda, { key: 'lead', value: 1 }, 5_000, { strategy: 'leading' });
      expect(Math.abs(first.attrs.nextRunAt!.getTime() - before)).toBeLessThanOrEqual(100);
      await delay(200);
      const second = await save(agenda, { key: 'lead', value: 2 }, 5_000, { strategy: 'leading' });
      expect(second.attrs.nextRunAt!.getTime()).toBe(first.attrs.nextRunAt!.getTime());
      expect(second.attrs.data).toEqual({ key: 'lead', value: 2 });
      expect(jsonValue((await fx.row(first.attrs._id))?.data)).toEqual({ key: 'lead', value: 2 });
      expect((await rows()).total).toBe(1);
    });
  });

  describe('maxWait', () => {
    it('forces a run once maxWait has passed since the first save', async () => {
      const agenda = await fx.agenda({ processEvery: 50 });
      const first = await save(agenda, { key: 'max' }, 2_000, { maxWait: 500 });
      expect(first.attrs.debounceStartedAt).toBeInstanceOf(Date);
      await delay(600);
      const second = await save(agenda, { key: 'max' }, 2_000, { maxWait: 500 });
      expect(second.attrs.nextRunAt!.getTime()).toBeLessThanOrEqual(Date.now() + 100);
      expect(second.attrs.debounceStartedAt ?? null).toBeNull();
      expect((await fx.row(first.attrs._id))?.debounce_started_at).toBeNull();
    });

    it('keeps debouncing before maxWait', async () => {
      const agenda = await fx.agenda({ processEvery: 50 });
      const first = await save(agenda, { key: 'before-max' }, 500, { maxWait: 5_000 });
      await delay(200);
      // Measured before the save: a slow machine may take longer than the margin to answer it.
      const savedFrom = Date.now();
      const second = await save(agenda, { key: 'before-max' }, 500, { maxWait: 5_000 });
      expect(second.attrs.nextRunAt!.getTime()).toBeGreaterThan(first.attrs.nextRunAt!.getTime());
      expect(second.attrs.nextRunAt!.getTime()).toBeGreaterThanOrEqual(savedFrom + 500);
      expect(second.attrs.debounceStartedAt?.getTime()).toBe(first.attrs.debounceStartedAt?.getTime());
    });
  });

  describe('keys', () => {
    it('numeric unique values that differ make separate jobs', async () => {
      const agenda = await fx.agenda({ processEvery: 50 });
      const a = await agenda.create('entity', { entityId: 1 }).unique({ 'data.entityId': 1 }).debounce(500).save();
      const b = await agenda.create('entity', { entityId: 2 }).unique({ 'data.entityId': 2 }).debounce(500).save();
      const c = await agenda.create('entity', { entityId: 1 }).unique({ 'data.entityId': 1 }).debounce(500).save();
      expect(String(a.attrs._id)).not.toBe(String(b.attrs._id));
      expect(String(c.attrs._id)).toBe(String(a.attrs._id));
      expect((await rows('entity')).total).toBe(2);
    });

    it('debounce without unique inserts a job on every save', async () => {
      const agenda = await fx.agenda({ processEvery: 50 });
      const a = await agenda.create('plain', { n: 1 }).debounce(500).save();
      const b = await agenda.create('plain', { n: 1 }).debounce(500).save();
      expect(String(a.attrs._id)).not.toBe(String(b.attrs._id));
      expect((await rows('plain')).total).toBe(2);
    });
  });

  it('runs once, with the data of the last save', async () => {
    const agenda = await fx.agenda({ processEvery: 50 });
    const runs: unknown[] = [];
    agenda.define('debounced', async (job: Job) => void runs.push(job.attrs.data));
    for (const value of [1, 2, 3]) {
      await save(agenda, { key: 'exec1', value }, 200);
      await delay(50);
    }
    await agenda.start();
    await delay(450);
    expect(runs).toEqual([{ key: 'exec1', value: 3 }]);
    expect((await rows()).total).toBe(1);
  });
});
