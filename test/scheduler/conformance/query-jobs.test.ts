import { computeJobState, type JobParameters, type JobState } from 'agenda';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MySqlJobRepository } from '../../../sidecar/src/scheduler/mysql-job-repository.ts';
import { conformanceDatabase, jobParams, seconds } from './fixture.ts';

// queryJobs, getJobsOverview and the SQL state expression (job-filter.ts stateSql).
describe('conformance: queryJobs and overview', async () => {
  const fx = await conformanceDatabase('query');
  let repo: MySqlJobRepository;
  beforeEach(() => {
    repo = fx.backend().repository;
  });

  describe('filters and pagination', () => {
    beforeEach(async () => {
      await repo.saveJob(jobParams('job-a', { priority: 10, nextRunAt: seconds(60), data: { type: 'alpha', count: 1 } }), undefined);
      await repo.saveJob(
        jobParams('job-a', { priority: 15, nextRunAt: seconds(180), data: { type: 'alpha', count: 3, meta: { x: 1 } } }),
        undefined,
      );
      await repo.saveJob(jobParams('job-b', { priority: 5, nextRunAt: seconds(120), data: { type: 'beta', count: 2 } }), undefined);
    });

    it('returns everything without options', async () => {
      const result = await repo.queryJobs();
      expect(result.total).toBe(3);
      expect(result.jobs).toHaveLength(3);
      for (const job of result.jobs) expect(job.state).toBe('scheduled');
    });

    it('filters by name, names, id and ids', async () => {
      const byName = await repo.queryJobs({ name: 'job-a' });
      expect(byName.total).toBe(2);
      expect(byName.jobs.every((j) => j.name === 'job-a')).toBe(true);
      expect((await repo.queryJobs({ names: ['job-a', 'job-b'] })).total).toBe(3);
      expect((await repo.queryJobs({ names: ['job-b'] })).total).toBe(1);
      const ids = byName.jobs.map((j) => String(j._id));
      const byId = await repo.queryJobs({ id: ids[0] });
      expect(byId.jobs.map((j) => String(j._id))).toEqual([ids[0]]);
      expect((await repo.queryJobs({ ids })).total).toBe(2);
      expect((await repo.queryJobs({ name: 'non-existent' })).jobs).toEqual([]);
    });

    it('searches names case-insensitively, with % and _ taken literally', async () => {
      expect((await repo.queryJobs({ search: 'job' })).total).toBe(3);
      expect((await repo.queryJobs({ search: 'JOB-A' })).total).toBe(2);
      expect((await repo.queryJobs({ search: 'Ob-B' })).total).toBe(1);
      expect((await repo.queryJobs({ search: 'job_a' })).total).toBe(0);
      expect((await repo.queryJobs({ search: '%' })).total).toBe(0);
    });

    it('filters by data containment, partial and nested', async () => {
      expect((await repo.queryJobs({ data: { type: 'alpha' } })).total).toBe(2);
      expect((await repo.queryJobs({ data: { type: 'alpha', count: 3 } })).total).toBe(1);
      expect((await repo.queryJobs({ data: { meta: { x: 1 } } })).total).toBe(1);
      expect((await repo.queryJobs({ data: { type: 'gamma' } })).total).toBe(0);
    });

    it('paginates after counting', async () => {
      const page = await repo.queryJobs({ skip: 1, limit: 1 });
      expect(page.jobs).toHaveLength(1);
      expect(page.total).toBe(3);
      expect((await repo.queryJobs({ limit: 2 })).jobs).toHaveLength(2);
      expect((await repo.queryJobs({ skip: 2 })).jobs).toHaveLength(1);
      const all = (await repo.queryJobs({ sort: { priority: 'asc' } })).jobs.map((j) => j.priority);
      const pages = [];
      for (let skip = 0; skip < 3; skip++)
        pages.push(...(await repo.queryJobs({ sort: { priority: 'asc' }, skip, limit: 1 })).jobs.map((j) => j.priority));
      expect(pages).toEqual(all);
    });

    it('includes disabled jobs unless told not to', async () => {
      await repo.saveJob(jobParams('job-c', { disabled: true }), undefined);
      expect((await repo.queryJobs({ includeDisabled: true })).total).toBe(4);
      expect((await repo.queryJobs({})).total).toBe(4);
      expect((await repo.queryJobs({ includeDisabled: false })).total).toBe(3);
    });

    it('sorts by priority, nextRunAt (nulls last) and name; default is nextRunAt desc', async () => {
      await repo.saveJob(jobParams('job-0', { priority: 0, nextRunAt: null }), undefined);
      const prio = (await repo.queryJobs({ sort: { priority: 'desc' } })).jobs.map((j) => j.priority);
      expect(prio).toEqual([15, 10, 5, 0]);
      const asc = (await repo.queryJobs({ sort: { nextRunAt: 'asc' } })).jobs.map((j) => j.priority);
      expect(asc).toEqual([10, 5, 15, 0]);
      const desc = (await repo.queryJobs({ sort: { nextRunAt: 'desc' } })).jobs.map((j) => j.priority);
      expect(desc).toEqual([15, 5, 10, 0]);
      expect((await repo.queryJobs()).jobs.map((j) => j.priority)).toEqual(desc);
      const byName = (await repo.queryJobs({ sort: { name: 'asc', priority: 'asc' } })).jobs.map((j) => `${j.name}:${j.priority}`);
      expect(byName).toEqual(['job-0:0', 'job-a:10', 'job-a:15', 'job-b:5']);
    });
  });

  describe('state: SQL agrees with computeJobState', () => {
    const past = seconds(-3_600);
    const earlier = seconds(-7_200);
    // One row per representative situation, with the state agenda's computeJobState gives it.
    const fixtures: Array<[string, Partial<JobParameters>, JobState]> = [
      ['running', { lockedAt: past, nextRunAt: seconds(-5) }, 'running'],
      ['running-failed', { lockedAt: past, failedAt: past }, 'running'],
      ['failed', { failedAt: past, lastFinishedAt: past, failCount: 1, nextRunAt: null }, 'failed'],
      ['failed-unfinished', { failedAt: past, nextRunAt: seconds(60) }, 'failed'],
      ['failed-then-finished', { failedAt: earlier, lastFinishedAt: past, nextRunAt: null }, 'completed'],
      ['failed-repeating', { failedAt: past, lastFinishedAt: earlier, repeatInterval: '5 minutes', nextRunAt: seconds(60) }, 'failed'],
      ['repeating', { repeatInterval: '5 minutes', type: 'single', nextRunAt: seconds(60) }, 'repeating'],
      ['repeating-due', { repeatInterval: '0 6 * * *', nextRunAt: seconds(-60), lastFinishedAt: past }, 'repeating'],
      ['scheduled', { nextRunAt: seconds(600) }, 'scheduled'],
      ['queued', { nextRunAt: seconds(-60) }, 'queued'],
      ['completed', { nextRunAt: null, lastRunAt: past, lastFinishedAt: past }, 'completed'],
      ['never-run', { nextRunAt: null }, 'completed'],
      ['paused-scheduled', { nextRunAt: seconds(600), disabled: true }, 'scheduled'],
      ['paused-queued', { nextRunAt: seconds(-60), disabled: true }, 'queued'],
    ];

    async function seed(): Promise<Map<string, JobState>> {
      const states = new Map<string, JobState>();
      for (const [name, attrs, expected] of fixtures) {
        const saved = await repo.saveJob(jobParams(name, { nextRunAt: attrs.nextRunAt ?? null, ...attrs }), undefined);
        await repo.saveJobState({ ...saved, ...attrs }, undefined);
        const stored = await repo.getJobById(String(saved._id));
        // The fixture is what it claims to be, by agenda's own rule.
        expect(computeJobState(stored!), name).toBe(expected);
        states.set(String(saved._id), expected);
      }
      return states;
    }

    it('queryJobs({ state }) selects exactly the jobs of that state', async () => {
      const states = await seed();
      for (const state of ['running', 'failed', 'repeating', 'scheduled', 'queued', 'completed'] as JobState[]) {
        const result = await repo.queryJobs({ state });
        const expected = [...states]
          .filter(([, s]) => s === state)
          .map(([id]) => id)
          .sort();
        expect(result.jobs.map((j) => String(j._id)).sort(), state).toEqual(expected);
        expect(result.total, state).toBe(expected.length);
        for (const job of result.jobs) expect(job.state).toBe(state);
      }
      const paused = await repo.queryJobs({ state: 'paused' });
      expect(paused.jobs.map((j) => j.name).sort()).toEqual(['paused-queued', 'paused-scheduled']);
    });

    it('paginates within a state', async () => {
      await seed();
      const page = await repo.queryJobs({ state: 'completed', limit: 1, skip: 1, sort: { name: 'asc' } });
      expect(page.total).toBe(3);
      expect(page.jobs.map((j) => j.name)).toEqual(['failed-then-finished']);
    });

    it('getJobsOverview counts each name by computed state, plus paused', async () => {
      const states = await seed();
      await repo.saveJob(jobParams('queued', { nextRunAt: seconds(-10) }), undefined);
      await repo.saveJob(jobParams('queued', { nextRunAt: seconds(300) }), undefined);
      const overview = await repo.getJobsOverview();
      expect(overview.map((o) => o.name)).toEqual([...fixtures.map(([n]) => n)].sort());
      const queued = overview.find((o) => o.name === 'queued');
      expect(queued).toMatchObject({ total: 3, queued: 2, scheduled: 1, running: 0, paused: 0 });
      for (const [name, , expected] of fixtures) {
        const entry = overview.find((o) => o.name === name)!;
        if (name === 'queued') continue;
        expect(entry.total, name).toBe(1);
        expect(entry[expected as Exclude<JobState, 'paused'>], `${name} ${expected}`).toBe(1);
        expect(entry.paused, name).toBe(name.startsWith('paused') ? 1 : 0);
        const buckets = entry.running + entry.failed + entry.repeating + entry.scheduled + entry.queued + entry.completed;
        expect(buckets, name).toBe(1);
      }
      expect(states.size).toBe(fixtures.length);
    });
  });
});
