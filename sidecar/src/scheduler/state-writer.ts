import type { JobParameters } from 'agenda';
import type { Pool, ResultSetHeader } from 'mysql2/promise';
import { COLUMNS, STATE_FIELDS, toColumnValue } from './job-row.ts';

type Pending = {
  job: JobParameters;
  lastModifiedBy: string | null;
  resolve: () => void;
  reject: (error: Error) => void;
};

/**
 * Group commit for job state. agenda saves a job's state when it starts and when it ends,
 * one UPDATE each; at thousands of jobs per second those round trips are the ceiling.
 * Writes arriving in the same tick are sent as one UPDATE joined to a derived table, and
 * each caller's promise settles only after that statement committed, so agenda's
 * semantics (state durable when the await returns) are unchanged.
 */
export class StateWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly pool: Pool,
    private readonly maxBatch = 500,
    private readonly maxInFlight = 4,
    /** Told the name of each job whose final state (finished, unlocked) was just persisted. */
    private readonly onFinished?: (jobName: string) => void,
  ) {}

  write(job: JobParameters, lastModifiedBy: string | null): Promise<void> {
    if (!job._id) return Promise.reject(new Error('Cannot save job state without job ID'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...job }, lastModifiedBy, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      this.flush(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    });
  }

  private async flush(batch: Pending[]): Promise<void> {
    // The same job twice in one batch: the later write wins, both callers settle.
    const latest = new Map<string, Pending>();
    for (const entry of batch) latest.set(String(entry.job._id), entry);
    const rows = [...latest.values()];
    try {
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
        else entry.reject(missing(entry.job));
      }
      this.announceFinished(batch);
    } catch (error) {
      for (const entry of batch) entry.reject(error as Error);
    }
  }

  private announceFinished(batch: Pending[]): void {
    if (!this.onFinished) return;
    for (const { job } of batch) if (!job.lockedAt && job.lastFinishedAt) this.onFinished(job.name);
  }

  private async updateOne(entry: Pending): Promise<number> {
    const sets = STATE_FIELDS.map((f) => `${COLUMNS[f]} = ?`).join(', ');
    const [result] = await this.pool.query<ResultSetHeader>(
      `UPDATE agenda_jobs SET ${sets} WHERE id = ? AND name = ?`,
      [...this.values(entry), String(entry.job._id), entry.job.name],
    );
    return result.affectedRows;
  }

  private async updateMany(rows: Pending[]): Promise<number> {
    const columns = ['id', 'name', ...STATE_FIELDS.map((f) => COLUMNS[f])];
    const selectFirst = `SELECT ${columns.map((c) => `? AS ${c}`).join(', ')}`;
    const selectRest = `SELECT ${columns.map(() => '?').join(', ')}`;
    const derived = [selectFirst, ...rows.slice(1).map(() => selectRest)].join(' UNION ALL ');
    const sets = STATE_FIELDS.map((f) => `j.${COLUMNS[f]} = v.${COLUMNS[f]}`).join(', ');
    const params = rows.flatMap((entry) => [String(entry.job._id), entry.job.name, ...this.values(entry)]);
    const [result] = await this.pool.query<ResultSetHeader>(
      `UPDATE agenda_jobs j JOIN (${derived}) v ON j.id = v.id AND j.name = v.name SET ${sets}`,
      params,
    );
    return result.affectedRows;
  }

  private values(entry: Pending): unknown[] {
    return STATE_FIELDS.map((field) =>
      field === 'lastModifiedBy' ? entry.lastModifiedBy : toColumnValue(field, entry.job),
    );
  }
}

function missing(job: JobParameters): Error {
  return new Error(
    `job ${String(job._id)} (name: ${job.name}) cannot be updated in the database, maybe it does not exist anymore?`,
  );
}
