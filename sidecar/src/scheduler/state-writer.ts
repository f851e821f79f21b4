import type { JobParameters } from 'agenda';
import type { Pool, ResultSetHeader } from 'mysql2/promise';
import { derivedTable } from '../db/batch-sql.ts';
import { retryOnDeadlock } from '../db/deadlock-retry.ts';
import { GroupCommit, type Entry } from '../db/group-commit.ts';
import { COLUMNS, STATE_FIELDS, toColumnValue } from './job-row.ts';

type Pending = Entry<{ job: JobParameters; lastModifiedBy: string | null }, void>;

/**
 * Group commit for job state (db/group-commit.ts). agenda saves a job's state when it starts and
 * when it ends, one UPDATE each; writes arriving in the same tick are sent as one UPDATE joined
 * to a derived table, and each caller's promise settles only after that statement committed, so
 * agenda's semantics (state durable when the await returns) are unchanged.
 */
export class StateWriter {
  private readonly commits: GroupCommit<Pending['item'], void>;

  constructor(
    private readonly pool: Pool,
    maxBatch = 500,
    maxInFlight = 4,
    /** Told the name of each job whose final state (finished, unlocked) was just persisted. */
    private readonly onFinished?: (jobName: string) => void,
  ) {
    this.commits = new GroupCommit((batch) => this.flush(batch), maxBatch, maxInFlight);
  }

  /** Whether every state handed to write() has been committed. */
  idle(): boolean {
    return this.commits.idle();
  }

  write(job: JobParameters, lastModifiedBy: string | null): Promise<void> {
    if (!job._id) return Promise.reject(new Error('Cannot save job state without job ID'));
    return this.commits.submit({ job: { ...job }, lastModifiedBy });
  }

  private async flush(batch: Pending[]): Promise<void> {
    // The same job twice in one batch: the later write wins, both callers settle.
    const latest = new Map<string, Pending>();
    for (const entry of batch) latest.set(String(entry.item.job._id), entry);
    const rows = [...latest.values()];
    const matched = rows.length === 1 ? await this.updateOne(rows[0]!) : await this.updateMany(rows);
    if (matched === rows.length) {
      for (const entry of batch) entry.resolve();
      this.announceFinished(batch);
      return;
    }
    // Some job vanished (removed while running): find which, one by one, to fail only those.
    for (const entry of batch) {
      const found = await this.updateOne(entry);
      if (found === 1) entry.resolve();
      else entry.reject(missing(entry.item.job));
    }
    this.announceFinished(batch);
  }

  private announceFinished(batch: Pending[]): void {
    if (!this.onFinished) return;
    for (const {
      item: { job },
    } of batch)
      if (!job.lockedAt && job.lastFinishedAt) this.onFinished(job.name);
  }

  private async updateOne(entry: Pending): Promise<number> {
    const sets = STATE_FIELDS.map((f) => `${COLUMNS[f]} = ?`).join(', ');
    const [result] = await retryOnDeadlock(() =>
      this.pool.query<ResultSetHeader>(`UPDATE agenda_jobs SET ${sets} WHERE id = ? AND name = ?`, [
        ...this.values(entry),
        String(entry.item.job._id),
        entry.item.job.name,
      ]),
    );
    return result.affectedRows;
  }

  private async updateMany(rows: Pending[]): Promise<number> {
    const columns = ['id', 'name', ...STATE_FIELDS.map((f) => COLUMNS[f])];
    const v = derivedTable(
      columns,
      rows.map((entry) => [String(entry.item.job._id), entry.item.job.name, ...this.values(entry)]),
    );
    const sets = STATE_FIELDS.map((f) => `j.${COLUMNS[f]} = v.${COLUMNS[f]}`).join(', ');
    // Several rows in one statement can deadlock with a claim locking them in another order.
    const [result] = await retryOnDeadlock(() =>
      this.pool.query<ResultSetHeader>(`UPDATE agenda_jobs j JOIN (${v.sql}) v ON j.id = v.id AND j.name = v.name SET ${sets}`, v.params),
    );
    return result.affectedRows;
  }

  private values(entry: Pending): unknown[] {
    return STATE_FIELDS.map((field) => (field === 'lastModifiedBy' ? entry.item.lastModifiedBy : toColumnValue(field, entry.item.job)));
  }
}

function missing(job: JobParameters): Error {
  return new Error(`job ${String(job._id)} (name: ${job.name}) cannot be updated in the database, maybe it does not exist anymore?`);
}
