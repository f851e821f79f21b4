import { createServer } from 'node:net';
import type { JobParameters } from 'agenda';
import { createPool } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { MySqlJobRepository } from '../../../sidecar/src/scheduler/mysql-job-repository.ts';
import { conformanceDatabase, jobParams, seconds } from './fixture.ts';

// The JobRepository contract, method by method (catalogue §2.1 and §3.2).
describe('conformance: JobRepository', async () => {
  const fx = await conformanceDatabase('repository');
  const repository = () => fx.backend().repository;
  const claimArgs = () => {
    const now = new Date();
    return [new Date(now.getTime() + 5_000), new Date(now.getTime() - 10 * 60_000), now] as const;
  };

  describe('saveJob / getJobById', () => {
    it('inserts a job and returns it with a string id', async () => {
      const repo = repository();
      const saved = await repo.saveJob(jobParams('test-job', { priority: 10, data: { foo: 'bar' } }), undefined);
      expect(typeof saved._id).toBe('string');
      expect(saved).toMatchObject({ name: 'test-job', priority: 10, type: 'normal', data: { foo: 'bar' } });
      const loaded = await repo.getJobById(String(saved._id));
      expect(loaded?._id).toBe(saved._id);
      expect(loaded).toMatchObject({ name: 'test-job', priority: 10, data: { foo: 'bar' } });
    });

    it('updates by id on the second save', async () => {
      const repo = repository();
      const first = await repo.saveJob(jobParams('update-job', { priority: 5, data: { version: 1 } }), undefined);
      const second = await repo.saveJob({ ...first, priority: 20, data: { version: 2 } }, undefined);
      expect(second._id).toBe(first._id);
      expect(second).toMatchObject({ priority: 20, data: { version: 2 } });
      expect(await fx.count()).toBe(1);
    });

    it('keeps one row per name for type single', async () => {
      const repo = repository();
      const a = await repo.saveJob(
        jobParams('single-job', { type: 'single', nextRunAt: seconds(60), priority: 5, data: { run: 1 } }),
        undefined,
      );
      const b = await repo.saveJob(
        jobParams('single-job', { type: 'single', nextRunAt: seconds(120), priority: 10, data: { run: 2 } }),
        undefined,
      );
      expect(b._id).toBe(a._id);
      expect(b).toMatchObject({ priority: 10, data: { run: 2 } });
      expect((await repo.queryJobs({ name: 'single-job' })).total).toBe(1);
    });

    it('stores disabled as a real boolean', async () => {
      const repo = repository();
      const saved = await repo.saveJob(jobParams('disabled-job', { disabled: true }), undefined);
      expect(saved.disabled).toBe(true);
      expect((await repo.getJobById(String(saved._id)))?.disabled).toBe(true);
    });

    it('keeps milliseconds, maps NULL columns to undefined and a null nextRunAt to null', async () => {
      const repo = repository();
      const at = new Date(Date.now() + 61_234);
      const saved = await repo.saveJob(jobParams('ms-job', { nextRunAt: at, data: undefined }), undefined);
      const loaded = await repo.getJobById(String(saved._id));
      expect(loaded?.nextRunAt?.getTime()).toBe(at.getTime());
      expect(loaded?.data).toBeNull();
      expect(loaded?.failCount).toBeUndefined();
      expect(loaded?.failReason).toBeUndefined();
      expect(loaded?.lockedAt).toBeUndefined();
      const none = await repo.saveJob(jobParams('null-next', { nextRunAt: null }), undefined);
      expect((await repo.getJobById(String(none._id)))?.nextRunAt).toBeNull();
    });

    it('returns null for a missing id', async () => {
      const repo = repository();
      const saved = await repo.saveJob(jobParams('gone'), undefined);
      expect(await repo.removeJobs({ id: saved._id })).toBe(1);
      expect(await repo.getJobById(String(saved._id))).toBeNull();
    });

    it('returns the input unchanged when updating a removed job, inserting nothing', async () => {
      const repo = repository();
      const saved = await repo.saveJob(jobParams('vanishing'), undefined);
      await repo.removeJobs({ id: saved._id });
      const again = await repo.saveJob({ ...saved, priority: 3 }, undefined);
      expect(again._id).toBe(saved._id);
      expect(await fx.count()).toBe(0);
    });

    it('writes lastModifiedBy', async () => {
      const saved = await repository().saveJob(jobParams('by-job'), { lastModifiedBy: 'worker-7' });
      expect((await fx.row(saved._id))?.last_modified_by).toBe('worker-7');
    });
  });

  describe('removeJobs / purgeAllJobs / names / queue size', () => {
    it('removes by name, id and ids and counts what it removed', async () => {
      const repo = repository();
      await repo.saveJob(jobParams('remove-test'), undefined);
      await repo.saveJob(jobParams('remove-test'), undefined);
      const keep = await repo.saveJob(jobParams('keep-test'), undefined);
      expect(await repo.removeJobs({ name: 'remove-test' })).toBe(2);
      const left = await repo.queryJobs();
      expect(left.total).toBe(1);
      expect(left.jobs[0]?.name).toBe('keep-test');
      const a = await repo.saveJob(jobParams('x'), undefined);
      const b = await repo.saveJob(jobParams('x'), undefined);
      expect(await repo.removeJobs({ ids: [a._id!, b._id!] })).toBe(2);
      expect(await repo.removeJobs({ id: keep._id })).toBe(1);
      expect(await repo.removeJobs({ name: 'non-existent' })).toBe(0);
    });

    it('removes by notNames and by data, and nothing for empty criteria', async () => {
      const repo = repository();
      await repo.saveJob(jobParams('defined', { data: { kind: 'a' } }), undefined);
      await repo.saveJob(jobParams('orphan', { data: { kind: 'b', extra: 1 } }), undefined);
      await repo.saveJob(jobParams('orphan', { data: { kind: 'a' } }), undefined);
      expect(await repo.removeJobs({})).toBe(0);
      expect(await repo.removeJobs({ ids: [], notNames: [] })).toBe(0);
      expect(await repo.removeJobs({ data: { kind: 'b' } })).toBe(1);
      expect(await repo.removeJobs({ notNames: ['defined'] })).toBe(1);
      expect(await repo.getDistinctJobNames()).toEqual(['defined']);
    });

    it('purgeAllJobs deletes every job and returns the count', async () => {
      const repo = repository();
      for (const name of ['a', 'b', 'c']) await repo.saveJob(jobParams(name), undefined);
      expect(await repo.purgeAllJobs()).toBe(3);
      expect(await fx.count()).toBe(0);
      expect(await repo.purgeAllJobs()).toBe(0);
    });

    it('lists distinct names sorted, [] when empty', async () => {
      const repo = repository();
      expect(await repo.getDistinctJobNames()).toEqual([]);
      for (const name of ['b', 'a', 'b']) await repo.saveJob(jobParams(name), undefined);
      expect(await repo.getDistinctJobNames()).toEqual(['a', 'b']);
    });

    it('counts jobs due before now as the queue size', async () => {
      const repo = repository();
      expect(await repo.getQueueSize()).toBe(0);
      await repo.saveJob(jobParams('q', { nextRunAt: seconds(60) }), undefined);
      expect(await repo.getQueueSize()).toBe(0);
      await repo.saveJob(jobParams('q', { nextRunAt: seconds(-60) }), undefined);
      await repo.saveJob(jobParams('q', { nextRunAt: seconds(-30) }), undefined);
      expect(await repo.getQueueSize()).toBe(2);
    });
  });

  describe('locking', () => {
    it('lockJob locks once and refuses a second lock', async () => {
      const repo = repository();
      const saved = await repo.saveJob(jobParams('lock-me', { nextRunAt: seconds(-1) }), undefined);
      const locked = await repo.lockJob(saved, undefined);
      expect(locked?._id).toBe(saved._id);
      expect(locked?.lockedAt).toBeInstanceOf(Date);
      expect(await repo.lockJob(saved, undefined)).toBeUndefined();
    });

    it('unlockJob and unlockJobs clear locks', async () => {
      const repo = repository();
      const a = await repo.saveJob(jobParams('lock-me', { nextRunAt: seconds(-1) }), undefined);
      const b = await repo.saveJob(jobParams('lock-me', { nextRunAt: seconds(-2) }), undefined);
      const lockedA = await repo.lockJob(a, undefined);
      await repo.lockJob(b, undefined);
      expect(await fx.lockedIds()).toHaveLength(2);
      await repo.unlockJob(lockedA!);
      expect((await repo.getJobById(String(a._id)))?.lockedAt).toBeUndefined();
      await repo.lockJob(a, undefined);
      await repo.unlockJobs([a._id!, b._id!]);
      expect(await fx.lockedIds()).toEqual([]);
    });

    it('unlockJob leaves a lock alone when nextRunAt is null (its runner clears it)', async () => {
      const repo = repository();
      const saved = await repo.saveJob(jobParams('finishing', { nextRunAt: null }), undefined);
      await fx.pool.query('UPDATE agenda_jobs SET locked_at = ? WHERE id = ?', [new Date(), saved._id]);
      await repo.unlockJob(saved);
      expect(await fx.lockedIds()).toEqual([String(saved._id)]);
    });

    // agenda's JobProcessor calls unlockJob without awaiting it: a rejection would be unhandled and
    // end the sidecar (seen when the database restarted under a running sidecar).
    it('unlockJob reports a database that is away instead of rejecting', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as { port: number };
      await new Promise((resolve) => closed.close(resolve));
      const pool = createPool({ host: '127.0.0.1', port, user: 'nobody', connectionLimit: 1 });
      const errors: Error[] = [];
      try {
        const repo = new MySqlJobRepository({ pool, onUnlockError: (error) => errors.push(error) });
        await expect(repo.unlockJob(jobParams('away', { _id: '1' as JobParameters['_id'] }))).resolves.toBeUndefined();
        expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['ECONNREFUSED']);
      } finally {
        await pool.end();
      }
    });
  });

  describe('getNextJobToRun', () => {
    it('claims a due job and stores the claim time', async () => {
      const repo = repository();
      await repo.saveJob(jobParams('runner-test', { nextRunAt: seconds(-60) }), undefined);
      const [scan, deadline, now] = claimArgs();
      const job = await repo.getNextJobToRun('runner-test', scan, deadline, now, { lastModifiedBy: 'me' });
      expect(job?.name).toBe('runner-test');
      expect(job?.lockedAt?.getTime()).toBe(now.getTime());
      const stored = await fx.row(job!._id);
      expect(stored?.locked_at.getTime()).toBe(now.getTime());
      expect(stored?.last_modified_by).toBe('me');
    });

    it('breaks nextRunAt ties by priority, highest first, and earlier jobs go first', async () => {
      const repo = repository();
      const at = seconds(-60);
      await repo.saveJob(jobParams('priority-test', { nextRunAt: at, priority: 5, data: { priority: 'low' } }), undefined);
      await repo.saveJob(jobParams('priority-test', { nextRunAt: at, priority: 10, data: { priority: 'high' } }), undefined);
      await repo.saveJob(jobParams('priority-test', { nextRunAt: seconds(-120), priority: -5, data: { priority: 'first' } }), undefined);
      const [scan, deadline, now] = claimArgs();
      const order = [];
      for (let i = 0; i < 3; i++) order.push((await repo.getNextJobToRun('priority-test', scan, deadline, now, undefined))?.data);
      expect(order).toEqual([{ priority: 'first' }, { priority: 'high' }, { priority: 'low' }]);
    });

    it('skips disabled jobs, jobs beyond nextScanAt, other names and fresh locks', async () => {
      const repo = repository();
      await repo.saveJob(jobParams('skip-test', { nextRunAt: seconds(-60), disabled: true }), undefined);
      await repo.saveJob(jobParams('skip-test', { nextRunAt: seconds(60) }), undefined);
      await repo.saveJob(jobParams('other-name', { nextRunAt: seconds(-60) }), undefined);
      const fresh = await repo.saveJob(jobParams('skip-test', { nextRunAt: seconds(-60) }), undefined);
      await fx.pool.query('UPDATE agenda_jobs SET locked_at = ? WHERE id = ?', [seconds(-60), fresh._id]);
      const [scan, deadline, now] = claimArgs();
      expect(await repo.getNextJobToRun('skip-test', scan, deadline, now, undefined)).toBeUndefined();
    });

    it('claims a job within the scan window that is not yet due', async () => {
      const repo = repository();
      await repo.saveJob(jobParams('soon', { nextRunAt: seconds(2) }), undefined);
      const [scan, deadline, now] = claimArgs();
      expect((await repo.getNextJobToRun('soon', scan, deadline, now, undefined))?.name).toBe('soon');
    });

    it('reclaims a job whose lock is older than lockLifetime, even with a null nextRunAt', async () => {
      const repo = repository();
      const stale = await repo.saveJob(jobParams('stale', { nextRunAt: null }), undefined);
      await fx.pool.query('UPDATE agenda_jobs SET locked_at = ? WHERE id = ?', [seconds(-20 * 60), stale._id]);
      const [scan, deadline, now] = claimArgs();
      const job = await repo.getNextJobToRun('stale', scan, deadline, now, undefined);
      expect(job?._id).toBe(stale._id);
      expect((await fx.row(stale._id))?.locked_at.getTime()).toBe(now.getTime());
      expect(await repo.getNextJobToRun('stale', scan, deadline, new Date(), undefined)).toBeUndefined();
    });
  });

  describe('saveJobState', () => {
    it('persists run state with numbers as numbers', async () => {
      const repo = repository();
      const saved = await repo.saveJob(jobParams('state-job'), undefined);
      const now = new Date();
      await repo.saveJobState(
        { ...saved, lastRunAt: now, lastFinishedAt: now, progress: 50, failCount: 1, failReason: 'Test error', failedAt: now },
        undefined,
      );
      const loaded = await repo.getJobById(String(saved._id));
      expect(loaded?.lastRunAt?.getTime()).toBe(now.getTime());
      expect(loaded?.lastFinishedAt?.getTime()).toBe(now.getTime());
      expect(loaded?.failedAt?.getTime()).toBe(now.getTime());
      expect(loaded).toMatchObject({ progress: 50, failCount: 1, failReason: 'Test error' });
    });

    it('clears the lock and keeps failCount 0 (6.2.6 resets it on success)', async () => {
      const repo = repository();
      const saved = await repo.saveJob(jobParams('state-job', { nextRunAt: seconds(-1) }), undefined);
      const locked = await repo.lockJob(saved, undefined);
      await repo.saveJobState({ ...locked!, lockedAt: undefined, lastFinishedAt: new Date(), failCount: 0 }, undefined);
      const loaded = await repo.getJobById(String(saved._id));
      expect(loaded?.lockedAt).toBeUndefined();
      expect(loaded?.failCount).toBe(0);
    });

    it('rejects for a job that does not exist or has no id', async () => {
      const repo = repository();
      const saved = await repo.saveJob(jobParams('state-job'), undefined);
      await repo.removeJobs({ id: saved._id });
      await expect(repo.saveJobState(saved, undefined)).rejects.toThrow(/cannot be updated/);
      await expect(repo.saveJobState(jobParams('no-id'), undefined)).rejects.toThrow(/without job ID/);
    });
  });

  it('connect can be called again on the same repository', async () => {
    const repo = repository();
    await repo.connect();
    await repo.connect();
    expect(await repo.getDistinctJobNames()).toEqual([]);
  });
});
