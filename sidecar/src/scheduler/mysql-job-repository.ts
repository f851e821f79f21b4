import { createHash } from 'node:crypto';
import {
  computeJobState,
  type JobId,
  type JobParameters,
  type JobRepository,
  type JobRepositoryOptions,
  type JobsOverview,
  type JobsQueryOptions,
  type JobsResult,
  type RemoveJobsOptions,
} from 'agenda';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { retryOnDeadlock } from '../db/deadlock-retry.ts';
import { withNamedLock } from '../db/named-lock.ts';
import { BatchClaimer } from './batch-claimer.ts';
import { orderBy, queryWhere, selectionWhere, stateSql, stateWhere, uniqueWhere, type Where } from './job-filter.ts';
import { COLUMNS, DEFINITION_FIELDS, rowToJob, toColumnValue } from './job-row.ts';
import { StateWriter } from './state-writer.ts';

export type MySqlRepositoryOptions = {
  pool: Pool;
  /** Due jobs locked per claim query (1 = agenda's stock one-job-per-round-trip behaviour). */
  claimBatch?: number;
  /** A claimed batch not handed out within this time goes back to the table. */
  claimBufferTtlMs?: number;
  /** Group-commit job state writes (off = one UPDATE per write, as agenda's other backends). */
  groupStateWrites?: boolean;
  /** Called with the job's name after its final state (finished, unlocked) is persisted. */
  onJobFinished?: (jobName: string) => void;
  /** Told when unlockJob fails (it never rejects: see unlockJob). */
  onUnlockError?: (error: Error) => void;
};

/**
 * agenda's JobRepository on MySQL 8 / MariaDB 10.6+. The table is created by the
 * sidecar's migrations (db/schema.ts, `agenda_jobs`); this class only reads and writes it.
 */
export class MySqlJobRepository implements JobRepository {
  private readonly pool: Pool;
  private readonly claimer: BatchClaimer;
  private readonly stateWriter: StateWriter | undefined;
  private readonly onUnlockError: ((error: Error) => void) | undefined;

  constructor(options: MySqlRepositoryOptions) {
    this.pool = options.pool;
    this.onUnlockError = options.onUnlockError;
    this.claimer = new BatchClaimer(options.pool, options.claimBatch ?? 50, options.claimBufferTtlMs ?? 2_000);
    this.stateWriter = options.groupStateWrites === false ? undefined : new StateWriter(options.pool, 500, 4, options.onJobFinished);
  }

  /** Jobs claimed but not yet handed to agenda. */
  /** Whether job states handed over for writing are all committed (always true without grouping). */
  stateWritesIdle(): boolean {
    return this.stateWriter?.idle() ?? true;
  }

  buffered(): number {
    return this.claimer.buffered();
  }

  async connect(): Promise<void> {
    await this.pool.query('SELECT 1 FROM agenda_jobs LIMIT 1');
  }

  /** Hands back jobs claimed but not yet given to agenda (called on stop). */
  async releaseClaims(): Promise<void> {
    await this.claimer.release();
  }

