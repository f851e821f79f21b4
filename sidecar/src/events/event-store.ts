import { createHash } from 'node:crypto';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { insertOnce } from '../db/batch-sql.ts';
import { GroupCommit } from '../db/group-commit.ts';
import { execute, selectRows } from '../db/queryable.ts';
import { inTransaction } from '../db/transaction.ts';

export type IncomingEvent = {
  shopId: number;
  source: 'woocommerce';
  topic: string;
  webhookId: string | undefined;
  resourceId: number | undefined;
  /** date_modified_gmt of the resource, when the body has one. */
  modifiedAt: string | undefined;
  status: string | undefined;
  body: Buffer;
};

export type StoredEvent = { id: number; shopId: number; topic: string; resourceId: number | null; body: string; receivedAt: Date };

/**
 * Delivery ids repeat across deliveries, so repeats are recognised by content: the same topic
 * for the same resource at the same modification time and status is the same event (whichever
 * webhook delivered it); without a modification time, the exact body is.
 */
export function dedupKey(event: IncomingEvent, bodyHash: string): string {
  const identity =
    event.resourceId !== undefined && event.modifiedAt
      ? ['v1', event.shopId, event.topic, event.resourceId, event.modifiedAt, event.status ?? '']
      : ['v1', event.shopId, event.topic, bodyHash];
  return createHash('sha256').update(identity.join('\u0000')).digest('hex');
}

type EventRow = { key: string; values: unknown[] };
const EVENT_COLUMNS = ['shop_id', 'source', 'topic', 'resource_id', 'dedup_key', 'body_hash', 'body', 'status', 'error'];
export type StoredResult = { id: number; duplicate: boolean };
export type EventWriter = { store(event: IncomingEvent, status?: 'received' | 'unusable', error?: string): Promise<StoredResult> };

/**
 * Stores events before their senders are answered, group-committed (db/group-commit.ts): the
 * deliveries arriving together are one INSERT and one log flush, and each sender is answered
 * only after it committed. A repeat is recognised by its dedup key and not stored again.
 */
export function createEventWriter(pool: Pool): EventWriter {
  const commits = new GroupCommit<EventRow, StoredResult>(async (batch) => {
    const results = await insertOnce(
      pool,
      'events',
      'dedup_key',
      EVENT_COLUMNS,
      batch.map((e) => e.item),
    );
    batch.forEach((entry, i) => entry.resolve({ id: results[i]!.id, duplicate: !results[i]!.created }));
  });
  return {
    store(event, status = 'received', error) {
      const bodyHash = createHash('sha256').update(event.body).digest('hex');
      const key = dedupKey(event, bodyHash);
      return commits.submit({
        key,
        values: [
          event.shopId,
          event.source,
          event.topic,
          event.resourceId ?? null,
          key,
          bodyHash,
          event.body.toString('utf8'),
          status,
          error ?? null,
        ],
      });
    },
  };
}

/** What one claim of stored deliveries did: how many, by topic, and how many failed (kept as 'failed' with the error). */
export type ProcessedBatch = { handled: number; failed: number; byTopic: Record<string, number> };

/**
 * Claims up to `limit` received events for processing (SKIP LOCKED: several sidecars share the
 * queue), runs `handle` on each inside the claiming transaction, and marks them processed. A
 * handler that throws marks its event failed with the reason; the batch goes on.
 */
export async function processPending(
  pool: Pool,
  limit: number,
  handle: (event: StoredEvent, conn: PoolConnection) => Promise<void>,
): Promise<ProcessedBatch> {
  return inTransaction(pool, async (conn) => {
    const events = await selectRows(
      conn,
      `SELECT id, shop_id, topic, resource_id, body, received_at FROM events FORCE INDEX (events_pending)
       WHERE status = 'received' ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
      [limit],
      (r): StoredEvent => ({
        id: r.num('id'),
        shopId: r.num('shop_id'),
        topic: r.str('topic'),
        resourceId: r.numOrNull('resource_id'),
        body: r.str('body'),
        receivedAt: r.date('received_at'),
      }),
    );
    const batch: ProcessedBatch = { handled: events.length, failed: 0, byTopic: {} };
    for (const event of events) {
      batch.byTopic[event.topic] = (batch.byTopic[event.topic] ?? 0) + 1;
      await execute(conn, 'SAVEPOINT one_event');
      try {
        await handle(event, conn);
        await execute(conn, "UPDATE events SET status = 'processed', processed_at = ?, attempts = attempts + 1 WHERE id = ?", [
          new Date(),
          event.id,
        ]);
      } catch (error) {
        await execute(conn, 'ROLLBACK TO SAVEPOINT one_event');
        await execute(conn, "UPDATE events SET status = 'failed', error = ?, attempts = attempts + 1, processed_at = ? WHERE id = ?", [
          error instanceof Error ? error.message : String(error),
          new Date(),
          event.id,
        ]);
        batch.failed++;
      }
    }
    return batch;
  });
}
