import type { JobParameters } from 'agenda';
import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { DUE_JOBS_SQL, STALE_JOBS_SQL } from '../../../sidecar/src/scheduler/batch-claimer.ts';
import { MySqlBackend } from '../../../sidecar/src/scheduler/mysql-backend.ts';
import { conformanceDatabase, jobParams, seconds } from './fixture.ts';

// Our backend's group-committed saveJobState, and the claim queries' use of their indexes.
describe('backend: group-committed job state and claim indexes', async () => {
  const fx = await conformanceDatabase('state_writer');

  /** A backend whose pool counts the statements it runs. */
  function counting() {
    const counts = { query: 0 };
    const pool = new Proxy(fx.pool, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop === 'query') {
          return (...args: unknown[]) => {
            counts.query++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { repo: new MySqlBackend({ pool }).repository, counts };
  }

  async function saved(count: number): Promise<JobParameters[]> {
    const repo = fx.backend().repository;
    const jobs: JobParameters[] = [];
    for (let i = 0; i < count; i++) jobs.push(await repo.saveJob(jobParams(`state-${i % 3}`, { nextRunAt: seconds(-10) }), undefined));
    return jobs;
  }

  it('persists many concurrent saveJobState calls, grouped into few statements', async () => {
    const jobs = await saved(120);
    const { repo, counts } = counting();
    const finished = new Date(Date.now() - 5_000);
    await Promise.all(
      jobs.map((job, i) =>
        repo.saveJobState(
          {
            ...job,
            lockedAt: undefined,
            lastRunAt: finished,
            lastFinishedAt: finished,
            progress: i,
            failCount: i % 4,
            failReason: `r${i}`,
            nextRunAt: seconds(i),
          },
          { lastModifiedBy: `w${i}` },
        ),
      ),
    );
    expect(counts.query).toBeLessThanOrEqual(4);
    const [rows] = await fx.pool.query<RowDataPacket[]>('SELECT * FROM agenda_jobs ORDER BY id');
    expect(rows).toHaveLength(120);
    rows.forEach((row, i) => {
      expect(String(row.id)).toBe(String(jobs[i]!._id));
      expect(row).toMatchObject({ progress: i, fail_count: i % 4, fail_reason: `r${i}`, last_modified_by: `w${i}`, locked_at: null });
      expect(row.last_finished_at.getTime()).toBe(finished.getTime());
    });
  });

  it('rejects the write for a job deleted meanwhile and commits the others of the same batch', async () => {
    const jobs = await saved(6);
    const repo = fx.backend().repository;
    await fx.pool.query('DELETE FROM agenda_jobs WHERE id = ?', [jobs[2]!._id]);
    const results = await Promise.allSettled(jobs.map((job, i) => repo.saveJobState({ ...job, progress: 10 + i }, undefined)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    const reason = (results[2] as PromiseRejectedResult).reason as Error;
    expect(reason).toBeInstanceOf(Error);
    expect(reason.message).toContain(`job ${String(jobs[2]!._id)}`);
    const [rows] = await fx.pool.query<RowDataPacket[]>('SELECT progress FROM agenda_jobs ORDER BY id');
    expect(rows.map((r) => r.progress)).toEqual([10, 11, 13, 14, 15]);
  });

  it('applies the later of two writes for the same job in one batch and settles both', async () => {
    const [job] = await saved(1);
    const repo = fx.backend().repository;
    await Promise.all([repo.saveJobState({ ...job!, progress: 1 }, undefined), repo.saveJobState({ ...job!, progress: 2 }, undefined)]);
    expect((await fx.row(job!._id))?.progress).toBe(2);
  });

  it('rejects a write whose name does not match the row', async () => {
    const [job] = await saved(1);
    await expect(fx.backend().repository.saveJobState({ ...job!, name: 'renamed' }, undefined)).rejects.toThrow(/cannot be updated/);
  });

  it('writes one statement per call with groupStateWrites off, same result', async () => {
    const jobs = await saved(3);
    const repo = fx.backend({ groupStateWrites: false }).repository;
    await Promise.all(jobs.map((job, i) => repo.saveJobState({ ...job, progress: 40 + i }, undefined)));
    const [rows] = await fx.pool.query<RowDataPacket[]>('SELECT progress FROM agenda_jobs ORDER BY id');
    expect(rows.map((r) => r.progress)).toEqual([40, 41, 42]);
  });

  describe('EXPLAIN of the claim queries', () => {
    async function explain(sql: string, params: unknown[]) {
      // Enough rows, names and states that a table scan would be tempting without the index.
      const values: unknown[] = [];
      for (let i = 0; i < 600; i++) {
        values.push(`explain-${i % 6}`, seconds(-300 + i), i % 5 === 0 ? seconds(-60) : null, i % 4, i % 7 === 0 ? 1 : 0);
      }
      await fx.pool.query(
        `INSERT INTO agenda_jobs (name, next_run_at, locked_at, priority, disabled) VALUES ${Array.from({ length: 600 }, () => '(?, ?, ?, ?, ?)').join(', ')}`,
        values,
      );
      await fx.pool.query('ANALYZE TABLE agenda_jobs');
      const [rows] = await fx.pool.query<RowDataPacket[]>(`EXPLAIN ${sql}`, params);
      return rows;
    }

    it('the due-jobs query reads agenda_jobs_claim in order (no filesort)', async () => {
      const rows = await explain(DUE_JOBS_SQL, ['explain-1', new Date(), 10]);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.key).toBe('agenda_jobs_claim');
      expect(String(rows[0]?.Extra ?? '')).not.toContain('Using filesort');
      expect(String(rows[0]?.type)).not.toBe('ALL');
    });

    it('the stale-lock query reads agenda_jobs_locked in order (no filesort)', async () => {
      const rows = await explain(STALE_JOBS_SQL, ['explain-1', seconds(-30), 10]);
      expect(rows[0]?.key).toBe('agenda_jobs_locked');
      expect(String(rows[0]?.Extra ?? '')).not.toContain('Using filesort');
    });
  });
});
