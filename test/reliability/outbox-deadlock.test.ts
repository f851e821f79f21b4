import { setTimeout as sleep } from 'node:timers/promises';
import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { createOutboxWriter } from '../../sidecar/src/messages/outbox.ts';
import { insertMessages, type OutboxMessage } from '../../sidecar/src/messages/outbox-store.ts';
import { createTestDatabase } from '../helpers/database.ts';

const message = (key: string): OutboxMessage => ({
  shopId: 1,
  to: 'customer@example.test',
  from: 'Fixture Shop <shop@example.test>',
  subject: key,
  html: `<p>${key}</p>`,
  text: key,
  idempotencyKey: key,
});

/**
 * Found by `npm run soak`: two sidecars queueing reminders at once, InnoDB rolled back a
 * group-committed outbox insert as a deadlock's victim, and every step of that flush waited a
 * minute for its retry. InnoDB's answer is to run the statement again at once.
 */
describe("the step runner's outbox writer chosen as a deadlock's victim", async () => {
  const { database } = await createTestDatabase('outbox_deadlock');

  it('inserts again and answers every message of the flush', { timeout: 60_000 }, async () => {
    const other = await database.pool.getConnection();
    try {
      await other.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await other.beginTransaction();
      // The other sidecar's transaction has written more, so InnoDB rolls back the writer's.
      await insertMessages(
        other,
        Array.from({ length: 50 }, (_, i) => message(`deadlock:other:${i}`)),
      );
      await insertMessages(other, [message('deadlock:b')]);
      const writer = createOutboxWriter(database.pool);
      // One flush: it inserts a, then waits for b, which the other transaction holds.
      const queued = Promise.allSettled([writer.enqueue(message('deadlock:a')), writer.enqueue(message('deadlock:b'))]);
      await sleep(500);
      // The other transaction now wants a: a cycle, and the writer's insert is the victim.
      const otherA = insertMessages(other, [message('deadlock:a')]);
      await otherA;
      await other.commit();
      const [a, b] = await queued;
      expect(a.status, a.status === 'rejected' ? String(a.reason) : '').toBe('fulfilled');
      expect(b.status).toBe('fulfilled');
      const [rows] = await database.pool.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM outbox WHERE idempotency_key IN ('deadlock:a', 'deadlock:b')",
      );
      expect(Number(rows[0]!.n)).toBe(2);
    } finally {
      other.release();
    }
  });
});
