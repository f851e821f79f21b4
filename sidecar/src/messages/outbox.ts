import type { Pool } from 'mysql2/promise';
import { retryOnDeadlock } from '../db/deadlock-retry.ts';
import { GroupCommit } from '../db/group-commit.ts';
import { insertMessages, type OutboxMessage } from './outbox-store.ts';

/**
 * The outbox: every message waits here until the channels room (channels/dispatch.ts) claims it
 * and hands it to a provider. Producers (flow steps, alerts, previews) queue; the queue knows
 * nothing of providers.
 */
export { cancelPending, cancelShopMessages, type OutboxMessage, type OutboxStatus } from './outbox-store.ts';

export type Enqueued = { id: number; created: boolean };

/** Inserts the message unless its idempotency key is already there; `created` says which. */
export async function enqueueMessage(pool: Pool, message: OutboxMessage): Promise<Enqueued> {
  return (await insertMessages(pool, [message]))[0]!;
}

/**
 * The outbox for a busy producer (a run of reminder steps): messages queued together are one
 * INSERT and one log flush (db/group-commit.ts); each caller resumes after its row committed.
 */
export function createOutboxWriter(pool: Pool): { enqueue(message: OutboxMessage): Promise<Enqueued> } {
  const commits = new GroupCommit<OutboxMessage, Enqueued>(async (batch) => {
    // Another sidecar queueing at once can make this insert a deadlock's victim: run it again now
    // (it is idempotent by key) rather than fail every step of the flush for a minute.
    const results = await retryOnDeadlock(() =>
      insertMessages(
        pool,
        batch.map((e) => e.item),
      ),
    );
    batch.forEach((entry, i) => entry.resolve(results[i]!));
  }, 200);
  return { enqueue: (message) => commits.submit(message) };
}
