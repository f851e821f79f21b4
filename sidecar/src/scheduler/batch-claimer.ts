import type { JobParameters } from 'agenda';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { rowToJob } from './job-row.ts';

/** Jobs whose lock outlived lockLifetime (their sidecar died): name, lock deadline, limit. */
export const STALE_JOBS_SQL = `SELECT * FROM agenda_jobs FORCE INDEX (agenda_jobs_locked)
  WHERE name = ? AND locked_at <= ? AND disabled = 0
  ORDER BY locked_at LIMIT ? FOR UPDATE SKIP LOCKED`;

/** Due jobs, served in index order (agenda_jobs_claim): name, nextScanAt, limit. */
export const DUE_JOBS_SQL = `SELECT * FROM agenda_jobs FORCE INDEX (agenda_jobs_claim)
  WHERE name = ? AND disabled = 0 AND locked_at IS NULL AND next_run_at <= ?
  ORDER BY next_run_at ASC, priority DESC LIMIT ? FOR UPDATE SKIP LOCKED`;

/** A claimed job waiting to be handed to agenda; `claimedAt` is the wall clock of its claim. */
type Buffered = { job: JobParameters; claimedAt: number };

/**
 * agenda asks for due jobs one at a time (getNextJobToRun per job). Answering each ask with
 * its own locking transaction costs several round trips per job. The claimer locks up to
 * `batchSize` due jobs in one transaction (SELECT … FOR UPDATE SKIP LOCKED, then one UPDATE)
 * and hands them to agenda one by one from a small per-name buffer.
 *
 * Buffered jobs are locked in the database like any job agenda holds, so other sidecars skip
 * them. A buffered job is handed back (unlocked) rather than served late: when it is older than
 * `bufferTtlMs` (a timer does it even if agenda never asks again, e.g. after stop()), or when half
 * its lock lifetime is gone (agenda would drop it as expired). `release()` unlocks the rest on
 * stop. A crash leaves them to stale-lock recovery.
 */
