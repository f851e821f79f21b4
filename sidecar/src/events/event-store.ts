import { createHash } from 'node:crypto';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';

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

/** Stores an event before the sender is answered. Returns false for a repeat (already stored). */
export async function storeEvent(pool: Pool, event: IncomingEvent, status: 'received' | 'unusable' = 'received', error?: string): Promise<{ id: number; duplicate: boolean }> {
  const bodyHash = createHash('sha256').update(event.body).digest('hex');
  const key = dedupKey(event, bodyHash);
  const [result] = await pool.query<ResultSetHeader>(
    `INSERT IGNORE INTO events (shop_id, source, topic, resource_id, dedup_key, body_hash, body, status, error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [event.shopId, event.source, event.topic, event.resourceId ?? null, key, bodyHash, event.body.toString('utf8'), status, error ?? null],
  );
  if (result.affectedRows === 1) return { id: result.insertId, duplicate: false };
  const [rows] = await pool.query<RowDataPacket[]>('SELECT id FROM events WHERE dedup_key = ?', [key]);
  return { id: Number(rows[0]?.id), duplicate: true };
}

/**
 * Claims up to `limit` received events for processing (SKIP LOCKED: several sidecars share the
 * queue), runs `handle` on each inside the claiming transaction, and marks them processed. A
 * handler that throws marks its event failed with the reason; the batch goes on.
 */
export async function processPending(
  pool: Pool,
  limit: number,
  handle: (event: StoredEvent, conn: import('mysql2/promise').PoolConnection) => Promise<void>,
): Promise<number> {
  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT id, shop_id, topic, resource_id, body, received_at FROM events FORCE INDEX (events_pending)
       WHERE status = 'received' ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    for (const row of rows) {
      const event: StoredEvent = { id: Number(row.id), shopId: Number(row.shop_id), topic: row.topic, resourceId: row.resource_id === null ? null : Number(row.resource_id), body: row.body, receivedAt: row.received_at };
      await conn.query('SAVEPOINT one_event');
      try {
        await handle(event, conn);
        await conn.query("UPDATE events SET status = 'processed', processed_at = ?, attempts = attempts + 1 WHERE id = ?", [new Date(), event.id]);
      } catch (error) {
        await conn.query('ROLLBACK TO SAVEPOINT one_event');
        await conn.query("UPDATE events SET status = 'failed', error = ?, attempts = attempts + 1, processed_at = ? WHERE id = ?", [
          error instanceof Error ? error.message : String(error),
          new Date(),
          event.id,
        ]);
      }
    }
    await conn.commit();
    return rows.length;
  } catch (error) {
    await conn.rollback().catch(() => undefined);
    throw error;
  } finally {
    conn.release();
  }
}
