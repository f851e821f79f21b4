import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { captureCart } from '../../sidecar/src/carts/cart-capture.ts';
import { consentsAmong, recordConsent } from '../../sidecar/src/consent/consent.ts';
import { insertCustomerEnrollments, insertEnrollment } from '../../sidecar/src/flows/entry/enrollment-store.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { loyaltyRoutes } from '../../sidecar/src/loyalty/loyalty-routes.ts';
import { issueCoupon } from '../../sidecar/src/offers/coupons.ts';
import { privacyRoutes } from '../../sidecar/src/privacy/privacy-routes.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { shopClients } from '../../sidecar/src/woo/shop-clients.ts';
import { startFakeShop, LOCAL_NET } from '../fakes/fake-woo-shop.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { grantConsent } from '../helpers/consent.ts';
import { columnsHolding } from './address-walk.ts';

const TOKEN = 'admin-token-for-privacy-tests-0123456789';
const ADA = { email: 'Ada.Lovelace@Example.test', typedPhone: '500 000 001', e164: '+48500000001' };
const BOB = { email: 'bob@example.test', e164: '+48600000002' };

/** A checkout capture with consent to email reminders, as the plugin posts it. */
const cartOf = (sessionKey: string, who: { email?: string; phone?: string; firstName?: string; country?: string }) =>
  ({
    sessionKey,
    ...who,
    items: [{ productId: 1, variationId: 0, name: 'Tea', quantity: 1, price: '10.00', total: '10.00' }],
    total: '10.00',
    currency: 'PLN',
    source: 'classic',
    consent: { granted: true, channels: ['email'], text: 'Remind me' },
  }) satisfies Parameters<typeof captureCart>[2];

/**
 * One person's data, exported and erased through POST /api/privacy/export and /erase on MariaDB:
 * every table is walked after the erase and holds the person's email or number nowhere (the
 * suppression keeps only a salted hash), a bystander's rows are untouched, the reports' counts
 * stay, and no entry point takes the person in again.
 */
