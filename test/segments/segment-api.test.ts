import type { ResultSetHeader } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { segmentRoutes } from '../../sidecar/src/segments/segment-routes.ts';
import { recomputeSegments } from '../../sidecar/src/segments/segments.ts';
import { reconcileShop } from '../../sidecar/src/woo/reconcile.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { recordedOrders, LOCAL_NET, startFakeShop, wooTime } from '../fakes/fake-woo-shop.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';

const TOKEN = 'admin-token-for-segment-tests-0123456789';
const DAY = 86_400_000;

/**
 * Customers and segments from an order history the stand-in shop serves over REST (recorded
 * order shapes, dates and buyers changed), read by the sidecar's reconciliation, then the admin API.
 */
describe('customers and segments over the admin API, from orders read over WooCommerce REST', async () => {
  const { database } = await createTestDatabase('segment_api');
  const pool = database.pool;
  const now = new Date();
  const template =
    [...recordedOrders().values()].find((o) => o.status === 'processing' || o.status === 'completed') ?? [...recordedOrders().values()][0]!;
  const history = new Map<number, Record<string, unknown>>();
  let id = 5000;
  const placed = (email: string, daysAgo: number, total: string, status = 'completed') => {
    const at = wooTime(new Date(now.getTime() - daysAgo * DAY));
    // Touched within the last day (as a first sweep reads), placed and paid long ago.
    const modified = wooTime(new Date(now.getTime() - 3_600_000));
    history.set(++id, {
      ...template,
      id,
      number: String(id),
      status,
      total,
      billing: { ...(template.billing as object), email, phone: '' },
      date_created_gmt: at,
      date_created: at,
      date_paid_gmt: status === 'pending' ? null : at,
      date_paid: status === 'pending' ? null : at,
      date_modified_gmt: modified,
      date_modified: modified,
    });
  };
  // Ola buys every 20 days, last 50 days ago: 50 > 20 × 1.5, at risk; Jan bought once, 3 days ago.
  for (const d of [110, 90, 70, 50]) placed('ola@example.test', d, '25.00');
  placed('jan@example.test', 3, '400.00');
  placed('jan@example.test', 1, '999.00', 'pending'); // not paid: not counted
  const shop = await startFakeShop({ orders: history });
  const { app } = testApp(database, { routers: [adminApi({ pool, adminToken: TOKEN, shopRoutes: [segmentRoutes({ pool: pool })] })] });
  let shopId = 0;
  const admin = (method: 'get' | 'put' | 'post', path: string) =>
    request(app)[method](path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));
  beforeAll(async () => {
    const [r] = await pool.query<ResultSetHeader>(
      'INSERT INTO shops (url, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?)',
      [shop.url, 's', shop.consumerKey, shop.consumerSecret],
    );
    shopId = r.insertId;
    await reconcileShop(
      pool,
      shopId,
      createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }, { net: LOCAL_NET }),
      orderPipe(),
    );
  });
  afterAll(() => shop.close());

  it('rebuilds customers from the paid orders and lists every computed tag with its live count', async () => {
    const res = await admin('post', '/api/segments/recompute').expect(200);
    expect(res.body.customers).toBe(2);
    const counts = Object.fromEntries(res.body.segments.map((s: { tag: string; customers: number }) => [s.tag, s.customers]));
    // Two customers: the top 10 % is one, Jan (400 against Ola's 100).
    expect(counts).toEqual({ new: 1, 'recent-buyer': 1, 'at-risk': 1, inactive: 0, vip: 1 });
    const ola = (await admin('get', '/api/customers?tag=at-risk').expect(200)).body;
    expect(ola).toMatchObject({
      total: 1,
      items: [{ email: 'ola@example.test', orders: 4, totalSpent: '100.0000', averageDaysBetweenPurchases: 20, tags: ['at-risk'] }],
    });
    const all = (await admin('get', '/api/customers').expect(200)).body;
    expect(all.items.map((c: { email: string }) => c.email)).toEqual(['jan@example.test', 'ola@example.test']);
    expect(all.items[0]).toMatchObject({ orders: 1, averageDaysBetweenPurchases: null, tags: ['new', 'recent-buyer', 'vip'] });
  });

  it('shows each customer’s name and country from their latest order, what the loyalty program told us, and their consent', async () => {
    await pool.query(
      "INSERT INTO customer_profiles (shop_id, customer_key, language, time_zone, birth_month, birth_day, points, updated_at) VALUES (?, 'ola@example.test', 'pl', 'Europe/Warsaw', 6, 4, 120, NOW())",
      [shopId],
    );
    await pool.query(
      "INSERT INTO consents (shop_id, purpose, channel, address, status, source, changed_at) VALUES (?, 'marketing', 'email', 'ola@example.test', 'withdrawn', 'unsubscribe', NOW())",
      [shopId],
    );
    const billing = template.billing as Record<string, string>;
    const ola = (await admin('get', '/api/customers?tag=at-risk').expect(200)).body.items[0];
    expect(ola).toMatchObject({
      firstName: billing.first_name,
      lastName: billing.last_name,
      country: billing.country || null,
      language: 'pl',
      timeZone: 'Europe/Warsaw',
      birthday: '06-04',
      points: '120.00',
      cashback: null,
      consent: { email: 'withdrawn', sms: null, whatsapp: null },
    });
  });

  it('keeps manual tags across recomputes and refuses a computed name or a bad tag, naming why', async () => {
    const tagged = await admin('put', '/api/customers/OLA@example.test/tags')
      .send({ tags: ['Wholesale', 'wholesale', 'newsletter 2027'] })
      .expect(200);
    expect(tagged.body.tags).toEqual(['at-risk', 'newsletter 2027', 'wholesale']);
    await admin('post', '/api/segments/recompute').expect(200);
    const segments = (await admin('get', '/api/segments').expect(200)).body.segments;
    expect(segments).toContainEqual({ tag: 'wholesale', manual: true, rules: false, customers: 1 });
    const refused = await admin('put', '/api/customers/ola@example.test/tags')
      .send({ tags: ['vip', '<b>'] })
      .expect(400);
    expect(refused.body.error.code).toBe('invalid_tags');
    expect(JSON.stringify(refused.body.error.details)).toMatch(/manual tags may not be named new, recent-buyer, at-risk, inactive, vip/);
    await admin('put', '/api/customers/nobody@example.test/tags').send({ tags: [] }).expect(404);
    expect((await admin('get', '/api/customers?tag=wholesale').expect(200)).body.total).toBe(1);
  });

  it('keeps every customer when two recomputes meet (the hourly job and the merchant’s button)', async () => {
    const runs = await Promise.all([0, 1, 2].map((i) => recomputeSegments(pool, shopId, new Date(now.getTime() + i))));
    expect(runs.map((r) => r.customers)).toEqual([2, 2, 2]);
    expect((await admin('get', '/api/customers').expect(200)).body.total).toBe(2);
  });

  it('saves the thresholds validated and recomputes with them', async () => {
    const bad = await admin('put', '/api/settings/segments').send({ atRiskFactor: 0.5, vipTopPercent: 300 }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['atRiskFactor', 'vipTopPercent']);
    // Each refused in the words its field in the admin says (the one number rule, flow-texts.ts).
    const words = await admin('put', '/api/settings/segments')
      .send({ atRiskFactor: 0.5, newDays: 2.5, inactiveDays: null, custom: [{ tag: 'late', notBoughtForDays: 0 }] })
      .expect(400);
    expect(words.body.error.details).toEqual(
      expect.arrayContaining([
        { field: 'atRiskFactor', message: 'Enter a number from 1 to 10.' },
        { field: 'newDays', message: 'Enter a whole number from 1 to 3650.' },
        { field: 'inactiveDays', message: 'Enter a whole number from 1 to 3650.' },
        { field: 'custom.0.notBoughtForDays', message: 'Enter a whole number from 1 to 3650.' },
      ]),
    );
    expect(words.body.error.details).toHaveLength(4);
    // At risk only past 3 × the own rhythm (60 days for Ola): nobody.
    const saved = await admin('put', '/api/settings/segments').send({ atRiskFactor: 3 }).expect(200);
    expect(saved.body).toMatchObject({ atRiskFactor: 3, vipTopPercent: 10, defaultIntervalDays: 60 });
    const segments = (await admin('get', '/api/segments').expect(200)).body.segments;
    expect(segments.find((s: { tag: string }) => s.tag === 'at-risk').customers).toBe(0);
  });

  it('keeps the merchant’s rule-based segments live: computed in SQL with the others, refused without a rule or with a built-in name', async () => {
    const bad = await admin('put', '/api/settings/segments')
      .send({ custom: [{ tag: 'vip', minSpent: 1 }, { tag: 'empty' }] })
      .expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['custom.0.tag', 'custom.1']);
    // Spent at least 300 and bought within 10 days: Jan (400, 3 days ago), not Ola (100, 50 days ago).
    await admin('put', '/api/settings/segments')
      .send({
        custom: [
          { tag: 'big spenders', minSpent: 300, boughtWithinDays: 10 },
          { tag: 'lapsed regulars', minOrders: 3, notBoughtForDays: 30 },
        ],
      })
      .expect(200);
    const segments = (await admin('get', '/api/segments').expect(200)).body.segments;
    expect(segments.filter((s: { rules: boolean }) => s.rules)).toEqual([
      { tag: 'big spenders', manual: false, rules: true, customers: 1 },
      { tag: 'lapsed regulars', manual: false, rules: true, customers: 1 },
    ]);
    expect((await admin('get', '/api/customers?tag=big%20spenders').expect(200)).body.items.map((c: { email: string }) => c.email)).toEqual(
      ['jan@example.test'],
    );
    expect(
      (await admin('get', '/api/customers?tag=lapsed%20regulars').expect(200)).body.items.map((c: { email: string }) => c.email),
    ).toEqual(['ola@example.test']);
    // A segment's name is the rules' to give, and a manual tag's the merchant's: neither takes the other's.
    const byHand = await admin('put', '/api/customers/ola@example.test/tags')
      .send({ tags: ['big spenders'] })
      .expect(400);
    expect(byHand.body.error.details).toMatchObject([{ field: 'tags.0' }]);
    const clash = await admin('put', '/api/settings/segments')
      .send({ custom: [{ tag: 'wholesale', minOrders: 1 }] })
      .expect(400);
    expect(clash.body.error.details).toMatchObject([{ field: 'custom.0.tag' }]);
  });
});
