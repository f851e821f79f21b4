import { readFileSync } from 'node:fs';
import type { RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { signWebhook } from '../../sidecar/src/woo/webhook-signature.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { deliveries, FIXTURE_SECRET, FIXTURE_SHOP_URL, FIXTURES, replayHeaders, type Delivery } from '../helpers/woo-fixtures.ts';

describe('POST /webhooks/woocommerce with the recorded deliveries', async () => {
  const { database } = await createTestDatabase('webhooks');
  const pool = database.pool;
  const { app, events } = testApp(database);
  const all = deliveries();
  const signed = all.filter((d) => d.headers['x-wc-webhook-topic']);
  // supertest re-serialises a Buffer by its content type; a string goes out byte for byte.
  const post = (d: Delivery, body: Buffer = d.body, headers = replayHeaders(d)) => {
    const text = body.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(body)) throw new Error(`delivery ${d.seq} is not valid UTF-8`);
    return request(app).post('/webhooks/woocommerce').set(headers).send(text);
  };

  beforeEach(async () => {
    for (const table of ['events', 'orders']) await pool.query(`DELETE FROM ${table}`);
    // One shop row for the whole file (the route remembers a shop's secret for a few seconds).
    await pool.query('INSERT IGNORE INTO shops (url, webhook_secret) VALUES (?, ?)', [FIXTURE_SHOP_URL, FIXTURE_SECRET]);
  });

  async function count(sql: string): Promise<number> {
    const [rows] = await pool.query<RowDataPacket[]>(sql);
    return Number(rows[0]!.n);
  }

  it('answers the creation pings 200 without a signature', async () => {
    const pings = all.filter((d) => d.label === 'ping');
    expect(pings.length).toBeGreaterThan(0);
    for (const ping of pings) await post(ping).expect(200, { status: 'ping' });
    expect(await count('SELECT COUNT(*) AS n FROM events')).toBe(0);
  });

  it('stores every signed delivery before answering, and a replay of all of them only as duplicates', async () => {
    expect(signed.length).toBeGreaterThan(60);
    const first = [];
    for (const d of signed) first.push((await post(d).expect(200)).body.status);
    expect(first.filter((s) => s === 'stored' || s === 'recorded_unusable').length).toBe(await count('SELECT COUNT(*) AS n FROM events'));
    const stored = await count('SELECT COUNT(*) AS n FROM events');
    for (const d of signed) expect((await post(d).expect(200)).body.status).toBe('duplicate');
    expect(await count('SELECT COUNT(*) AS n FROM events')).toBe(stored);
  });

  it('records a signed error body (rest_no_route) as unusable, answering 200', async () => {
    const errorDelivery = signed.find((d) => d.body.toString().includes('"rest_no_route"'));
    expect(errorDelivery).toBeDefined();
    await post(errorDelivery!)
      .expect(200)
      .expect((res) => expect(res.body.status).toBe('recorded_unusable'));
    expect(await count("SELECT COUNT(*) AS n FROM events WHERE status = 'unusable'")).toBe(1);
  });

  it('rejects a tampered body, a missing signature and an unknown shop with 401, storing nothing', async () => {
    const d = signed.find((x) => x.label === 'order.created')!;
    const tampered = Buffer.from(d.body.toString().replace('"total":"', '"total":"1'));
    await post(d, tampered).expect(401);
    const { 'x-wc-webhook-signature': _sig, ...unsigned } = replayHeaders(d);
    await post(d, d.body, unsigned).expect(401);
    await post(d, d.body, { ...replayHeaders(d), 'x-wc-webhook-source': 'http://evil.test/' }).expect(401);
    expect(await count('SELECT COUNT(*) AS n FROM events')).toBe(0);
  });

  it('answers a correctly signed body that is not JSON with 400 and the reason', async () => {
    const d = signed[0]!;
    const body = Buffer.from('{"id": 1,');
    const res = await post(d, body, { ...replayHeaders(d), 'x-wc-webhook-signature': signWebhook(body, FIXTURE_SECRET) }).expect(400);
    expect(res.body.error.code).toBe('malformed_json');
    expect(res.body.error.message).toMatch(/not valid JSON/);
  });

  it('answers an oversize body with 413 and a request without topic or ping with 400', async () => {
    const d = signed[0]!;
    const tooLarge = await post(d, Buffer.alloc(3 * 1024 * 1024, 0x20)).expect(413);
    expect(tooLarge.body.error.code).toBe('payload_too_large');
    await request(app).post('/webhooks/woocommerce').set('content-type', 'application/json').send('{}').expect(400);
    const get = await request(app).get('/webhooks/woocommerce').expect(405);
    expect(get.headers.allow).toBe('POST');
    expect(Number((await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM events'))[0][0]!.n)).toBe(0); // nothing stored
  });

  it('keeps each order at its latest state whatever order the deliveries arrive in', async () => {
    const orderUpdates = signed.filter((d) => d.label === 'order.created' || d.label === 'order.updated');
    const snapshot = async () => {
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT order_id, status, date_paid, total, payment_method FROM orders ORDER BY order_id',
      );
      return rows.map((r) => ({ ...r }));
    };
    for (const d of orderUpdates) await post(d).expect(200);
    await events.drain();
    const inOrder = await snapshot();
    expect(inOrder.length).toBeGreaterThan(10);

    for (const table of ['events', 'orders']) await pool.query(`DELETE FROM ${table}`);
    for (const d of [...orderUpdates].reverse()) await post(d).expect(200);
    await events.drain();
    expect(await snapshot()).toEqual(inOrder);
    expect(await count("SELECT COUNT(*) AS n FROM events WHERE status <> 'processed' AND status <> 'unusable'")).toBe(0);
  });

  it('keeps the language an order was placed in and the customer’s own locale, as a multilingual shop delivers them', async () => {
    const d = signed.find((x) => x.seq === 16 && x.label === 'order.created')!;
    const expected = {
      'comeback-pl': { language: 'pl_PL', customer_locale: null },
      'wpml-pl': { language: 'pl', customer_locale: null },
      'user-de': { language: null, customer_locale: 'de_DE' },
    };
    for (const [variant, stored] of Object.entries(expected)) {
      for (const table of ['events', 'orders']) await pool.query(`DELETE FROM ${table}`);
      const body = readFileSync(`${FIXTURES}variants/016-order.created-${variant}.body`);
      await post(d, body, { ...replayHeaders(d), 'x-wc-webhook-signature': signWebhook(body, FIXTURE_SECRET) }).expect(200);
      await events.drain();
      const [rows] = await pool.query<RowDataPacket[]>('SELECT language, customer_locale FROM orders WHERE order_id = 15');
      expect({ ...rows[0] }, variant).toEqual(stored);
    }
  });

  it('keeps a billing email naming several addresses as no email at all: nobody extra is ever reached', async () => {
    const d = signed.find((x) => x.label === 'order.created')!;
    const order = JSON.parse(d.body.toString());
    for (const [n, several] of ['a@x.com, b@y.com', 'a@x.com;b@y.com', 'a@x.com b@y.com', 'Ann <a@x.com>'].entries()) {
      const body = Buffer.from(JSON.stringify({ ...order, id: 900_000 + n, billing: { ...order.billing, email: several } }));
      await post(d, body, { ...replayHeaders(d), 'x-wc-webhook-signature': signWebhook(body, FIXTURE_SECRET) }).expect(200);
    }
    await events.drain();
    const [rows] = await pool.query<RowDataPacket[]>(
      "SELECT email, JSON_VALUE(snapshot, '$.billing.email') AS snapshot_email FROM orders WHERE order_id >= 900000",
    );
    expect(rows.map((r) => ({ ...r }))).toEqual(Array(4).fill({ email: null, snapshot_email: '' }));
  });

  it('follows a trash and a restore delivered in order', async () => {
    const trashed = signed.find((d) => d.label === 'order.deleted')!;
    const id = JSON.parse(trashed.body.toString()).id as number;
    const before = signed.filter((d) => d.seq < trashed.seq && JSON.parse(d.body.toString()).id === id);
    for (const d of before) await post(d).expect(200);
    await post(trashed).expect(200);
    await events.drain();
    const status = async () => {
      const [rows] = await pool.query<RowDataPacket[]>('SELECT status FROM orders WHERE order_id = ?', [id]);
      return rows[0]?.status;
    };
    expect(await status()).toBe('trash');
    const restored = signed.find((d) => d.label === 'order.restored' && JSON.parse(d.body.toString()).id === id);
    if (restored) {
      await post(restored).expect(200);
      await events.drain();
      expect(await status()).not.toBe('trash');
    }
  });
});
