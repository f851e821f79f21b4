import express from 'express';
import type { AddressInfo } from 'node:net';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { abandonIdleCarts } from '../../sidecar/src/carts/cart-abandonment.ts';
import { captureCart, type CartCapture } from '../../sidecar/src/carts/cart-capture.ts';
import { createChannelRuntime } from '../../sidecar/src/channels/channel-runtime.ts';
import { twilioSignature } from '../../sidecar/src/channels/twilio/signature.ts';
import { loadConfig } from '../../sidecar/src/config.ts';
import { recordConsent } from '../../sidecar/src/consent/consent.ts';
import { upsertOrder } from '../../sidecar/src/events/order-store.ts';
import { createChannelFallback } from '../../sidecar/src/flows/steps/channel-fallback.ts';
import type { FlowDefinition } from '../../sidecar/src/flows/definition/flow-definition.ts';
import { saveFlow } from '../../sidecar/src/flows/definition/flow-store.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';
import { PRESETS } from '../../sidecar/src/flows/definition/presets.ts';
import { createStepQueuer, type StepMessage } from '../../sidecar/src/messages/step-message.ts';
import { runDueSteps } from '../../sidecar/src/flows/steps/step-runner.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { flowIncrementality } from '../../sidecar/src/reports/customer-report.ts';
import { orderPayload } from '../../sidecar/src/woo/order-payload.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { saveDocument } from '../../sidecar/src/woo/shop-profile.ts';
import { messagingSettingsSchema } from '../../sidecar/src/flows/steps/messaging-settings.ts';
import { decodedBodies, startSmtpServer } from '../channels/smtp-server.ts';
import { startFakeTwilio } from '../fakes/fake-twilio.ts';
import { startFakeWhatsApp } from '../fakes/fake-whatsapp.ts';
import { recordedOrders, LOCAL_NET, startFakeShop, wooTime } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';

const orderChanges = orderPipe();

const DAY = 86_400_000;
const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const AUTH_TOKEN = 'twilio-auth-token';

/**
 * Flows end to end on a real MariaDB: the engine's step runner with a controlled clock, the
 * real renderer and outbox, the channel runtime sending over loopback HTTP to fake Twilio and
 * Meta endpoints built from their recorded formats, a real SMTP server, and the stand-in shop
 * answering REST (orders and product stock).
 */
