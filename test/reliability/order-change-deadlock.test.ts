import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { createOrderChanges } from '../../sidecar/src/events/order-changes.ts';
import { upsertOrders } from '../../sidecar/src/events/order-store.ts';
import { refreshCustomer } from '../../sidecar/src/segments/customer-stats.ts';
import { segmentsOnOrderChange } from '../../sidecar/src/segments/on-order-change.ts';
import { orderPayload } from '../../sidecar/src/woo/order-payload.ts';
import { createTestDatabase } from '../helpers/database.ts';

const [template] = JSON.parse(readFileSync(new URL('../../sidecar/src/demo/data/orders.json', import.meta.url), 'utf8')) as Array<
  Record<string, unknown>
>;
const paidOrder = (id: number, email: string) =>
  orderPayload.parse({
    ...template,
    id,
    number: String(id),
    status: 'processing',
    date_paid_gmt: '2026-12-01T10:00:00',
    date_modified_gmt: '2026-12-01T10:00:00',
    billing: { ...(template!.billing as Record<string, unknown>), email },
  });

/**
 * Found by `npm run soak` (InnoDB's LATEST DETECTED DEADLOCK, innodb_print_all_deadlocks): the
 * step runner, reading an order paid meanwhile, hands it to the order-change pipe on the pool; the
 * segments subscriber's customer refresh (one INSERT … SELECT … ON DUPLICATE KEY UPDATE) holds the
 * customers table's AUTO-INC lock while it waits for the gap a webhook's transaction locked
 * refreshing the next customer, and that transaction then wants the AUTO-INC lock for its own
 * new customer: InnoDB rolls back the smaller one, the runner's, and the step waited a minute.
 */
describe("the order-change pipe on the pool chosen as a deadlock's victim", async () => {
  const { database } = await createTestDatabase('order_change_deadlock');
  const pool = database.pool;

  it('runs the pipe again: the paid customer is refreshed, nothing fails', { timeout: 60_000 }, async () => {
    const [shop] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, webhook_secret) VALUES (?, ?)', ['https://shop.test', 'x']);
    const shopId = shop.insertId;
    // a < b < c by customer key; b is a customer already, a and c pay now.
    await upsertOrders(pool, shopId, [paidOrder(1, 'a@example.test'), paidOrder(2, 'b@example.test'), paidOrder(3, 'c@example.test')]);
    await refreshCustomer(pool, shopId, 'b@example.test', new Date());
    const changes = createOrderChanges([segmentsOnOrderChange]);

    const webhook = await pool.getConnection();
    try {
      await webhook.beginTransaction();
      // The webhook's transaction has written more (so InnoDB picks the pipe as the victim) and
      // refreshed b: the next-key lock on b covers the gap where a goes.
      await webhook.query('CREATE TEMPORARY TABLE IF NOT EXISTS pad (n INT) ENGINE=InnoDB');
      await webhook.query('INSERT INTO pad (n) SELECT seq FROM seq_1_to_50');
      await refreshCustomer(webhook, shopId, 'b@example.test', new Date());
      // The step runner: order 1 (a) was paid; its refresh takes AUTO-INC and waits for that gap.
      const piped = changes.changed(pool, shopId, 1, new Date()).then(
        () => 'done',
        (error: unknown) => String(error),
      );
      await sleep(500);
      // The webhook's transaction now inserts c: it wants AUTO-INC, held by the pipe — a cycle.
      await refreshCustomer(webhook, shopId, 'c@example.test', new Date());
      await webhook.commit();
      expect(await piped).toBe('done');
    } finally {
      webhook.release();
    }
    const [rows] = await pool.query<RowDataPacket[]>('SELECT customer_key FROM customers WHERE shop_id = ? ORDER BY customer_key', [
      shopId,
    ]);
    expect(rows.map((r) => String(r.customer_key))).toEqual(['a@example.test', 'b@example.test', 'c@example.test']);
  });
});
