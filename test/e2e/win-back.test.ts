import type { RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../sidecar/src/flows/definition/presets.ts';
import { decodedBodies, parseRaw, startSmtpServer } from '../channels/smtp-server.ts';
import { recordedOrders, startFakeShop, wooTime } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';
import { startTestSidecar, deliverWebhook } from '../helpers/sidecar.ts';

const TOKEN = 'admin-token-for-the-win-back-e2e-0123456789';
const SECRET = 'e2e-win-back-webhook-secret';
const DAY = 86_400_000;

/**
 * Win-back through a running sidecar: the order history imported over REST from the stand-in
 * shop, the preset switched on in the admin API, the lapsed customer's offer mailed by SMTP with a
 * coupon WooCommerce now holds, and her next order (a signed webhook) ending it.
 */
describe('win-back, end to end: history import → lapse → coupon by SMTP → purchase', async () => {
  const { database, url } = await createTestDatabase('e2e_win_back');
  const pool = database.pool;
  const smtp = await startSmtpServer();
  const template = [...recordedOrders().values()].find((o) => o.payment_method === 'payustandard')!;
  const history = new Map<number, Record<string, unknown>>();
  const order = (id: number, email: string, at: Date) => {
    const time = wooTime(at);
    const o = {
      ...template,
      id,
      number: String(id),
      status: 'completed',
      billing: { ...(template.billing as object), email, first_name: 'Ola' },
      date_created_gmt: time,
      date_paid_gmt: time,
      date_modified_gmt: time,
    };
    history.set(id, o);
    return o;
  };
  // Every 20 days, the last 40 days ago: lapsed (40 > 20 × 1.25). Jan bought yesterday: not lapsed.
  for (const [i, d] of [80, 60, 40].entries()) order(7001 + i, 'ola@example.test', new Date(Date.now() - d * DAY));
  order(7010, 'jan@example.test', new Date(Date.now() - DAY));
  const shop = await startFakeShop({ orders: history });
  const sidecar = await startTestSidecar(url, { smtpPort: smtp.port, env: { COMEBACK_ADMIN_TOKEN: TOKEN } });
  afterAll(async () => {
    await sidecar.stop();
    await smtp.close();
    await shop.close();
  });
  const row = async (sql: string, params: unknown[] = []) => (await pool.query<RowDataPacket[]>(sql, params))[0][0];

  it('imports the history, offers the lapsed customer her coupon by email, and stops when she buys', { timeout: 120_000 }, async () => {
    const connected = await request(sidecar.url)
      .post('/api/shops')
      .set('authorization', `Bearer ${TOKEN}`)
      .send({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret, name: 'Fixture Shop' })
      .expect(201);
    const shopId = connected.body.shop.id as number;
    await pool.query('UPDATE shops SET webhook_secret = ? WHERE id = ?', [SECRET, shopId]);
    const admin = (method: 'get' | 'put' | 'post', path: string) =>
      request(sidecar.url)[method](path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));
    await admin('post', '/api/customers/import').send({}).expect(202);
    await waitFor(
      async () => (await admin('get', '/api/customers/import')).body,
      (p) => p.status === 'done',
      30_000,
      'the import to finish',
    );
    await waitFor(
      async () => (await admin('get', '/api/customers?tag=at-risk')).body.items,
      (items) => items.length === 1,
      30_000,
      'ola to be at risk',
    );
    await pool.query(
      "INSERT INTO consents (shop_id, purpose, channel, address, status, source, changed_at) VALUES (?, 'marketing', 'email', 'ola@example.test', 'granted', 'import', NOW(3)), (?, 'marketing', 'email', 'jan@example.test', 'granted', 'import', NOW(3))",
      [shopId, shopId],
    );

    // Any hour (the preset's 10:00 in her zone has its own test), email only.
    const preset = PRESETS['win-back'];
    const definition = { ...preset, sendWindow: null, steps: preset.steps.map((s) => ({ ...s, channels: ['email'] })) };
    await admin('put', '/api/flows/win-back').send({ definition, enabled: true }).expect(200);

    const [message] = await waitFor(
      async () => smtp.received.slice(),
      (r) => r.length >= 1,
      45_000,
      'the offer to arrive by SMTP',
    );
    const mail = parseRaw(message!);
    expect(mail.headers.get('to')?.[0]).toContain('ola@example.test');
    expect(mail.headers.get('subject')?.[0]).toContain('We miss you at Fixture Shop');
    const code = /Your personal code: (CB-[0-9A-F]{12}) \(10% off\)/.exec((await decodedBodies(message!)).text)?.[1];
    expect(code).toBeDefined();
    const coupon = [...shop.coupons.values()].find((c) => c.code === code)!;
    expect(coupon).toMatchObject({ discount_type: 'percent', amount: '10.00', usage_limit: 1, email_restrictions: ['ola@example.test'] });

    // She buys with it: the webhook's paid order ends her win-back and marks the coupon used.
    const bought = order(7020, 'ola@example.test', new Date());
    await deliverWebhook(sidecar.url, {
      shopUrl: shop.url,
      secret: SECRET,
      topic: 'order.created',
      body: {
        ...bought,
        coupon_lines: [{ id: 1, code: code!.toLowerCase(), discount: '5.00', discount_tax: '0.00', meta_data: [] }],
      },
    });
    await waitFor(
      async () => row("SELECT status, exit_reason FROM enrollments WHERE flow = 'win-back'"),
      (e) => e?.status === 'exited',
      30_000,
      'the win-back to end',
    );
    expect(await row("SELECT exit_reason FROM enrollments WHERE flow = 'win-back'")).toMatchObject({ exit_reason: 'purchased' });
    expect(await row('SELECT order_id FROM coupons WHERE code = ?', [code])).toMatchObject({ order_id: 7020 });
    expect(await row('SELECT flow, step FROM attributions WHERE order_id = 7020')).toMatchObject({ flow: 'win-back', step: 0 });
    expect(smtp.received).toHaveLength(1); // jan was never lapsed
  });
});
