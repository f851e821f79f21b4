import type { ResultSetHeader } from 'mysql2/promise';
import { LOCAL_NET } from '../fakes/fake-woo-shop.ts';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { cartRoutes } from '../../sidecar/src/carts/cart-routes.ts';
import { abandonIdleCarts } from '../../sidecar/src/carts/cart-abandonment.ts';
import { flowRoutes } from '../../sidecar/src/flows/admin/flow-routes.ts';
import { messagingSettingsRoutes } from '../../sidecar/src/flows/admin/messaging-settings-routes.ts';
import { loadFlow, saveFlow } from '../../sidecar/src/flows/definition/flow-store.ts';
import { PRESETS } from '../../sidecar/src/flows/definition/presets.ts';
import { loadRecoverySettings, saveRecoverySettings } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { queueRoutes } from '../../sidecar/src/flows/admin/queue-routes.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';
import { shopClients } from '../../sidecar/src/woo/shop-clients.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { signRequest } from '../../sidecar/src/http/admin-auth.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';

const TOKEN = 'admin-token-for-tests-0123456789';
const SHOP_URL = 'https://shop.example.test';
const SECRET = 'plugin-shared-secret';

/** The flows, carts and messaging API over real HTTP, signed as the plugin and the admin UI call it. */
describe('flows, carts and messaging settings over the admin API', async () => {
  const { database } = await createTestDatabase('flow_api');
  const pool = database.pool;
  const channels = () => ({ email: true, sms: true, whatsapp: false });
  const { app } = testApp(database, {
    routers: [
      adminApi({
        pool,
        adminToken: TOKEN,
        shopRoutes: [
          flowRoutes({ pool, channels }),
          messagingSettingsRoutes({ pool }),
          cartRoutes({ pool }),
          queueRoutes({ pool, wooClient: shopClients(pool, LOCAL_NET), orderChanges: orderPipe(), kickSteps: () => {} }),
        ],
      }),
    ],
  });
  let shopId = 0;
  beforeAll(async () => {
    const [r] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, webhook_secret) VALUES (?, ?)', [SHOP_URL, SECRET]);
    shopId = r.insertId;
  });
  const admin = (method: 'get' | 'put' | 'post' | 'patch', path: string) =>
    request(app)[method](path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));
  const plugin = (method: 'get' | 'post', path: string, body = '') =>
    request(app)
      [method](path)
      .set('x-comeback-shop', SHOP_URL)
      .set('x-comeback-signature', signRequest(SECRET, { direction: 'plugin-to-sidecar', method, path, body }))
      .set('content-type', 'application/json')
      .send(body);

  it('lists the presets (unsaved: version 0, off) and which channels are set up', async () => {
    const res = await admin('get', '/api/flows').expect(200);
    expect(res.body.flows.map((f: { key: string }) => f.key)).toEqual([
      'unpaid-order',
      'abandoned-cart',
      'order-confirmation',
      'post-sale',
      'shipment',
      'win-back',
      'voucher-issued',
      'voucher-expiring',
      'birthday',
      'nps-survey',
      'balance-reminder',
    ]);
    expect(res.body.flows[1]).toMatchObject({
      version: 0,
      enabled: false,
      preset: true,
      definition: { trigger: { event: 'cart.abandoned' } },
    });
    expect(res.body.channels).toEqual({ email: true, sms: true, whatsapp: false });
  });

  it('saves a new version, refuses a stale one (409), and keeps the history', async () => {
    const definition = { ...PRESETS['abandoned-cart'], holdOutPercent: 10 };
    const first = await admin('put', '/api/flows/abandoned-cart').send({ definition, enabled: true, expectedVersion: 0 }).expect(200);
    expect(first.body).toMatchObject({ version: 1, enabled: true });
    await admin('put', '/api/flows/abandoned-cart').send({ definition, enabled: true, expectedVersion: 1 }).expect(200);
    const stale = await admin('put', '/api/flows/abandoned-cart').send({ definition, enabled: true, expectedVersion: 1 }).expect(409);
    expect(stale.body.error).toMatchObject({ code: 'version_conflict', details: { currentVersion: 2 } });
    const one = await admin('get', '/api/flows/abandoned-cart').expect(200);
    expect(one.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    await admin('patch', '/api/flows/abandoned-cart').send({ enabled: false }).expect(200);
    expect((await admin('get', '/api/flows/abandoned-cart').expect(200)).body).toMatchObject({ version: 2, enabled: false });
  });

  it('refuses a broken flow naming each field, and shortcodes that do not fit the trigger with line and column', async () => {
    const noTemplate = { ...PRESETS['abandoned-cart'], steps: [{ ...PRESETS['abandoned-cart'].steps[1]!, channels: ['email', 'sms'] }] };
    const missing = await admin('put', '/api/flows/abandoned-cart').send({ definition: noTemplate, enabled: true }).expect(400);
    expect(missing.body.error.code).toBe('invalid_flow');
    expect(missing.body.error.details).toContainEqual({ field: 'steps.0.sms', message: 'the step sends by sms but has no sms template' });

    const backwards = { ...PRESETS['abandoned-cart'], steps: [PRESETS['abandoned-cart'].steps[1]!, PRESETS['abandoned-cart'].steps[0]!] };
    const order = await admin('put', '/api/flows/abandoned-cart').send({ definition: backwards, enabled: true }).expect(400);
    expect(order.body.error.details).toContainEqual({ field: 'steps.1.delay', message: 'a step cannot come before the one above it' });

    // An NPS survey is not about an order the customer placed: it may not skip the marketing opt-in.
    const nps = await admin('put', '/api/flows/nps-survey')
      .send({ definition: { ...PRESETS['nps-survey'], purpose: 'order' }, enabled: true })
      .expect(400);
    expect(nps.body.error.details).toContainEqual({
      field: 'purpose',
      message: 'These messages are not about an order the customer placed: their purpose is marketing, which needs the customer’s opt-in.',
    });

    const wrong = {
      ...PRESETS['abandoned-cart'],
      steps: [{ ...PRESETS['abandoned-cart'].steps[1]!, email: { subject: 'Hi', body: 'Your order\n  [order_number] is [cart_totl]' } }],
    };
    const res = await admin('put', '/api/flows/abandoned-cart').send({ definition: wrong, enabled: true }).expect(400);
    expect(res.body.error.code).toBe('invalid_template');
    expect(res.body.error.details).toContainEqual(
      expect.objectContaining({ field: 'steps.0.email.body', line: 2, column: 3, shortcode: 'order_number' }),
    );
    expect(res.body.error.details).toContainEqual(
      expect.objectContaining({ field: 'steps.0.email.body', code: 'unknown_shortcode', shortcode: 'cart_totl' }),
    );

    const unpaidWithoutTransferText = {
      ...PRESETS['unpaid-order'],
      steps: [{ ...PRESETS['unpaid-order'].steps[0]!, channels: ['email', 'sms'], sms: { body: 'Pay here: [payment_link]' } }],
    };
    const transfer = await admin('put', '/api/flows/unpaid-order')
      .send({ definition: unpaidWithoutTransferText, enabled: true })
      .expect(400);
    expect(transfer.body.error.details).toContainEqual(expect.objectContaining({ field: 'steps.0.sms.offlineBody', code: 'missing_text' }));
  });

  it('creates a flow of the shop’s own, and not twice', async () => {
    const definition = { ...PRESETS['post-sale'], name: 'Review request' };
    await admin('post', '/api/flows').send({ key: 'review-request', definition }).expect(201);
    await admin('post', '/api/flows').send({ key: 'review-request', definition }).expect(409);
    await admin('post', '/api/flows').send({ key: 'Bad Key', definition }).expect(400);
  });

  it('deletes a copy nobody entered; refuses a preset and a flow with a history, saying to switch it off', async () => {
    const definition = { ...PRESETS['post-sale'], name: 'Copy to throw away' };
    await admin('post', '/api/flows').send({ key: 'post-sale-copy', definition }).expect(201);
    await admin('put', '/api/flows/post-sale-copy').send({ definition, enabled: false }).expect(200); // a second version
    await admin('post', '/api/flows/post-sale-copy/delete').expect(204);
    await admin('get', '/api/flows/post-sale-copy').expect(404);
    expect((await admin('get', '/api/flows').expect(200)).body.flows.map((f: { key: string }) => f.key)).not.toContain('post-sale-copy');
    const [[versions]] = await pool.query<import('mysql2/promise').RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM flow_versions WHERE flow_key = 'post-sale-copy'",
    );
    expect(Number(versions!.n)).toBe(0);
    await admin('post', '/api/flows/post-sale-copy/delete').expect(404);
    // A preset is switched off, not deleted.
    expect((await admin('post', '/api/flows/post-sale/delete').expect(409)).body.error.code).toBe('preset');
    // Someone entered it: its history stays.
    await admin('post', '/api/flows').send({ key: 'used-copy', definition }).expect(201);
    await pool.query(
      "INSERT INTO enrollments (shop_id, flow, flow_version, subject_type, subject_id, customer_key, status, step, entered_at) VALUES (?, 'used-copy', 1, 'customer', 'x@example.test', 'x@example.test', 'completed', 0, NOW(3))",
      [shopId],
    );
    const used = await admin('post', '/api/flows/used-copy/delete').expect(409);
    expect(used.body.error).toMatchObject({ code: 'flow_used', message: expect.stringContaining('switch it off instead') });
    await admin('get', '/api/flows/used-copy').expect(200);
    await pool.query("DELETE FROM enrollments WHERE flow = 'used-copy'"); // the cart test below reads the one enrollment it makes
  });

  it('takes a signed cart capture from the plugin only with consent, and answers its restore link', async () => {
    const capture = {
      sessionKey: 'ab'.repeat(20),
      email: 'ada@example.test',
      phone: '+48 601 234 567',
      firstName: 'Ada',
      country: 'PL',
      consent: { granted: true, text: 'Remind me about my cart', channels: ['email', 'sms'] },
      items: [{ productId: 12, variationId: 0, quantity: 2, name: 'Blue mug', price: '12.50', total: '25.00', stock: 3 }],
      total: '25.00',
      currency: 'PLN',
      source: 'store-api',
    };
    await plugin('post', '/api/carts', JSON.stringify({ ...capture, consent: { ...capture.consent, granted: false } })).expect(400);
    await plugin('post', '/api/carts', JSON.stringify({ ...capture, items: [{ ...capture.items[0], price: 12.5 }] })).expect(400);
    const stored = await plugin('post', '/api/carts', JSON.stringify(capture)).expect(201);
    expect(stored.body.ref).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await request(app).post('/api/carts').set('content-type', 'application/json').send(JSON.stringify(capture)).expect(401);

    // The restore link's reference is a message's, never the cart's own: none yet, so 404.
    await plugin('get', `/api/carts/${stored.body.ref}`).expect(404);
    const saved = await admin('put', '/api/flows/abandoned-cart')
      .send({ definition: PRESETS['abandoned-cart'], enabled: true })
      .expect(200);
    await pool.query('UPDATE carts SET last_activity_at = ?', [new Date(Date.now() - 2 * 3_600_000)]);
    expect(await abandonIdleCarts(pool)).toBe(1);
    const [[enrollment]] = await pool.query<import('mysql2/promise').RowDataPacket[]>('SELECT id FROM enrollments');
    await pool.query(
      "INSERT INTO outbox (idempotency_key, shop_id, enrollment_id, step, channel, recipient, status, link_ref) VALUES ('k', ?, ?, 0, 'sms', '+48601234567', 'sent', 'ref-of-the-message-0001')",
      [shopId, enrollment!.id],
    );
    const restored = await plugin('get', '/api/carts/ref-of-the-message-0001').expect(200);
    expect(restored.body).toEqual({
      items: [{ productId: 12, variationId: 0, quantity: 2 }],
      email: 'ada@example.test',
      phone: '+48 601 234 567',
      firstName: 'Ada',
      country: 'PL',
      // The language its notices are shown in: the message's, else the cart's (none captured here).
      locale: null,
    });
    // The consent was recorded per channel, for cart reminders only, with the wording the shopper agreed to.
    const [consents] = await pool.query<import('mysql2/promise').RowDataPacket[]>(
      'SELECT purpose, channel, address, status, source, text FROM consents ORDER BY channel',
    );
    expect(consents.map((c) => ({ ...c }))).toEqual([
      {
        purpose: 'cart',
        channel: 'email',
        address: 'ada@example.test',
        status: 'granted',
        source: 'checkout',
        text: 'Remind me about my cart',
      },
      { purpose: 'cart', channel: 'sms', address: '+48601234567', status: 'granted', source: 'checkout', text: 'Remind me about my cart' },
    ]);

    // The queue shows the cart's enrollment, and why its steps did or did not send.
    await pool.query(
      "INSERT INTO step_log (enrollment_id, step, channel, outcome, detail) VALUES (?, 0, 'whatsapp', 'no_consent', 'no whatsapp opt-in for marketing messages')",
      [enrollment!.id],
    );
    const detail = await admin('get', `/api/queue/${enrollment!.id}`).expect(200);
    expect(detail.body).toMatchObject({
      subjectType: 'cart',
      heldOut: false,
      flowVersion: saved.body.version,
      order: { email: 'ada@example.test' },
    });
    expect(detail.body.log).toEqual([
      expect.objectContaining({ step: 0, channel: 'whatsapp', outcome: 'no_consent', detail: 'no whatsapp opt-in for marketing messages' }),
    ]);
  });

  it('the recovery form edits the unpaid-order flow’s email steps and leaves an SMS-only step alone', async () => {
    const [first] = PRESETS['unpaid-order'].steps;
    const smsOnly = {
      delay: { value: 2, unit: 'days' as const },
      channels: ['sms' as const],
      sms: { body: 'Pay: [payment_link]', offlineBody: 'Transfer [order_total]' },
      conditions: [],
    };
    await saveFlow(pool, shopId, 'unpaid-order', { ...PRESETS['unpaid-order'], steps: [first!, smsOnly] }, false);
    const form = await loadRecoverySettings(pool, shopId);
    expect(form.reminders).toHaveLength(1);
    const later = { ...form.reminders[0]!, delay: { value: 3, unit: 'days' as const }, subject: 'Last call for [order_number]' };
    await saveRecoverySettings(pool, shopId, { ...form, reminders: [form.reminders[0]!, later] });
    const steps = (await loadFlow(pool, shopId, 'unpaid-order'))!.definition.steps;
    expect(steps.map((s) => `${s.channels.join('+')} ${s.delay.value} ${s.delay.unit}`)).toEqual([
      'email 1 hours',
      'sms 2 days',
      'email 3 days',
    ]);
    expect(steps[2]!.email!.subject).toBe('Last call for [order_number]');
  });

  it('keeps the frequency cap as the merchant sets it', async () => {
    expect((await admin('get', '/api/settings/messaging').expect(200)).body).toEqual({ frequencyCap: { messages: 2, hours: 24 } });
    await admin('put', '/api/settings/messaging')
      .send({ frequencyCap: { messages: 0, hours: 24 } })
      .expect(400);
    await admin('put', '/api/settings/messaging').send({ frequencyCap: null }).expect(200);
    expect((await admin('get', '/api/settings/messaging').expect(200)).body).toEqual({ frequencyCap: null });
  });
});
