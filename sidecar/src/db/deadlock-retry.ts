/**
 * InnoDB resolves a deadlock by rolling back one of the transactions (ER_LOCK_DEADLOCK), and the
 * documented answer is to run that transaction again; a lock wait timeout likewise left nothing
 * half-done. `work` must be one statement or one whole transaction, so running it again is safe.
 * Seen in CI: 250 jobs saved while the claimer locked due ones. A statement chosen as the victim
 * while it waits for a table's AUTO-INC lock (an INSERT … SELECT, `npm run soak`'s deadlock in the
 * customers refresh) is reported by the handler as "Failed to read auto-increment value from
 * storage engine" (ER_AUTOINC_READ_FAILED), not as a deadlock: the same rollback, the same answer.
 */
const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_AUTOINC_READ_FAILED']);

export async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !RETRYABLE.has(String((error as { code?: unknown }).code))) throw error;
      // A short random pause, growing with each attempt, so the two sides do not collide again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