  async queryJobs(options: JobsQueryOptions = {}): Promise<JobsResult> {
    const now = new Date();
    const where = queryWhere(options);
    const clauses: Where[] = [where];
    if (options.state) clauses.push(stateWhere(options.state, now));
    const sql = clauses.map((c) => `(${c.sql})`).join(' AND ');
    const params = clauses.flatMap((c) => c.params);
    const limit = options.limit && options.limit > 0 ? options.limit : undefined;
    const skip = options.skip && options.skip > 0 ? options.skip : 0;
    const page =
      limit !== undefined
        ? ` LIMIT ${Number(limit)} OFFSET ${Number(skip)}`
        : skip
          ? ` LIMIT 18446744073709551615 OFFSET ${Number(skip)}`
          : '';
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT * FROM agenda_jobs WHERE ${sql} ORDER BY ${orderBy(options.sort)}${page}`,
      params,
    );
    const [count] = await this.pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM agenda_jobs WHERE ${sql}`, params);
    const jobs = rows.map((row) => {
      const job = rowToJob(row);
      return { ...job, _id: job._id as JobId, state: computeJobState(job, now) };
    });
    return { jobs, total: Number(count[0]?.n ?? 0) };
  }

  async getJobsOverview(): Promise<JobsOverview[]> {
    const states = ['running', 'scheduled', 'queued', 'completed', 'failed', 'repeating'] as const;
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT name, COUNT(*) AS total, SUM(disabled) AS paused,
        ${states.map((s) => `SUM(state = '${s}') AS ${s}`).join(', ')}
       FROM (SELECT name, disabled, ${stateSql()} AS state FROM agenda_jobs) s
       GROUP BY name ORDER BY name`,
      [new Date()],
    );
    return rows.map((row) => {
      const overview: JobsOverview = { name: row.name, total: Number(row.total), paused: Number(row.paused ?? 0) } as JobsOverview;
      for (const state of states) overview[state] = Number(row[state] ?? 0);
      return overview;
    });
  }

  async getDistinctJobNames(): Promise<string[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT DISTINCT name FROM agenda_jobs ORDER BY name');
    return rows.map((row) => String(row.name));
  }

  async getJobById(id: string): Promise<JobParameters | null> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT * FROM agenda_jobs WHERE id = ?', [String(id)]);
    return rows[0] ? rowToJob(rows[0]) : null;
  }

  async getQueueSize(): Promise<number> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM agenda_jobs WHERE next_run_at < ?', [new Date()]);
    return Number(rows[0]?.n ?? 0);
  }

  async removeJobs(options: RemoveJobsOptions): Promise<number> {
    const removed = await this.updateSelection(options, 'DELETE FROM agenda_jobs');
    // A claimed-but-not-handed-out job that was just deleted must not be handed to agenda.
    if (removed && this.claimer.buffered()) {
      const byIdOnly = options.name === undefined && !options.names?.length && !options.notNames?.length && options.data === undefined;
      if (byIdOnly) this.claimer.forgetIds(options.id !== undefined ? [String(options.id)] : (options.ids ?? []).map(String));
      else await this.claimer.revalidate();
    }
    return removed;
  }

  async disableJobs(options: RemoveJobsOptions): Promise<number> {
    const disabled = await this.updateSelection(options, 'UPDATE agenda_jobs SET disabled = 1');
    if (disabled && this.claimer.buffered()) await this.claimer.revalidate();
    return disabled;
  }

  async enableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.updateSelection(options, 'UPDATE agenda_jobs SET disabled = 0');
  }

  async purgeAllJobs(): Promise<number> {
    const [result] = await this.pool.query<ResultSetHeader>('DELETE FROM agenda_jobs');
    this.claimer.forget();
    return result.affectedRows;
  }

  async saveJobState(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<void> {
    const by = options?.lastModifiedBy ?? null;
    if (this.stateWriter) return this.stateWriter.write(job, by);
    return new StateWriter(this.pool, 1, 1).write(job, by);
  }

  async lockJob(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<JobParameters | undefined> {
    if (!job._id || !job.nextRunAt) return undefined;
    const now = new Date();
    const [result] = await this.pool.query<ResultSetHeader>(
      `UPDATE agenda_jobs SET locked_at = ?, last_modified_by = ?
       WHERE id = ? AND name = ? AND locked_at IS NULL AND next_run_at = ? AND disabled = 0`,
      [now, options?.lastModifiedBy ?? null, String(job._id), job.name, job.nextRunAt],
    );
    if (result.affectedRows !== 1) return undefined;
    return (await this.getJobById(String(job._id))) ?? undefined;
  }

  /**
   * agenda's processor calls this without awaiting it (JobProcessor jobQueueFilling when the lock
   * limit is reached, jobProcessing for a job due beyond the scan): a rejection there is unhandled
   * and ends the process, so a database gone for a moment would kill the sidecar. A failed unlock
   * is reported instead; the lock then simply runs out after the lock lifetime and the job is
   * claimed again.
   */
  async unlockJob(job: JobParameters): Promise<void> {
    if (!job._id) return;
    try {
      // A job whose nextRunAt is null is being finished by its runner: leave its lock alone.
      await this.pool.query('UPDATE agenda_jobs SET locked_at = NULL WHERE id = ? AND next_run_at IS NOT NULL', [String(job._id)]);
    } catch (error) {
      this.onUnlockError?.(error as Error);
    }
  }

  async unlockJobs(jobIds: (JobId | string)[]): Promise<void> {
    if (!jobIds.length) return;
    await this.pool.query('UPDATE agenda_jobs SET locked_at = NULL WHERE id IN (?)', [jobIds.map(String)]);
    // agenda calls this from stop() (our pool stays open, so disconnect() is not called):
    // jobs claimed but not handed out go back too, and an unlocked id must never be served later.
    await this.claimer.release();
  }

  async getNextJobToRun(
    jobName: string,
    nextScanAt: Date,
    lockDeadline: Date,
    now: Date | undefined,
    options: JobRepositoryOptions | undefined,
  ): Promise<JobParameters | undefined> {
    return retryOnDeadlock(() => this.claimer.next(jobName, nextScanAt, lockDeadline, now ?? new Date(), options?.lastModifiedBy ?? null));
  }

  async saveJob<DATA = unknown>(job: JobParameters<DATA>, options: JobRepositoryOptions | undefined): Promise<JobParameters<DATA>> {
    const by = options?.lastModifiedBy ?? null;
    const props = { ...job, lastModifiedBy: by ?? undefined } as JobParameters;
    return retryOnDeadlock(async () => {
      if (job._id) return ((await this.updateDefinition(props)) ?? job) as JobParameters<DATA>;
      if (job.type === 'single') return (await this.upsertSingle(props)) as JobParameters<DATA>;
      if (job.unique) return (await this.upsertUnique(props)) as JobParameters<DATA>;
      const id = await this.insert(this.pool, props);
      return { ...job, _id: id as JobId };
    });
  }

  private async updateSelection(options: RemoveJobsOptions, statement: string): Promise<number> {
    const where = selectionWhere(options);
    if (!where) return 0;
    const [result] = await this.pool.query<ResultSetHeader>(`${statement} WHERE ${where.sql}`, where.params);
    return result.affectedRows;
  }

  private async insert(conn: Pool | PoolConnection, job: JobParameters, extra: Record<string, unknown> = {}): Promise<string> {
    const columns = [...DEFINITION_FIELDS.map((f) => COLUMNS[f]), ...Object.keys(extra)];
    const values = [...DEFINITION_FIELDS.map((f) => toColumnValue(f, job)), ...Object.values(extra)];
    const [result] = await conn.query<ResultSetHeader>(`INSERT INTO agenda_jobs (${columns.join(', ')}) VALUES (?)`, [values]);
    return String(result.insertId);
  }

  private async updateDefinition(job: JobParameters): Promise<JobParameters | undefined> {
    const fields = DEFINITION_FIELDS.filter((f) => f !== 'name');
    const [result] = await this.pool.query<ResultSetHeader>(
      `UPDATE agenda_jobs SET ${fields.map((f) => `${COLUMNS[f]} = ?`).join(', ')} WHERE id = ? AND name = ?`,
      [...fields.map((f) => toColumnValue(f, job)), String(job._id), job.name],
    );
    // A job removed meanwhile: agenda expects its own data back unchanged.
    if (result.affectedRows === 0) return undefined;
    if (job.disabled && this.claimer.buffered()) await this.claimer.revalidate();
    return (await this.getJobById(String(job._id))) ?? undefined;
  }

  /** type 'single': one row per name. Saving it with a due nextRunAt keeps the schedule it already has. */
  private async upsertSingle(job: JobParameters): Promise<JobParameters> {
    const protect = job.nextRunAt !== null && job.nextRunAt <= new Date();
    const fields = DEFINITION_FIELDS.filter((f) => !['name', 'type', 'failReason', 'failCount', 'failedAt'].includes(f));
    const updates = fields.map((f) =>
      f === 'nextRunAt' && protect ? 'next_run_at = COALESCE(next_run_at, VALUES(next_run_at))' : `${COLUMNS[f]} = VALUES(${COLUMNS[f]})`,
    );
    const columns = DEFINITION_FIELDS.map((f) => COLUMNS[f]);
    await this.pool.query(`INSERT INTO agenda_jobs (${columns.join(', ')}) VALUES (?) ON DUPLICATE KEY UPDATE ${updates.join(', ')}`, [
      DEFINITION_FIELDS.map((f) => toColumnValue(f, job)),
    ]);
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT * FROM agenda_jobs WHERE single_name = ?', [job.name]);
    return rowToJob(rows[0]!);
  }

  /**
   * Jobs with a `unique` filter (and debounce). A named lock on the filter makes the
   * look-up-then-write atomic across sidecars, which a plain SELECT then INSERT is not.
   */
  private async upsertUnique(job: JobParameters): Promise<JobParameters> {
    const where = uniqueWhere(job.name, job.unique!);
    const lockName = `agenda:unique:${createHash('sha1').update(job.name).update(JSON.stringify(job.unique)).digest('hex')}`;
    return withNamedLock(this.pool, lockName, 30, async (conn) => {
      const [existing] = await conn.query<RowDataPacket[]>(`SELECT * FROM agenda_jobs WHERE ${where.sql} LIMIT 1`, where.params);
      const debounce = job.uniqueOpts?.debounce;
      const now = new Date();
      const found = existing[0];
      if (!found) {
        let extra: Record<string, unknown> = {};
        let nextRunAt = job.nextRunAt;
        if (debounce) {
          extra = { debounce_started_at: now };
          if (debounce.strategy !== 'leading') nextRunAt = new Date(now.getTime() + debounce.delay);
        }
        const id = await this.insert(conn, { ...job, nextRunAt }, extra);
        const [rows] = await conn.query<RowDataPacket[]>('SELECT * FROM agenda_jobs WHERE id = ?', [id]);
        return rowToJob(rows[0]!);
      }
      if (job.uniqueOpts?.insertOnly && !debounce) return rowToJob(found);
      let nextRunAt: Date | null = job.nextRunAt;
      let debounceStartedAt: Date | null = null;
      if (debounce) {
        const started: Date = found.debounce_started_at ?? now;
        if (debounce.strategy === 'leading') {
          nextRunAt = found.next_run_at;
          debounceStartedAt = started;
        } else if (debounce.maxWait && now.getTime() - started.getTime() >= debounce.maxWait) {
          nextRunAt = now; // waited long enough: run now and start a new debounce window afterwards
        } else {
          nextRunAt = new Date(now.getTime() + debounce.delay);
          debounceStartedAt = started;
        }
      }
      const fields = DEFINITION_FIELDS.filter((f) => !['name', 'failReason', 'failCount', 'failedAt'].includes(f));
      const row = { ...job, nextRunAt };
      await conn.query(
        `UPDATE agenda_jobs SET ${fields.map((f) => `${COLUMNS[f]} = ?`).join(', ')}, debounce_started_at = ? WHERE ${where.sql}`,
        [...fields.map((f) => toColumnValue(f, row)), debounceStartedAt, ...where.params],
      );
      const [rows] = await conn.query<RowDataPacket[]>('SELECT * FROM agenda_jobs WHERE id = ?', [found.id]);
      return rowToJob(rows[0]!);
    });
  }
}