export class BatchClaimer {
  private readonly buffers = new Map<string, Buffered[]>();
  private readonly claims = new Map<Promise<unknown>, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Bumped by release(): a claim that started before it lands for a stopped agenda. */
  private generation = 0;

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
    const buffered = await this.fromBuffer(name, lockDeadline, now);
    if (buffered) return buffered;
    const generation = this.generation;
    const claiming = this.claim(name, nextScanAt, lockDeadline, now, lastModifiedBy);
    this.claims.set(claiming, name);
    let claimed: JobParameters[];
    try {
      claimed = await claiming;
    } finally {
      this.claims.delete(claiming);
    }
    if (generation !== this.generation) {
      // agenda stopped while this claim was in flight: a stopped processor drops what it is handed
      // without unlocking it ("got stopped already"), which would leave these jobs locked until
      // their lock lifetime ran out. They go back at once instead.
      await this.unlock(claimed);
      return undefined;
    }
    const first = claimed.shift();
    if (claimed.length) {
      // Another claim for this name may have filled the buffer meanwhile: append, never overwrite.
      const claimedAt = Date.now();
      const buffer = this.buffers.get(name) ?? [];
      buffer.push(...claimed.map((job) => ({ job, claimedAt })));
      this.buffers.set(name, buffer);
      this.expireLater();
    }
    // Nothing left to claim, but a concurrent claim for this name may have buffered some.
    return first ?? this.fromBuffer(name, lockDeadline, now);
  }

  /** Jobs claimed but not yet handed to agenda. */
  buffered(): number {
    let count = 0;
    for (const buffer of this.buffers.values()) count += buffer.length;
    return count;
  }

  /** Unlocks every buffered job (on stop), so another sidecar can take them at once. */
  async release(): Promise<void> {
    this.generation++;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.unlock(this.take(() => true));
  }

  /** Drops every buffered job without unlocking it (its row is gone). */
  forget(): void {
    this.buffers.clear();
  }

  /** Drops these jobs from the buffers (they were removed or unlocked by someone else). */
  forgetIds(ids: string[]): void {
    const gone = new Set(ids);
    this.take((entry) => gone.has(String(entry.job._id)));
  }

  /**
   * Re-checks buffered jobs against the table after a bulk change: removed ones are dropped,
   * disabled ones are given back (unlocked), the rest stay.
   */
  async revalidate(): Promise<void> {
    const ids = [...this.buffers.values()].flatMap((b) => b.map((e) => String(e.job._id)));
    if (!ids.length) return;
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT id, disabled FROM agenda_jobs WHERE id IN (?)', [ids]);
    const present = new Map(rows.map((r) => [String(r.id), Boolean(r.disabled)]));
    this.take((entry) => !present.has(String(entry.job._id)));
    await this.unlock(this.take((entry) => present.get(String(entry.job._id)) === true));
  }

  /**
   * Next buffered job for `name`, or undefined. Claims of other names still in flight land
   * first: served from memory, one name would otherwise take a whole global lock limit in one
   * tick while the others wait on the database (agenda spreads that limit by claiming in turn).
   */
  private async fromBuffer(name: string, lockDeadline: Date, now: Date): Promise<JobParameters | undefined> {
    if (!this.buffers.get(name)?.length) return undefined;
    const others = [...this.claims].filter(([, claimName]) => claimName !== name).map(([claim]) => claim);
    if (others.length) await Promise.allSettled(others);
    const buffer = this.buffers.get(name);
    const late: JobParameters[] = [];
    let found: JobParameters | undefined;
    // agenda treats a job as expired once its lock is older than lockLifetime; keep a margin.
    const freshAfter = lockDeadline.getTime() + (now.getTime() - lockDeadline.getTime()) / 2;
    while (buffer?.length && !found) {
      const entry = buffer.shift()!;
      const fresh = Date.now() - entry.claimedAt < this.bufferTtlMs && (entry.job.lockedAt?.getTime() ?? 0) > freshAfter;
      if (fresh) found = entry.job;
      else late.push(entry.job);
    }
    if (buffer && !buffer.length) this.buffers.delete(name);
    await this.unlock(late);
    return found;
  }

  /** Removes and returns the buffered jobs matching `match`. */
  private take(match: (entry: Buffered) => boolean): JobParameters[] {
    const taken: JobParameters[] = [];
    for (const [name, buffer] of this.buffers) {
      const keep = buffer.filter((entry) => !match(entry));
      taken.push(...buffer.filter(match).map((e) => e.job));
      if (keep.length) this.buffers.set(name, keep);
      else this.buffers.delete(name);
    }
    return taken;
  }

  /** Hands back buffers that reached their TTL, even if agenda never asks for them again. */
  private expireLater(): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const cutoff = Date.now() - this.bufferTtlMs;
      this.unlock(this.take((entry) => entry.claimedAt <= cutoff)).catch(() => undefined);
    }, this.bufferTtlMs + 1);
    timer.unref();
    this.timers.add(timer);
  }

  /** Unlocks jobs we claimed, unless their lock changed meanwhile (stale-recovered elsewhere). */
  private async unlock(jobs: JobParameters[]): Promise<void> {
    const byLock = new Map<number, string[]>();
    for (const job of jobs) {
      const at = job.lockedAt?.getTime() ?? 0;
      byLock.set(at, [...(byLock.get(at) ?? []), String(job._id)]);
    }
    for (const [at, ids] of byLock) {
      await this.pool.query('UPDATE agenda_jobs SET locked_at = NULL WHERE id IN (?) AND locked_at = ? AND next_run_at IS NOT NULL', [
        ids,
        new Date(at),
      ]);
    }
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
      // READ COMMITTED: the locking reads take record locks only. Under REPEATABLE READ they also
      // take gap locks, which block (and deadlock with) concurrent inserts of new jobs.
      await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await conn.beginTransaction();
      // Jobs whose lock outlived lockLifetime (their sidecar died) come first: they are the oldest due.
      const [stale] = await conn.query<RowDataPacket[]>(STALE_JOBS_SQL, [name, lockDeadline, this.batchSize]);
      let rows = stale;
      if (rows.length < this.batchSize) {
        const [due] = await conn.query<RowDataPacket[]>(DUE_JOBS_SQL, [name, nextScanAt, this.batchSize - rows.length]);
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