describe('privacy requests: export and erase one person', async () => {
  const { database } = await createTestDatabase('privacy_erase');
  const pool = database.pool;
  const shop = await startFakeShop({ orders: new Map() });
  afterAll(() => shop.close());
  const [inserted] = await pool.query<ResultSetHeader>(
    'INSERT INTO shops (url, name, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?, ?)',
    [shop.url, 'Privacy Shop', 'privacy-secret', shop.consumerKey, shop.consumerSecret],
  );
  const shopId = inserted.insertId;
  // 40 rows a table per erase call: her 110 deliveries take several calls, each going on where the last stopped.
  const routes = [privacyRoutes({ pool, wooClient: shopClients(pool, LOCAL_NET), batch: 40 }), loyaltyRoutes({ pool })];
  const { app } = testApp(database, { routers: [adminApi({ pool, adminToken: TOKEN, shopRoutes: routes })] });
  const api = (path: string, body: object) =>
    request(app).post(path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId)).send(body);
  const rows = async (sql: string, params: unknown[] = []) => (await pool.query<RowDataPacket[]>(sql, params))[0];
  const insert = async (sql: string, params: unknown[]) => (await pool.query<ResultSetHeader>(sql, params))[0].insertId;

  /** Everything a shop holds about a customer, as the sidecar's rooms write it. */
  async function seed(who: { email: string | null; phone: string; key: string; orderId: number; name: string }) {
    const billing = { first_name: who.name, last_name: 'Tester', email: who.email ?? '', phone: who.phone, country: 'PL', city: 'Kraków' };
    const snapshot = {
      id: who.orderId,
      status: 'pending',
      total: '120.00',
      billing,
      shipping: { ...billing },
      customer_ip_address: '203.0.113.9',
    };
    await pool.query(
      `INSERT INTO orders (shop_id, order_id, status, total, currency, email, phone, date_created, date_modified, snapshot)
       VALUES (?, ?, 'processing', 120, 'PLN', ?, ?, NOW(3), NOW(3), ?)`,
      [shopId, who.orderId, who.email?.toLowerCase() ?? null, who.phone, JSON.stringify(snapshot)],
    );
    // The merchant once made her address a test recipient (flows/admin/test-recipients.ts).
    if (who.email)
      await pool.query("INSERT INTO test_recipients (shop_id, channel, address, verified_at) VALUES (?, 'email', ?, NOW(3))", [
        shopId,
        who.email.toLowerCase(),
      ]);
    for (let i = 0; i < 110; i++)
      await pool.query(
        `INSERT INTO events (shop_id, source, topic, resource_id, dedup_key, body_hash, body, status) VALUES (?, 'webhook', 'order.updated', ?, SHA2(?, 256), SHA2(?, 256), ?, 'processed')`,
        [shopId, who.orderId, `${who.orderId}-${i}`, `${who.orderId}-${i}`, JSON.stringify({ ...snapshot, note: i })],
      );
    const enrollment = await insert(
      "INSERT INTO enrollments (shop_id, flow, subject_type, subject_id, status, customer_key, last_error) VALUES (?, 'unpaid-order', 'order', ?, 'active', ?, ?)",
      [shopId, String(who.orderId), who.key, `smtp refused ${who.email}`],
    );
    await pool.query("INSERT INTO step_log (enrollment_id, step, channel, outcome, detail) VALUES (?, 0, 'email', 'sent', ?)", [
      enrollment,
      `sent to ${who.email ?? who.phone}`,
    ]);
    const mail = await insert(
      `INSERT INTO outbox (idempotency_key, shop_id, enrollment_id, step, channel, recipient, subject, body_html, body_text, status, customer_key, sent_at, link_ref)
       VALUES (?, ?, ?, 0, 'email', ?, ?, ?, ?, 'sent', ?, NOW(3), ?)`,
      [
        `mail-${who.orderId}`,
        shopId,
        enrollment,
        who.email ?? '',
        `${who.name}, your order`,
        `<p>Hi ${who.name}</p>`,
        `Hi ${who.name}`,
        who.key,
        `ref-${who.orderId}`,
      ],
    );
    await insert(
      `INSERT INTO outbox (idempotency_key, shop_id, enrollment_id, step, channel, recipient, body_text, status, customer_key, link_ref)
       VALUES (?, ?, ?, 1, 'sms', ?, ?, 'pending', ?, ?)`,
      [
        `sms-${who.orderId}`,
        shopId,
        enrollment,
        who.phone.startsWith('+') ? who.phone : ADA.e164,
        `Hi ${who.name}, pay here`,
        who.key,
        `sms-${who.orderId}`,
      ],
    );
    await pool.query("INSERT INTO clicks (outbox_id, enrollment_id, kind, user_agent) VALUES (?, ?, 'pay', ?)", [
      mail,
      enrollment,
      `Mozilla ${who.name}`,
    ]);
    await pool.query(
      "INSERT INTO attributions (shop_id, order_id, enrollment_id, flow, outbox_id, step, channel, revenue, currency, paid_at) VALUES (?, ?, ?, 'unpaid-order', ?, 0, 'email', 120, 'PLN', NOW(3))",
      [shopId, who.orderId, enrollment, mail],
    );
    await pool.query(
      'INSERT INTO nps_responses (shop_id, outbox_id, enrollment_id, customer_key, score, comment, answered_at) VALUES (?, ?, ?, ?, 9, ?, NOW(3))',
      [shopId, mail, enrollment, who.key, `Great, ${who.name} here`],
    );
    const address = who.phone.startsWith('+') ? who.phone : ADA.e164;
    if (who.email)
      await grantConsent(pool, shopId, { purpose: 'cart', channel: 'email', address: who.email, source: 'checkout', text: 'Yes' });
    await grantConsent(pool, shopId, { purpose: 'cart', channel: 'sms', address, source: 'checkout', text: 'Yes' });
    await captureCart(
      pool,
      shopId,
      cartOf(`session-${who.orderId}`, { email: who.email ?? undefined, phone: who.phone, firstName: who.name, country: 'PL' }),
    );
    const conversation = await insert(
      "INSERT INTO conversations (shop_id, channel, address, last_inbound_at) VALUES (?, 'sms', ?, NOW(3))",
      [shopId, address],
    );
    await pool.query(
      "INSERT INTO inbound_messages (conversation_id, provider_message_id, body, kind, received_at) VALUES (?, ?, ?, 'text', NOW(3))",
      [conversation, `SM-${who.orderId}`, `This is ${who.name}, call me on ${who.phone}`],
    );
    await pool.query(
      `INSERT INTO customers (shop_id, customer_key, email, phone, orders_count, total_spent, first_purchase_at, last_purchase_at, expected_next_at, updated_at)
       VALUES (?, ?, ?, ?, 1, 120, NOW(3), NOW(3), NOW(3), NOW(3))`,
      [shopId, who.key, who.email?.toLowerCase() ?? null, who.phone],
    );
    await pool.query("INSERT INTO customer_tags (shop_id, customer_key, tag) VALUES (?, ?, 'vip')", [shopId, who.key]);
    await pool.query(
      'INSERT INTO customer_profiles (shop_id, customer_key, email, phone, first_name, updated_at) VALUES (?, ?, ?, ?, ?, NOW(3))',
      [shopId, who.key, who.email?.toLowerCase() ?? null, who.phone, who.name],
    );
    await pool.query(
      "INSERT INTO loyalty_events (shop_id, source_id, type, customer_key, payload, occurred_at) VALUES (?, ?, 'points.balance', ?, ?, NOW(3))",
      [shopId, `evt-${who.orderId}`, who.key, JSON.stringify({ email: who.email, points: 10 })],
    );
    const client = createWooClient(
      { url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret },
      { net: LOCAL_NET },
    );
    const coupon = await issueCoupon(pool, client, {
      shopId,
      email: who.key,
      issuedFor: `win-back:${who.orderId}`,
      offer: { type: 'percent', amount: 10 },
      expiresAt: new Date(Date.now() + 7 * 86_400_000),
      description: 'Win-back',
    });
    return { couponCode: coupon.code };
  }

  const ada = await seed({ email: ADA.email, phone: ADA.typedPhone, key: ADA.email.toLowerCase(), orderId: 501, name: 'Ada' });
  // Her second order gave only her number, typed with its country code the other way round.
  await pool.query(
    `INSERT INTO orders (shop_id, order_id, status, total, currency, email, phone, date_created, date_modified, snapshot)
     VALUES (?, 502, 'pending', 30, 'PLN', NULL, '0048 500-000-001', NOW(3), NOW(3), ?)`,
    [shopId, JSON.stringify({ id: 502, billing: { first_name: 'Ada', phone: '0048 500-000-001', country: 'PL' } })],
  );
  const bob = await seed({ email: BOB.email, phone: BOB.e164, key: BOB.email, orderId: 601, name: 'Bob' });

  /** Every text column of every table where Ada's email or number (any way it was typed) or name still is. */
  const whereIsAda = () => columnsHolding(pool, { lower: 'ada.lovelace@example.test', regexp: '500[ -]?000[ -]?001', exact: 'Ada' });
  const counts = async () => ({
    sent: Number((await rows("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'"))[0]!.n),
    clicks: Number((await rows('SELECT COUNT(*) AS n FROM clicks'))[0]!.n),
    recovered: (await rows('SELECT COUNT(*) AS n, SUM(revenue) AS revenue FROM attributions'))[0],
    nps: (await rows('SELECT COUNT(*) AS n, SUM(score) AS s FROM nps_responses'))[0],
  });

  it('exports everything held about her in pages, found by her email and by her number as typed', async () => {
    const items: Array<{ groupId: string; itemId: string; data: Array<{ name: string; value: string }> }> = [];
    let page = 1;
    for (;;) {
      const res = await api('/api/privacy/export', { email: ADA.email, phone: ADA.typedPhone, country: 'PL', page }).expect(200);
      items.push(...res.body.data);
      if (res.body.done) break;
      expect(res.body.nextPage).toBe(page + 1);
      page += 1;
    }
    expect(page).toBeGreaterThan(1); // 110 deliveries and the rest: more than one page of 100
    const groups = new Set(items.map((i) => i.groupId));
    for (const g of [
      'profile',
      'orders',
      'events',
      'messages',
      'clicks',
      'carts',
      'consents',
      'loyalty',
      'conversations',
      'nps',
      'coupons',
      'test-recipients',
    ])
      expect(groups, g).toContain(`comeback-${g}`);
    expect(new Set(items.map((i) => i.itemId)).size, 'no item twice across pages').toBe(items.length);
    const text = JSON.stringify(items);
    expect(text).not.toContain('Bob');
    expect(
      items
        .filter((i) => i.groupId === 'comeback-orders')
        .map((i) => i.data.find((d) => d.name === 'Order')!.value)
        .sort(),
    ).toEqual(['501', '502']);
    expect(text).toContain(ada.couponCode);
    expect(text).toContain('Great, Ada here');
  });

  it('refuses a request naming nobody, in plain words', async () => {
    const res = await api('/api/privacy/export', { email: 'not an email' }).expect(400);
    expect(res.body.error.message).toBe('Name the person by an email address or a phone number.');
    await api('/api/privacy/erase', { email: ADA.email, page: 0 }).expect(400);
  });

  it('erases her everywhere: no table holds her email or number, the reports count the same, Bob keeps everything', async () => {
    const before = await counts();
    const bobBefore = JSON.stringify(await rows('SELECT * FROM outbox WHERE customer_key = ? ORDER BY id', [BOB.email]));
    expect(await whereIsAda()).not.toEqual([]);
    let removed = 0;
    let calls = 0;
    for (let done = false; !done;) {
      const res = await api('/api/privacy/erase', { email: ADA.email, phone: ADA.e164 }).expect(200);
      removed += res.body.itemsRemoved;
      expect(res.body).toMatchObject({ itemsRetained: 0, messages: [] });
      done = res.body.done;
      calls += 1;
      expect(calls).toBeLessThan(10);
    }
    expect(calls).toBeGreaterThan(2);
    expect(removed).toBeGreaterThan(110);
    expect(await whereIsAda()).toEqual([]);
    expect(await counts()).toEqual(before);
    // Her unused coupon is gone from the shop; Bob's is still his.
    expect([...shop.coupons.values()].map((c) => c.code)).toEqual([bob.couponCode]);
    expect(JSON.stringify(await rows('SELECT * FROM outbox WHERE customer_key = ? ORDER BY id', [BOB.email]))).toBe(bobBefore);
    expect(await rows("SELECT status FROM outbox WHERE idempotency_key = 'sms-501'")).toEqual([{ status: 'cancelled' }]);
    expect(await rows("SELECT status, exit_reason FROM enrollments WHERE subject_id = '501'")).toEqual([
      { status: 'exited', exit_reason: 'erased' },
    ]);
    for (const t of ['carts', 'consents', 'customers', 'customer_profiles', 'loyalty_events', 'conversations'])
      expect((await rows(`SELECT COUNT(*) AS n FROM ${t}`))[0]!.n, t).toBe(t === 'consents' ? 2 : 1);
    expect((await rows('SELECT COUNT(*) AS n FROM suppressions WHERE shop_id = ?', [shopId]))[0]!.n).toBe(2);
    // Asking again finds nothing more.
    expect((await api('/api/privacy/erase', { email: ADA.email, phone: ADA.e164 }).expect(200)).body).toMatchObject({
      itemsRemoved: 0,
      done: true,
    });
    expect((await api('/api/privacy/export', { email: ADA.email }).expect(200)).body).toEqual({ data: [], done: true });
  });

  it('never takes her in again: flows, campaigns, carts, loyalty events and consents refuse her addresses', async () => {
    const enrollment = {
      shopId,
      flow: 'unpaid-order',
      flowVersion: 1,
      subject: { type: 'order', id: '777' },
      nextStepAt: new Date(),
      enteredAt: new Date(),
      anchorAt: new Date(),
      heldOut: false,
      customerKey: ADA.email.toLowerCase(),
      markUntil: null,
    };
    expect(await insertEnrollment(pool, enrollment)).toBe(false);
    expect(await insertEnrollment(pool, { ...enrollment, subject: { type: 'order', id: '778' }, customerKey: BOB.email })).toBe(true);
    const audience = {
      sql: "SELECT 'c-1' AS subject_id, ? AS customer_key, NOW(3) AS anchor_at, 1 AS position UNION ALL SELECT 'c-2', ?, NOW(3), 2",
      params: [ADA.e164, BOB.email],
    };
    expect(
      await insertCustomerEnrollments(pool, shopId, { key: 'campaign-1', version: 1, holdOutPercent: 0 }, audience, {
        firstDelayS: 0,
        now: new Date(),
      }),
    ).toBe(1);
    expect(await captureCart(pool, shopId, cartOf('session-again', { email: 'ADA.LOVELACE@example.test' }))).toBeNull();
    expect(await captureCart(pool, shopId, cartOf('session-again', { phone: ADA.typedPhone, country: 'PL' }))).toBeNull();
    expect(
      await recordConsent(pool, { shopId, purpose: 'marketing', channel: 'sms', address: ADA.e164, status: 'granted', source: 'keyword' }),
    ).toMatchObject({ outcome: 'refused' });
    expect((await consentsAmong(pool, shopId, 'order', 'email', [ADA.email])).get(ADA.email.toLowerCase())).toMatchObject({
      status: 'withdrawn',
      source: 'erased',
    });
    const events = await api('/api/events', { id: 'again-1', type: 'points.balance', email: ADA.email, points: 5 }).expect(200);
    expect(events.body.results).toEqual([{ id: 'again-1', status: 'suppressed' }]);
    expect(await whereIsAda()).toEqual([]);
  });
});
