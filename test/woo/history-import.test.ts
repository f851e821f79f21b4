import type { RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestSidecar } from '../helpers/sidecar.ts';
import { runHistoryImport, startHistoryImport } from '../../sidecar/src/woo/history-import.ts';
import { createWooClient, type WooClient } from '../../sidecar/src/woo/rest-client.ts';
import { recordedOrders, LOCAL_NET, startFakeShop, wooTime } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';

const TOKEN = 'admin-token-for-import-tests-0123456789';
const DAY = 86_400_000;
/** A shop id no row takes (the API test below connects a shop of its own). */
const OTHER = 900;

/** 250 completed orders from 50 customers over two years, in the recorded order shape. */
function history(): Map<number, Record<string, unknown>> {
  const template = [...recordedOrders().values()].find((o) => o.status === 'completed' || o.status === 'processing')!;
  const orders = new Map<number, Record<string, unknown>>();
  for (let i = 1; i <= 250; i++) {
    const at = wooTime(new Date(Date.now() - (730 - i * 2) * DAY));
    orders.set(i, {
      ...template,
      id: i,
      number: String(i),
      status: 'completed',
      total: '20.00',
      billing: { ...(template.billing as object), email: `c${i % 50}@example.test` },
      date_created_gmt: at,
      date_created: at,
      date_paid_gmt: at,
      date_paid: at,
      date_modified_gmt: at,
      date_modified: at,
    });
  }
  return orders;
}

describe('the first import of a shop’s order history over REST: progress, and resumed after a stop', async () => {
  const { database, url } = await createTestDatabase('history_import');
  const pool = database.pool;
  const shop = await startFakeShop({ orders: history() });
  const client = createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }, { net: LOCAL_NET });
  afterAll(() => shop.close());
  const stored = async (shopId: number) =>
    Number((await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM orders WHERE shop_id = ?', [shopId]))[0][0]!.n);

  it('goes on from the page it had not finished after a stop and after a failing page, never reading a page twice', async () => {
    await startHistoryImport(pool, OTHER, new Date());
    // Stopped after one page (a process killed between pages).
    expect(await runHistoryImport(pool, OTHER, client, orderPipe(), { maxPages: 1 })).toMatchObject({
      status: 'running',
      imported: 100,
      nextPage: 2,
      totalPages: 3,
      totalOrders: 250,
    });
    // The shop fails on the next page: the error is kept for the merchant, the position too.
    let failOnce = true;
    const flaky: WooClient = {
      ...client,
      ordersById: async (page, perPage) => {
        if (failOnce) {
          failOnce = false;
          throw new Error('WooCommerce answered 503 reading page 2');
        }
        return client.ordersById(page, perPage);
      },
    };
    await expect(runHistoryImport(pool, OTHER, flaky, orderPipe())).rejects.toThrow(/503/);
    expect(await startHistoryImport(pool, OTHER, new Date())).toMatchObject({
      status: 'running',
      nextPage: 2,
      lastError: 'WooCommerce answered 503 reading page 2',
    });
    shop.requests.length = 0;
    expect(await runHistoryImport(pool, OTHER, flaky, orderPipe())).toMatchObject({
      status: 'done',
      imported: 250,
      nextPage: 4,
      lastError: null,
    });
    const pages = shop.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/wp-json/wc/v3/orders'));
    expect(pages).toHaveLength(2); // pages 2 and 3 only
    expect(await stored(OTHER)).toBe(250);
    // Started again once done: nothing read unless asked to restart.
    expect(await startHistoryImport(pool, OTHER, new Date())).toMatchObject({ status: 'done' });
    expect(await startHistoryImport(pool, OTHER, new Date(), { restart: true })).toMatchObject({
      status: 'running',
      nextPage: 1,
      imported: 0,
    });
  });

  it('runs from the admin API as a job, shows its progress, and builds the customers when done', async () => {
    const sidecar = await startTestSidecar(url, { env: { COMEBACK_ADMIN_TOKEN: TOKEN } });
    try {
      const [r] = await pool.query<import('mysql2/promise').ResultSetHeader>(
        'INSERT INTO shops (url, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?)',
        [shop.url, 's', shop.consumerKey, shop.consumerSecret],
      );
      const admin = (method: 'get' | 'post', path: string) =>
        request(sidecar.url)[method](path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(r.insertId));
      expect((await admin('get', '/api/customers/import').expect(200)).body.status).toBe('none');
      expect((await admin('post', '/api/customers/import').send({}).expect(202)).body).toMatchObject({ status: 'running', imported: 0 });
      const done = await waitFor(
        async () => (await admin('get', '/api/customers/import').expect(200)).body,
        (b) => b.status === 'done',
        20_000,
        'the import to finish',
      );
      expect(done).toMatchObject({ imported: 250, totalOrders: 250 });
      const customers = await waitFor(
        async () => (await admin('get', '/api/customers').expect(200)).body,
        (b) => b.total === 50,
        10_000,
        'the customers to be built',
      );
      // c0 bought orders 50, 100, … 250: every 100 days (two days an order id).
      expect(customers.items.find((c: { email: string }) => c.email === 'c0@example.test')).toMatchObject({
        orders: 5,
        totalSpent: '100.0000',
        averageDaysBetweenPurchases: 100,
      });
      await admin('post', '/api/customers/import').send({ restart: 'yes' }).expect(400);
    } finally {
      await sidecar.stop();
    }
  });
});
