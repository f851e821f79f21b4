import type { JobParameters } from 'agenda';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { rowToJob } from './job-row.ts';

type Buffer = { jobs: JobParameters[]; claimedAt: number };

/**
 * agenda asks for due jobs one at a time (getNextJobToRun per job). Answering each ask with
 * its own locking transaction costs several round trips per job. The claimer locks up to
 * `batchSize` due jobs in one transaction (SELECT … FOR UPDATE SKIP LOCKED, then one UPDATE)
 * and hands them to agenda one by one from a small per-name buffer.
 *
 * Buffered jobs are locked in the database like any job agenda holds, so other sidecars skip
 * them; a buffer older than `bufferTtlMs` is handed back (unlocked) rather than served late,
 * and `release()` unlocks whatever is left on stop. A crash leaves them to stale-lock recovery.
 */
export class BatchClaimer {
  private readonly buffers = new Map<string, Buffer>();

  constructor(
    private readonly pool: Pool,
    private readonly batchSize: number,
    private readonly bufferTtlMs: number,
  ) {}

  async next(
    name: string,
    nextScanAt: Date,
    lockDeadline: Date,
    now: Date,
    lastModifiedBy: string | null,
  ): Promise<JobParameters | undefined> {
    const buffer = this.buffers.get(name);
    if (buffer?.jobs.length) {
      if (Date.now() - buffer.claimedAt < this.bufferTtlMs) return buffer.jobs.shift();
      await this.unlock(buffer.jobs.splice(0));
    }
    const claimed = await this.claim(name, nextScanAt, lockDeadline, now, lastModifiedBy);
    const first = claimed.shift();
    if (claimed.length) {
      // Another claim for this name may have filled the buffer meanwhile: append, never overwrite.
      const current = this.buffers.get(name);
      if (current?.jobs.length) current.jobs.push(...claimed);
      else this.buffers.set(name, { jobs: claimed, claimedAt: Date.now() });
    }
    return first;
  }

  /** Jobs claimed but not yet handed to agenda. */
  buffered(): number {
    let count = 0;
    for (const buffer of this.buffers.values()) count += buffer.jobs.length;
    return count;
  }

  /** Unlocks every buffered job (on stop), so another sidecar can take them at once. */
  async release(): Promise<void> {
    const all = [...this.buffers.values()].flatMap((b) => b.jobs.splice(0));
    this.buffers.clear();
    await this.unlock(all);
  }

  private async unlock(jobs: JobParameters[]): Promise<void> {
    if (!jobs.length) return;
    await this.pool.query('UPDATE agenda_jobs SET locked_at = NULL WHERE id IN (?) AND next_run_at IS NOT NULL', [
      jobs.map((j) => String(j._id)),
    ]);
  }

  private async claim(
    name: string,
    nextScanAt: Date,
    lockDeadline: Date,
    now: Date,
    lastModifiedBy: string | null,
  ): Promise<JobParameters[]> {
    const conn = await this.pool.getConnection();
    try {
      await conn.beginTransaction();
      // Jobs whose lock outlived lockLifetime (their sidecar died) come first: they are the oldest due.
      const [stale] = await conn.query<RowDataPacket[]>(
        `SELECT * FROM agenda_jobs FORCE INDEX (agenda_jobs_locked)
         WHERE name = ? AND locked_at <= ? AND disabled = 0
         ORDER BY locked_at LIMIT ? FOR UPDATE SKIP LOCKED`,
        [name, lockDeadline, this.batchSize],
      );
      let rows = stale;
      if (rows.length < this.batchSize) {
        const [due] = await conn.query<RowDataPacket[]>(
          `SELECT * FROM agenda_jobs FORCE INDEX (agenda_jobs_claim)
           WHERE name = ? AND disabled = 0 AND locked_at IS NULL AND next_run_at <= ?
           ORDER BY next_run_at ASC, priority DESC LIMIT ? FOR UPDATE SKIP LOCKED`,
          [name, nextScanAt, this.batchSize - rows.length],
        );
        rows = rows.concat(due);
      }
      if (rows.length) {
        await conn.query('UPDATE agenda_jobs SET locked_at = ?, last_modified_by = ? WHERE id IN (?)', [
          now,
          lastModifiedBy,
          rows.map((r) => r.id),
        ]);
      }
      await conn.commit();
      return rows.map((row) => ({ ...rowToJob(row), lockedAt: now, lastModifiedBy: lastModifiedBy ?? undefined }));
    } catch (error) {
      await conn.rollback().catch(() => undefined);
      throw error;
    } finally {
      conn.release();
    }
  }
}