describe('flows end to end: carts, SMS, WhatsApp, consent, caps, quiet hours, hold-out', async () => {
  const { database, url } = await createTestDatabase('flows_e2e');
  const pool = database.pool;
  const smtp = await startSmtpServer();
  const twilio = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const whatsapp = await startFakeWhatsApp({ phoneNumberId: '106540352242922', accessToken: 'wa-access-token-for-tests' });
  const products = new Map<number, Record<string, unknown>>([
    [101, { id: 101, name: 'Blue mug', manage_stock: true, stock_quantity: 3 }],
    [102, { id: 102, name: 'Teapot', manage_stock: true, stock_quantity: 50 }],
  ]);
  const shop = await startFakeShop({ orders: new Map(), products });
  let publicUrl = 'http://127.0.0.1:1';
  const config = loadConfig(
    {
      COMEBACK_DATABASE_URL: url,
      COMEBACK_SMTP_URL: `smtp://u:p@127.0.0.1:${smtp.port}`,
      COMEBACK_MAIL_FROM: 'Fixture Shop <shop@example.test>',
      COMEBACK_TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      COMEBACK_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      COMEBACK_TWILIO_FROM: '+15005550006',
      COMEBACK_TWILIO_BASE_URL: twilio.url,
      COMEBACK_WHATSAPP_TOKEN: 'wa-access-token-for-tests',
      COMEBACK_WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
      COMEBACK_WHATSAPP_APP_SECRET: 'wa-app-secret-for-tests',
      COMEBACK_WHATSAPP_VERIFY_TOKEN: 'wa-verify-token',
      COMEBACK_WHATSAPP_BASE_URL: whatsapp.url,
      COMEBACK_PUBLIC_URL: 'https://reminders.example.test',
    },
    { workerName: 'flows-e2e' },
  );
  let now = new Date();
  const clock = () => now;
  const messageDeps = { pool, publicUrl: () => publicUrl, linkSecret: 'link-secret-for-tests', linkTtlDays: 30, from: config.mail.from };
  const rendered = createStepQueuer(messageDeps);
  /** What the step runner handed the queuer, for what the rendered rows do not show (the message's language). */
  const handed: StepMessage[] = [];
  const queueMessage = (m: StepMessage) => (handed.push(m), rendered(m));
  const channelRuntime = createChannelRuntime({
    pool,
    config,
    logger: createLogger('silent'),
    publicUrl: () => publicUrl,
    onUndeliverable: (row) => fallback(row),
  });
  const channels = () => channelRuntime.configured;
  // Read by onUndeliverable above only once the runtime dispatches, after this line.
  const fallback = createChannelFallback({ pool, clock, channels, queueMessage });
  const wooClient = async () =>
    createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }, { net: LOCAL_NET });
  const run = () => runDueSteps({ pool, clock, workerName: 'flows-e2e', wooClient, queueMessage, channels, orderChanges });
  const dispatch = () => channelRuntime.dispatch(100);
  // The providers' webhooks, served over loopback like the sidecar serves them.
  const app = express();
  for (const router of channelRuntime.routers) app.use(router);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  afterAll(async () => {
    await channelRuntime.close();
    server.close();
    await Promise.all([smtp.close(), twilio.close(), whatsapp.close(), shop.close()]);
  });

  let shopId = 0;
  beforeEach(async () => {
    for (const t of [
      'carts',
      'enrollments',
      'outbox',
      'step_log',
      'consents',
      'flows',
      'flow_versions',
      'settings',
      'orders',
      'attributions',
      'conversations',
      'inbound_messages',
      'message_statuses',
      'shops',
    ]) {
      await pool.query(`DELETE FROM ${t}`);
    }
    const [r] = await pool.query<ResultSetHeader>(
      'INSERT INTO shops (url, name, webhook_secret, consumer_key, consumer_secret, link_base) VALUES (?, ?, ?, ?, ?, ?)',
      [shop.url, 'Fixture Shop', 'shop-secret', shop.consumerKey, shop.consumerSecret, `${shop.url}/`],
    );
    shopId = r.insertId;
    // No cap unless a test sets one (the default is 2 a day; these tests jump days).
    await saveDocument(pool, shopId, 'messaging', messagingSettingsSchema, { frequencyCap: null });
    smtp.received.length = 0;
    twilio.requests.length = 0;
    whatsapp.requests.length = 0;
    now = new Date();
  });

  const capture = (overrides: Partial<CartCapture> = {}): CartCapture => ({
    sessionKey: 'a'.repeat(40),
    email: 'ada@example.test',
    phone: '+48 601 234 567',
    firstName: 'Ada',
    country: 'PL',
    locale: 'en_US', // English texts; the language tests below capture a Polish cart
    consent: { granted: true, text: 'Send me a reminder about my cart by email or text message', channels: ['email', 'sms', 'whatsapp'] },
    items: [{ productId: 101, variationId: 0, quantity: 2, name: 'Blue mug', price: '12.50', total: '25.00', stock: 30 }],
    total: '25.00',
    currency: 'PLN',
    source: 'store-api',
    capturedAt: new Date(now.getTime() - 2 * 3_600_000).toISOString(),
    ...overrides,
  });
  const cartFlow = (changes: Partial<FlowDefinition> = {}): FlowDefinition => ({
    ...structuredClone(PRESETS['abandoned-cart']),
    sendWindow: null,
    ...changes,
  });
  const rows = async (sql: string, params: unknown[] = []) => (await pool.query<RowDataPacket[]>(sql, params))[0];
  const at = (base: Date, days: number) => new Date(base.getTime() + days * DAY + 1_000);
  const anchorOf = async () => (await rows('SELECT anchor_at FROM enrollments'))[0]!.anchor_at as Date;

  it('runs the 4-step abandoned cart (SMS day 1, email day 3, email day 7, SMS day 10) and stops when the customer buys after step 2', async () => {
    await saveFlow(pool, shopId, 'abandoned-cart', cartFlow(), true);
    await captureCart(pool, shopId, capture());
    expect(await abandonIdleCarts(pool, now)).toBe(1);
    const anchor = await anchorOf();

    now = at(anchor, 1);
    expect(await run()).toMatchObject({ queued: 1 });
    await dispatch();
    expect(twilio.requests).toHaveLength(1);
    const sms = twilio.requests[0]!.form;
    expect(sms.get('To')).toBe('+48601234567');
    expect(sms.get('StatusCallback')).toBe(`${publicUrl}/webhooks/twilio/status`);
    // The restore link is on the shop's domain, signed, and carries no cart or order id.
    expect(sms.get('Body')).toMatch(
      new RegExp(
        `^Fixture Shop: your cart is waiting for you\\. Finish your order here: ${shop.url}/\\?comeback=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43} Reply STOP to opt out\\.$`,
      ),
    );

    now = at(anchor, 3);
    expect(await run()).toMatchObject({ queued: 1 });
    await dispatch();
    expect(smtp.received).toHaveLength(1);
    expect((await decodedBodies(smtp.received[0]!)).text).toContain('Blue mug');

    // Bought after step 2, with the same email: an order created and paid.
    const recorded = [...recordedOrders().values()].find((o) => o.payment_method === 'payustandard')!;
    const paidAt = new Date(now.getTime() + 3_600_000);
    const order = {
      ...recorded,
      status: 'processing',
      billing: { ...(recorded.billing as object), email: 'Ada@Example.test' },
      date_created_gmt: wooTime(new Date(paidAt.getTime() - 60_000)),
      date_paid_gmt: wooTime(paidAt),
      date_modified_gmt: wooTime(paidAt),
    };
    await upsertOrder(pool, shopId, orderPayload.parse(order));
    await orderChanges.changed(pool, shopId, Number(recorded.id), paidAt);
    expect((await rows('SELECT status, exit_reason FROM enrollments'))[0]).toMatchObject({ status: 'exited', exit_reason: 'purchased' });
    // The order is credited to the cart's email, the last message before the payment.
    const [credit] = await rows('SELECT a.flow, m.channel, a.step FROM attributions a JOIN outbox m ON m.id = a.outbox_id');
    expect({ ...credit }).toEqual({ flow: 'abandoned-cart', channel: 'email', step: 1 });

    for (const day of [7, 10]) {
      now = at(anchor, day);
      expect(await run()).toMatchObject({ claimed: 0 });
    }
    await dispatch();
    expect(twilio.requests).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
  });

  it('sends the "may sell out" step only when an item really is low in stock now', async () => {
    const lowStockOnly = cartFlow({
      steps: [PRESETS['abandoned-cart'].steps[2]!].map((s) => ({ ...s, delay: { value: 1, unit: 'days' as const } })),
    });
    await saveFlow(pool, shopId, 'abandoned-cart', lowStockOnly, true);
    // Captured stock says plenty of mugs and two teapots; the shop has 3 mugs and 50 teapots now.
    await captureCart(pool, shopId, capture({ sessionKey: 'b'.repeat(40), email: 'mug@example.test' }));
    await captureCart(
      pool,
      shopId,
      capture({
        sessionKey: 'c'.repeat(40),
        email: 'teapot@example.test',
        items: [{ productId: 102, variationId: 0, quantity: 1, name: 'Teapot', price: '40.00', total: '40.00', stock: 2 }],
      }),
    );
    expect(await abandonIdleCarts(pool, now)).toBe(2);
    now = at(await anchorOf(), 1);
    expect(await run()).toMatchObject({ queued: 1, skipped: 1 });
    const [sent] = await rows('SELECT recipient FROM outbox');
    expect(sent!.recipient).toBe('mug@example.test');
    const [why] = await rows("SELECT outcome, detail FROM step_log WHERE outcome = 'condition_not_met'");
    expect(why!.detail).toBe('no item has fewer than 5 in stock');
  });

  it('uses the approved WhatsApp template outside the 24-hour window and free text inside it', async () => {
    const confirmation: FlowDefinition = {
      ...structuredClone(PRESETS['order-confirmation']),
      steps: [{ ...PRESETS['order-confirmation'].steps[0]!, channels: ['whatsapp'] }],
    };
    await saveFlow(pool, shopId, 'order-confirmation', confirmation, true);
    const recorded = [...recordedOrders().values()].find((o) => o.payment_method === 'payustandard')!;
    const phones = ['+48601234567', '+48601234568'];
    for (const [i, phone] of phones.entries()) {
      await recordConsent(pool, { shopId, purpose: 'order', channel: 'whatsapp', address: phone, status: 'granted', source: 'checkout' });
      const order = {
        ...recorded,
        id: 9000 + i,
        number: String(9000 + i),
        status: 'processing',
        billing: { ...(recorded.billing as object), email: `c${i}@example.test`, phone, country: 'PL' },
        date_paid_gmt: wooTime(now),
        date_created_gmt: wooTime(now),
        date_modified_gmt: wooTime(now),
      };
      shop.orders.set(order.id, order);
      await upsertOrder(pool, shopId, orderPayload.parse(order));
      await orderChanges.changed(pool, shopId, order.id, now);
    }
    // The second customer wrote to the shop an hour ago: the window is open.
    const inbound = JSON.parse(JSON.stringify((await import('../fakes/fake-whatsapp.ts')).whatsAppFixture('webhook-inbound-text.json')));
    await pool.query('INSERT INTO conversations (shop_id, channel, address, last_inbound_at) VALUES (?, ?, ?, ?)', [
      shopId,
      'whatsapp',
      phones[1],
      new Date(Date.now() - 3_600_000),
    ]);
    expect(inbound).toBeDefined();
    expect(await run()).toMatchObject({ queued: 2 });
    await dispatch();
    const byTo = new Map(whatsapp.requests.map((r) => [r.body.to, r.body]));
    expect(byTo.get('48601234567')).toMatchObject({
      type: 'template',
      template: { name: 'order_confirmation', language: { code: 'en_US' } },
    });
    const parameters = (
      byTo.get('48601234567')!.template as { components: Array<{ parameters: Array<{ text: string }> }> }
    ).components[0]!.parameters.map((p) => p.text);
    expect(parameters[0]).toBe('9000');
    expect(byTo.get('48601234568')).toMatchObject({ type: 'text' });
    expect(String((byTo.get('48601234568')!.text as { body: string }).body)).toContain('Thank you for your order 9001');
  });

  it('falls back to the next channel when WhatsApp says the customer cannot be reached (131047)', async () => {
    await saveFlow(
      pool,
      shopId,
      'abandoned-cart',
      cartFlow({ steps: [{ ...PRESETS['abandoned-cart'].steps[0]!, channels: ['whatsapp', 'sms'] }] }),
      true,
    );
    // Another number than the other tests': WhatsApp's pair rate (one message per 6 s) is kept per number.
    await captureCart(pool, shopId, capture({ phone: '+48 601 234 599' }));
    await abandonIdleCarts(pool, now);
    now = at(await anchorOf(), 1);
    whatsapp.failNext('131047_sync_variant');
    expect(await run()).toMatchObject({ queued: 1 });
    await dispatch(); // WhatsApp refuses; the SMS is queued
    await dispatch(); // and sent
    expect(whatsapp.requests).toHaveLength(1);
    expect(twilio.requests).toHaveLength(1);
    const log = await rows('SELECT channel, outcome FROM step_log ORDER BY id');
    expect(log.map((l) => `${l.channel}:${l.outcome}`)).toEqual(['whatsapp:queued', 'whatsapp:fallback', 'sms:queued']);
  });

  it('STOP by SMS blocks the next step at once', async () => {
    const twoSms = cartFlow({
      steps: [PRESETS['abandoned-cart'].steps[0]!, PRESETS['abandoned-cart'].steps[3]!].map((s) => ({ ...s, channels: ['sms' as const] })),
    });
    await saveFlow(pool, shopId, 'abandoned-cart', twoSms, true);
    await captureCart(pool, shopId, capture());
    await abandonIdleCarts(pool, now);
    const anchor = await anchorOf();
    now = at(anchor, 1);
    await run();
    await dispatch();
    expect(twilio.requests).toHaveLength(1);
    // The customer answers STOP: Twilio calls our inbound webhook, signed.
    const params = { MessageSid: 'SM' + 'f'.repeat(32), AccountSid: ACCOUNT_SID, From: '+48601234567', To: '+15005550006', Body: 'Stop' };
    const signature = twilioSignature(AUTH_TOKEN, `${publicUrl}/webhooks/twilio/inbound`, params);
    await request(publicUrl)
      .post('/webhooks/twilio/inbound')
      .type('form')
      .set('x-twilio-signature', signature)
      .send(new URLSearchParams(params).toString())
      .expect(200);
    expect((await rows("SELECT status, source FROM consents WHERE channel = 'sms' AND purpose = 'cart'"))[0]).toMatchObject({
      status: 'withdrawn',
      source: 'keyword',
    });
    now = at(anchor, 10);
    expect(await run()).toMatchObject({ queued: 0, exited: 1 });
    await dispatch();
    expect(twilio.requests).toHaveLength(1);
    expect((await rows('SELECT exit_reason FROM enrollments'))[0]!.exit_reason).toBe('unsubscribed');
  });

  it('moves a send outside the window to the window’s opening in the customer’s zone', async () => {
    await saveFlow(
      pool,
      shopId,
      'abandoned-cart',
      cartFlow({
        sendWindow: { start: '09:00', end: '20:00' },
        steps: [{ ...PRESETS['abandoned-cart'].steps[1]!, delay: { value: 0, unit: 'minutes' } }],
      }),
      true,
    );
    await captureCart(pool, shopId, capture({ country: 'GB', phone: null }));
    await abandonIdleCarts(pool, now);
    // 22:30 in London on a winter night after the cart was abandoned (London is then on UTC):
    // outside 09:00–20:00. Taken from the real date, so the step is due whenever this runs.
    const winter = `${new Date().getUTCFullYear() + 1}-01-15`;
    now = new Date(`${winter}T22:30:00Z`);
    expect(await run()).toMatchObject({ deferred: 1, queued: 0 });
    const [e] = await rows('SELECT next_step_at, step FROM enrollments');
    const opening = new Date(`${winter}T09:00:00Z`).getTime() + DAY;
    expect((e!.next_step_at as Date).getTime()).toBe(opening);
    expect((await rows("SELECT detail FROM step_log WHERE outcome = 'quiet_hours'"))[0]!.detail).toContain('Europe/London');
    now = new Date(opening);
    expect(await run()).toMatchObject({ queued: 1 });
  });

  it('writes to a cart’s customer in the language of the shop page they left the cart on, unless their profile names one', async () => {
    const oneEmail = { steps: [{ ...PRESETS['abandoned-cart'].steps[1]!, delay: { value: 0, unit: 'minutes' as const } }] };
    await saveFlow(pool, shopId, 'abandoned-cart', cartFlow(oneEmail), true);
    await captureCart(pool, shopId, capture({ locale: 'pl_PL' }));
    expect(await abandonIdleCarts(pool, now)).toBe(1);
    handed.length = 0;
    expect(await run()).toMatchObject({ queued: 1 });
    expect(handed[0]!.language).toEqual({ locale: 'pl_PL', source: 'cart' });

    await pool.query('DELETE FROM carts');
    await pool.query('DELETE FROM enrollments');
    await pool.query(
      "INSERT INTO customer_profiles (shop_id, customer_key, language, updated_at) VALUES (?, 'ada@example.test', 'de', NOW(3))",
      [shopId],
    );
    await captureCart(pool, shopId, capture({ sessionKey: 'b'.repeat(40), locale: 'pl_PL' }));
    expect(await abandonIdleCarts(pool, now)).toBe(1);
    handed.length = 0;
    expect(await run()).toMatchObject({ queued: 1 });
    expect(handed[0]!.language).toEqual({ locale: 'de_DE', source: 'profile' });
    await pool.query('DELETE FROM customer_profiles');
  });

  it('the frequency cap across flows blocks a second flow’s message', async () => {
    await saveDocument(pool, shopId, 'messaging', messagingSettingsSchema, { frequencyCap: { messages: 1, hours: 24 } });
    const oneEmail = { steps: [{ ...PRESETS['abandoned-cart'].steps[1]!, delay: { value: 0, unit: 'minutes' as const } }] };
    await saveFlow(pool, shopId, 'abandoned-cart', cartFlow(oneEmail), true);
    await saveFlow(pool, shopId, 'cart-second-chance', cartFlow({ ...oneEmail, name: 'Second chance' }), true);
    await captureCart(pool, shopId, capture());
    expect(await abandonIdleCarts(pool, now)).toBe(2);
    expect(await run()).toMatchObject({ queued: 1, skipped: 1 });
    const [capped] = await rows("SELECT outcome, detail FROM step_log WHERE outcome = 'capped'");
    expect(capped!.detail).toBe('1 message(s) in the last 24 h; the cap is 1');
  });

  it('records hold-out entrants, never messages them, and counts them for the uplift report', async () => {
    await saveFlow(
      pool,
      shopId,
      'abandoned-cart',
      cartFlow({ holdOutPercent: 50, steps: [{ ...PRESETS['abandoned-cart'].steps[1]!, delay: { value: 0, unit: 'minutes' } }] }),
      true,
    );
    for (let i = 0; i < 40; i++)
      await captureCart(pool, shopId, capture({ sessionKey: i.toString(16).padStart(40, '0'), email: `c${i}@example.test` }));
    expect(await abandonIdleCarts(pool, now)).toBe(40);
    const heldOut = Number((await rows('SELECT COUNT(*) AS n FROM enrollments WHERE held_out'))[0]!.n);
    expect(heldOut).toBeGreaterThan(0);
    expect(heldOut).toBeLessThan(40);
    expect(await run()).toMatchObject({ queued: 40 - heldOut, skipped: heldOut });
    expect(
      Number((await rows('SELECT COUNT(*) AS n FROM outbox o JOIN enrollments e ON e.id = o.enrollment_id WHERE e.held_out'))[0]!.n),
    ).toBe(0);
    expect(Number((await rows("SELECT COUNT(*) AS n FROM step_log WHERE outcome = 'held_out'"))[0]!.n)).toBe(heldOut);
    const uplift = await flowIncrementality(pool, shopId, new Date(now.getTime() - DAY), new Date(now.getTime() + DAY));
    expect(uplift).toContainEqual(expect.objectContaining({ flow: 'abandoned-cart', entered: 40, heldOut, orders: 0, heldOutOrders: 0 }));
  });

  it('keeps a running enrollment on the version it entered with', async () => {
    const v1 = cartFlow({
      steps: [{ ...PRESETS['abandoned-cart'].steps[0]!, channels: ['sms'], sms: { body: 'Version one [cart_link]' } }],
    });
    await saveFlow(pool, shopId, 'abandoned-cart', v1, true);
    await captureCart(pool, shopId, capture());
    await abandonIdleCarts(pool, now);
    await saveFlow(pool, shopId, 'abandoned-cart', { ...v1, steps: [{ ...v1.steps[0]!, sms: { body: 'Version two [cart_link]' } }] }, true);
    now = at(await anchorOf(), 1);
    await run();
    await dispatch();
    expect(twilio.requests[0]!.form.get('Body')).toMatch(/^Version one /);
    expect((await rows('SELECT flow_version FROM enrollments'))[0]!.flow_version).toBe(1);
  });

  it('sends no marketing SMS without an opt-in, and says why', async () => {
    await saveFlow(
      pool,
      shopId,
      'abandoned-cart',
      cartFlow({ steps: [{ ...PRESETS['abandoned-cart'].steps[0]!, channels: ['sms', 'email'] }] }),
      true,
    );
    await captureCart(pool, shopId, capture({ consent: { granted: true, text: 'Email me about my cart', channels: ['email'] } }));
    await abandonIdleCarts(pool, now);
    now = at(await anchorOf(), 1);
    expect(await run()).toMatchObject({ queued: 1 });
    const log = await rows('SELECT channel, outcome FROM step_log ORDER BY id');
    expect(log.map((l) => `${l.channel}:${l.outcome}`)).toEqual(['sms:no_consent', 'email:queued']);
  });
});
