/**
 * Group commit: writes submitted in the same tick go to the database as one statement, and each
 * caller's promise settles only after that statement committed, so "durable when the await
 * returns" still holds. At thousands of writes a second the per-statement round trip and the
 * per-commit log flush are the ceiling; a batch pays each once. `flush` receives the batch and
 * settles every entry itself (so it can fail some and succeed others).
 */
export type Entry<T, R> = { item: T; resolve: (result: R) => void; reject: (error: Error) => void };

export class GroupCommit<T, R> {
  private queue: Array<Entry<T, R>> = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly flush: (batch: Array<Entry<T, R>>) => Promise<void>,
    private readonly maxBatch = 500,
    /** Batches written at once; more work waits for one to finish and joins the next batch. */
    private readonly maxInFlight = 4,
  ) {}

  /** Nothing queued, scheduled or being written. */
  idle(): boolean {
    return this.queue.length === 0 && !this.scheduled && this.inFlight === 0;
  }

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
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
      this.flush(batch)
        .catch((error: unknown) => {
          for (const entry of batch) entry.reject(error as Error);
        })
        .finally(() => {
          this.inFlight--;
          this.schedule();
        });
    });
  }
}
