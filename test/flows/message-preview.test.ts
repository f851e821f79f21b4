import { createServer } from 'node:http';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { campaignRoutes } from '../../sidecar/src/campaigns/campaign-routes.ts';
import { upsertOrder } from '../../sidecar/src/events/order-store.ts';
import { TEST_SENDS_PER_WINDOW, previewRoutes } from '../../sidecar/src/flows/admin/preview-routes.ts';
import { CUSTOMER_PRESETS } from '../../sidecar/src/flows/definition/customer-presets.ts';
import { addTestRecipient, verifyTestRecipient } from '../../sidecar/src/flows/admin/test-recipient-store.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { linkRoutes } from '../../sidecar/src/links/link-routes.ts';
import { unsubscribeRoutes } from '../../sidecar/src/links/unsubscribe-routes.ts';
import { insertLoyaltyEventOnce } from '../../sidecar/src/loyalty/loyalty-store.ts';
import { npsRoutes } from '../../sidecar/src/loyalty/nps-page.ts';
import { countSms } from '../../sidecar/src/messages/sms-segments.ts';
import { rebuildCustomerStats } from '../../sidecar/src/segments/customer-stats.ts';
import { orderPayload } from '../../sidecar/src/woo/order-payload.ts';
import { gatewaysFromRest } from '../../sidecar/src/woo/payment-gateways.ts';
import { savePaymentGateways } from '../../sidecar/src/woo/shop-profile.ts';
import { recordedOrders, wooTime } from '../fakes/fake-woo-shop.ts';
import { testApp } from '../helpers/app.ts';
import { pluginRequest } from '../helpers/sidecar.ts';
import { customerFlowShop, LINK_SECRET } from './customer-flow-setup.ts';

const TOKEN = 'admin-token-for-preview-tests-0123456789';
const NOW = new Date();
const DAY = 86_400_000;

/**
 * The preview and test send of any step, over the admin API: rendered through the step queuer's
 * own path for a real order, cart or customer of the shop (or a labelled sample), SMS counted after
 * filling, WhatsApp's template with its parameters filled, and links that explain themselves.
 */
describe('previews and test sends of every step, channel and subject', async () => {
  const { database, pool, shop, shopId, paid, rows } = await customerFlowShop('previews', NOW);
  // The merchant's own address, confirmed under Test recipients (test/flows/test-recipients.test.ts): the admin token sends tests nowhere else.
  await verifyTestRecipient(pool, shopId, (await addTestRecipient(pool, shopId, 'email', 'me@example.test')).id, NOW);
  let publicUrl = '';
  const messageDeps = { pool, publicUrl: () => publicUrl, linkSecret: LINK_SECRET, linkTtlDays: 30, from: 'shop@example.test' };
  const { app } = testApp(database, {
    routers: [
      adminApi({
        pool,
        adminToken: TOKEN,
        shopRoutes: [
          previewRoutes({ ...messageDeps, channels: () => ({ email: true, sms: true, whatsapp: false }) }),
          campaignRoutes({ pool }),
        ],
      }),
      linkRoutes({ pool, secret: LINK_SECRET }),
      unsubscribeRoutes({ pool, secret: LINK_SECRET }),
      npsRoutes({ pool, secret: LINK_SECRET }),
    ],
  });
  const server = createServer(app).listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  publicUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const admin = (method: 'get' | 'post', path: string) =>
    request(app)[method](path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));
  /** As the plugin asks, for the manager's own mobile (WordPress checks it is theirs). */
  const plugin = pluginRequest(publicUrl, { url: shop.url, secret: 'secret' });
  /** Opens a link the way a browser does: the page it answers. */
  const open = async (url: string, method: 'get' | 'post' = 'get') => {
    const res = await fetch(url, { method, redirect: 'manual' });
    return { status: res.status, text: await res.text() };
  };
  const linkIn = (text: string, path: string) => new RegExp(`http://127\\.0\\.0\\.1:\\d+/${path}/[A-Za-z0-9_.-]+`).exec(text)?.[0];

  for (const d of [75, 45]) await paid('ola@example.test', new Date(NOW.getTime() - d * DAY), { phone: '+48500000001' });
  await rebuildCustomerStats(pool, shopId, { now: NOW, defaultIntervalDays: 60 });

  it('fills the win-back SMS for a sample customer, counted after filling, in GSM-7 segments of 153', async () => {
    const preset = CUSTOMER_PRESETS['win-back'].steps[0]!.sms!.body;
    expect(preset.length).toBe(200); // what the editor counts today: the text before its shortcodes are filled
    const res = await admin('post', '/api/previews').send({ flow: 'win-back', step: 0, channel: 'sms', subject: 'sample' }).expect(200);
    expect(res.body).toMatchObject({ channel: 'sms', sample: true, subject: null });
    const text: string = res.body.message.text;
    expect(text).not.toContain('[');
    // The sample coupon is as long as a real one and shows the step's offer; none is created in WooCommerce.
    expect(text).toMatch(/Code CB-PREVIEW00000 gives you 10% off, valid until /);
    expect(text.startsWith(`${new URL((await rows('SELECT url FROM shops WHERE id = ?', [shopId]))[0]!.url).host}: it has been`)).toBe(
      true,
    );
    expect(res.body.count).toEqual({ encoding: 'GSM-7', characters: text.length, segments: countSms(text).segments, perSegment: 153 });
    expect(res.body.count.characters).not.toBe(200);
    expect((await rows('SELECT COUNT(*) AS n FROM coupons'))[0]!.n).toBe(0);
  });

  it('renders a step for a real customer of the shop, picked from the subject list', async () => {
    const subjects = await admin('get', '/api/previews/subjects?flow=win-back').expect(200);
    expect(subjects.body.kind).toBe('customer');
    expect(subjects.body.options).toContainEqual({ kind: 'customer', id: 'ola@example.test', label: expect.stringContaining('ola') });
    const res = await admin('post', '/api/previews')
      .send({ flow: 'win-back', step: 0, channel: 'email', subject: { kind: 'customer', id: 'ola@example.test' } })
      .expect(200);
    expect(res.body).toMatchObject({ sample: false, subject: { kind: 'customer', id: 'ola@example.test' } });
    expect(res.body.message.text).toContain('Hello ola,');
    // Ola buys every 30 days: the rhythm coupon runs 29 days, in the shop's zone.
    expect(res.body.message.subject).toMatch(/^We miss you at /);
    await admin('post', '/api/previews')
      .send({ flow: 'win-back', subject: { kind: 'order', id: '1' } })
      .expect(400);
    await admin('post', '/api/previews')
      .send({ flow: 'win-back', subject: { kind: 'customer', id: 'nobody@example.test' } })
      .expect(404);
  });

  it("fills a loyalty notice's WhatsApp template parameters from the customer's own voucher", async () => {
    await insertLoyaltyEventOnce(pool, {
      shopId,
      sourceId: 'v-1',
      type: 'voucher.issued',
      customerKey: 'ola@example.test',
      payload: { voucher: { code: 'GIFT-2030', value: 25, currency: 'PLN', kind: 'amount', expiresAt: '2099-01-31T12:00:00Z' } },
      occurredAt: NOW,
    });
    const res = await admin('post', '/api/previews')
      .send({ flow: 'voucher-issued', channel: 'whatsapp', subject: { kind: 'customer', id: 'ola@example.test' } })
      .expect(200);
    expect(res.body.message.template).toMatchObject({ name: 'voucher_issued', language: 'en_US' });
    expect(res.body.count).toBeNull(); // one WhatsApp message however long: no SMS parts
    const [name, value, code, expiry] = res.body.message.template.parameters as string[];
    expect(name).toBe('ola');
    expect(value).toMatch(/25/);
    expect(code).toBe('GIFT-2030');
    expect(expiry).toMatch(/2099/);
    expect(res.body.message.text).toContain('GIFT-2030');
    // A customer without a voucher gets the labelled sample's.
    const sample = await admin('post', '/api/previews').send({ flow: 'voucher-issued', channel: 'sms', subject: 'sample' }).expect(200);
    expect(sample.body.message.text).toContain('VOUCHER-SAMPLE');
  });

  it("previews a loyalty notice's email, and its survey link explains itself", async () => {
    const res = await admin('post', '/api/previews').send({ flow: 'nps-survey', channel: 'email', subject: 'sample' }).expect(200);
    expect(res.body.message.text).toContain('Anna');
    const survey = linkIn(res.body.message.text, 'nps');
    expect(survey).toBeDefined();
    const page = await open(survey!);
    expect(page).toMatchObject({ status: 200 });
    expect(page.text).toContain('This is a preview');
    expect(page.text).toContain('survey');
  });

  it("previews a campaign's email, saved or being edited, for a customer of its audience", async () => {
    const step = {
      delay: { value: 0, unit: 'minutes' },
      channels: ['email', 'sms'],
      email: { subject: 'Summer sale at [shop_name]', body: 'Hello [customer_first_name],\n\n20% off all week.\n\n[unsubscribe_link]' },
      sms: { body: '[shop_name]: 20% off all week, [customer_first_name]! 😀' },
    };
    const draft = await admin('post', '/api/previews')
      .send({ draft: { trigger: { event: 'campaign' }, step }, channel: 'email', subject: { kind: 'customer', id: 'ola@example.test' } })
      .expect(200);
    expect(draft.body.message.subject).toMatch(/^Summer sale at /);
    expect(draft.body.message.html).toContain('Hello ola,');
    const sms = await admin('post', '/api/previews')
      .send({ draft: { trigger: { event: 'campaign' }, step }, channel: 'sms' })
      .expect(200);
    expect(sms.body.count).toMatchObject({ encoding: 'UCS-2', segments: 1, perSegment: 70 });

    const created = await admin('post', '/api/campaigns').send({ name: 'Summer', tags: [], step }).expect(201);
    // The campaign screen previews the campaign's message as it holds it: saved, or being edited.
    const saved = await admin('post', '/api/previews')
      .send({ draft: { trigger: { event: 'campaign' }, step: created.body.step }, channel: 'email' })
      .expect(200);
    expect(saved.body.message.subject).toMatch(/^Summer sale at /);
    // A text with a mistake answers where it is.
    const bad = await admin('post', '/api/previews')
      .send({ draft: { trigger: { event: 'campaign' }, step: { email: { subject: 'Hi', body: 'Hello [custmer_first_name]' } } } })
      .expect(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_template', details: [{ field: 'email.body', code: 'unknown_shortcode' }] });
    await admin('post', '/api/previews')
      .send({ draft: { trigger: { event: 'campaign' }, step }, channel: 'whatsapp' })
      .expect(400);
  });

  it("opens an existing unpaid order's preview links on pages that say what they do, and unsubscribes nobody", async () => {
    const template = [...recordedOrders().values()].find((o) => o.payment_method === 'payustandard')!;
    const order = { ...template, id: 7001, status: 'pending', date_created_gmt: wooTime(NOW), date_modified_gmt: wooTime(NOW) };
    await upsertOrder(pool, shopId, orderPayload.parse(order));
    const res = await admin('post', '/api/previews')
      .send({ flow: 'unpaid-order', channel: 'email', subject: { kind: 'order', id: '7001' } })
      .expect(200);
    expect(res.body).toMatchObject({ sample: false, gateway: 'online', subject: { kind: 'order', id: '7001' } });
    // Named none: the newest order still awaiting payment, not a newer paid one.
    const paidSince = {
      ...order,
      id: 7002,
      status: 'completed',
      date_paid_gmt: wooTime(NOW),
      date_created_gmt: wooTime(new Date(NOW.getTime() + 1000)),
    };
    await upsertOrder(pool, shopId, orderPayload.parse(paidSince));
    const newest = await admin('post', '/api/previews').send({ flow: 'unpaid-order', channel: 'email' }).expect(200);
    expect(newest.body.subject).toMatchObject({ kind: 'order', id: '7001' });
    const pay = await open(linkIn(res.body.message.text, 'r')!);
    expect(pay.status).toBe(200);
    expect(pay.text).toContain('This is a preview');
    expect(pay.text).toContain('payment page');
    expect(pay.text).not.toContain('We could not find this order');
    const unsubscribe = linkIn(res.body.message.text, 'u')!;
    const page = await open(unsubscribe);
    expect(page.text).toContain('This is a preview');
    expect(page.text).not.toContain('This link is not valid');
    expect((await open(unsubscribe, 'post')).text).toContain('Nothing was changed');
    expect(await rows("SELECT * FROM consents WHERE status = 'withdrawn'")).toEqual([]);
  });

  it("shows an abandoned cart's SMS for a sample cart, its restore link explaining itself", async () => {
    const res = await admin('post', '/api/previews').send({ flow: 'abandoned-cart', channel: 'sms' }).expect(200);
    // No cart captured yet: the labelled sample.
    expect(res.body).toMatchObject({ sample: true, subject: null });
    // 78 characters as typed, but the signed restore link makes it two SMS: counted as sent.
    expect(res.body.count).toEqual({ ...countSms(res.body.message.text), encoding: 'GSM-7', segments: 2 });
    const restore = await open(linkIn(res.body.message.text, 'r')!);
    expect(restore.status).toBe(200);
    expect(restore.text).toContain('This is a preview');
    expect(restore.text).toContain('cart filled as they left it');
    const subjects = await admin('get', '/api/previews/subjects?flow=abandoned-cart').expect(200);
    expect(subjects.body).toEqual({ kind: 'cart', options: [] });
  });

  it("sends one SMS step as a test, marked [Test], to the manager's own number; its links say they are from a test", async () => {
    const sent = await plugin('post', '/api/previews/test', { flow: 'win-back', channel: 'sms', to: '+48 500 000 002' }).expect(202);
    expect(sent.body.to).toBe('+48500000002');
    const [row] = await rows('SELECT channel, recipient, body_text, enrollment_id, link_ref FROM outbox WHERE id = ?', [
      sent.body.outboxId,
    ]);
    expect(row).toMatchObject({ channel: 'sms', recipient: '+48500000002', enrollment_id: null });
    expect(row!.body_text).toMatch(/^\[Test\] .+: it has been a while/);
    const email = await admin('post', '/api/previews/test')
      .send({ flow: 'unpaid-order', channel: 'email', to: 'me@example.test' })
      .expect(202);
    const [mail] = await rows('SELECT subject, body_text FROM outbox WHERE id = ?', [email.body.outboxId]);
    expect(mail!.subject).toMatch(/^\[Test\] /);
    const link = await open(linkIn(mail!.body_text, 'r')!);
    expect(link.text).toContain('This link is from a test message');
    await plugin('post', '/api/previews/test', { flow: 'win-back', channel: 'sms', to: 'call me' }).expect(400);
    // No WhatsApp provider: the test would wait in the outbox for ever, so it is refused, saying why.
    const whatsapp = await admin('post', '/api/previews/test')
      .send({ flow: 'voucher-issued', channel: 'whatsapp', to: '+48500000002' })
      .expect(409);
    expect(whatsapp.body.error).toMatchObject({
      code: 'channel_not_configured',
      message: expect.stringContaining('WhatsApp is not set up'),
    });
    await admin('post', '/api/previews/test').send({ flow: 'win-back', channel: 'email', to: '+48500000002' }).expect(400);
  });

  it('names a payment method by its checkout title, a disabled or unknown one too, in the preview, its order and the test send', async () => {
    // WooCommerce's answer: cheque switched off since (renamed by the merchant before), a plugin's gateway without a title.
    await savePaymentGateways(
      pool,
      shopId,
      gatewaysFromRest([
        { id: 'bacs', title: 'Direct bank transfer', enabled: true, settings: {} },
        { id: 'cheque', title: 'Check by mail', enabled: false, settings: {} },
        { id: 'manual_invoice', title: '', method_title: '', enabled: false, settings: [] },
      ]),
    );
    const reminder = {
      subject: 'Order [order_number]',
      onlineBody: '[payment_link]',
      offlineBody: 'Paid by [payment_method].',
      offlineBodies: { cheque: 'Paid by [payment_method].', manual_invoice: 'Paid by [payment_method].' },
    };
    // No order paid either way yet: a sample order, paid the way previewed and titled so.
    for (const [gatewayId, title] of [
      ['cheque', 'Check by mail'],
      ['manual_invoice', 'Manual invoice'],
    ] as const) {
      const res = await admin('post', '/api/recovery/preview').send({ gateway: 'offline', gatewayId, reminder }).expect(200);
      expect(res.body.sample).toBe(true);
      expect(res.body.text).toContain(`Paid by ${title}.`);
      expect(res.body.text).not.toMatch(/Credit card|\bcheque\b|manual_invoice/);
    }
    // A real order by the disabled gateway whose stored payload has no title: the gateway's.
    const template = [...recordedOrders().values()].find((o) => o.payment_method === 'payustandard')!;
    const order = {
      ...template,
      id: 7003,
      status: 'on-hold',
      payment_method: 'cheque',
      payment_method_title: '',
      date_created_gmt: wooTime(NOW),
      date_modified_gmt: wooTime(NOW),
    };
    await upsertOrder(pool, shopId, orderPayload.parse(order));
    const real = await admin('post', '/api/recovery/preview').send({ gateway: 'offline', gatewayId: 'cheque', reminder }).expect(200);
    expect(real.body.order).toMatchObject({ id: 7003, paymentTitle: 'Check by mail' });
    expect(real.body.text).toContain('Paid by Check by mail.');
    const test = await admin('post', '/api/recovery/test')
      .send({ gateway: 'offline', gatewayId: 'cheque', reminder, to: 'me@example.test' })
      .expect(202);
    expect(test.body.order).toMatchObject({ id: 7003, paymentTitle: 'Check by mail' });
    const subjects = await admin('get', '/api/previews/subjects?kind=order').expect(200);
    const label = (subjects.body.options as Array<{ id: string; label: string }>).find((o) => o.id === '7003')!.label;
    expect(label).not.toMatch(/\bcheque\b/);
    expect(label).toContain('Check payments');
  });

  describe("in the customer's language", () => {
    const step = {
      email: { subject: 'Summer sale at [shop_name]', body: 'Hello [customer_first_name], 20% off all week.' },
      sms: { body: '[shop_name]: hello [customer_first_name], 20% off all week. Reply STOP to opt out.' },
      translations: {
        pl_PL: {
          email: { subject: 'Letnia wyprzedaż w [shop_name]', body: 'Dzień dobry [customer_first_name], cały tydzień 20% taniej.' },
          sms: {
            body: 'Cześć [customer_first_name]! Letnia wyprzedaż: przez cały tydzień 20% taniej na wszystko. Zajrzyj do nas, zanim znikną.',
          },
        },
      },
    };
    const draft = { trigger: { event: 'campaign' }, step };

    it('previews a Polish SMS in its translation, counted in UCS-2 segments of 67', async () => {
      const res = await admin('post', '/api/previews').send({ draft, channel: 'sms', subject: 'sample', language: 'pl_PL' }).expect(200);
      const text: string = res.body.message.text;
      expect(text).toMatch(/^Cześć Anna! Letnia wyprzedaż/);
      expect(text.length).toBeGreaterThan(70);
      expect(res.body.count).toEqual({ encoding: 'UCS-2', characters: text.length, segments: Math.ceil(text.length / 67), perSegment: 67 });
      expect(res.body.language).toEqual({ requested: 'pl_PL', used: 'pl_PL', fellBack: false });
    });

    it('previews the default text for a language the step has none in, and says it fell back', async () => {
      const res = await admin('post', '/api/previews').send({ draft, channel: 'email', subject: 'sample', language: 'de_DE' }).expect(200);
      expect(res.body.message.subject).toMatch(/^Summer sale at /);
      expect(res.body.language).toEqual({ requested: 'de_DE', used: null, fellBack: true });
      const plain = await admin('post', '/api/previews').send({ draft, channel: 'email', subject: 'sample' }).expect(200);
      expect(plain.body.language).toEqual({ requested: null, used: null, fellBack: false });
    });

    it("refuses a translation's broken shortcode at the translation's field", async () => {
      const broken = { ...step, translations: { pl_PL: { email: { subject: 'Wyprzedaż [shop_nam]', body: 'Cześć' } } } };
      const res = await admin('post', '/api/previews')
        .send({ draft: { ...draft, step: broken }, channel: 'email', subject: 'sample', language: 'pl_PL' })
        .expect(400);
      expect(res.body.error.details[0]).toMatchObject({ field: 'translations.pl_PL.email.subject', line: 1, column: 11 });
    });

    it("sends a test in the language asked, recorded as the test's choice with the translation used", async () => {
      const sent = await admin('post', '/api/previews/test')
        .send({ draft, channel: 'email', subject: 'sample', language: 'pl_PL', to: 'me@example.test' })
        .expect(202);
      expect(sent.body.language).toEqual({ requested: 'pl_PL', used: 'pl_PL', fellBack: false });
      const [row] = await rows('SELECT subject, body_html, language, language_source, text_language FROM outbox WHERE id = ?', [
        sent.body.outboxId,
      ]);
      expect(row).toMatchObject({ language: 'pl_PL', language_source: 'test', text_language: 'pl_PL' });
      expect(row!.subject).toMatch(/^\[Test\] Letnia wyprzedaż w /);
      expect(row!.body_html).toContain('lang="pl-PL"');
    });

    it("previews a recovery reminder's translation, and its problems at the form's fields", async () => {
      const reminder = {
        subject: 'Your order [order_number]',
        onlineBody: 'Pay here: [payment_link]',
        offlineBody: 'Please pay by [payment_method].',
        translations: {
          pl_PL: {
            subject: 'Twoje zamówienie [order_number]',
            onlineBody: 'Zapłać tutaj: [payment_link]',
            offlineBody: 'Zapłać: [payment_method].',
          },
        },
      };
      const res = await admin('post', '/api/recovery/preview').send({ gateway: 'online', reminder, language: 'pl_PL' }).expect(200);
      expect(res.body.subject).toMatch(/^Twoje zamówienie /);
      expect(res.body.language).toEqual({ requested: 'pl_PL', used: 'pl_PL', fellBack: false });
      const broken = { ...reminder, translations: { pl_PL: { ...reminder.translations.pl_PL, offlineBody: 'Zapłać: [payment_link]' } } };
      const refused = await admin('post', '/api/recovery/preview')
        .send({ gateway: 'offline', reminder: broken, language: 'pl_PL' })
        .expect(400);
      expect(refused.body.error.details[0]).toMatchObject({ field: 'translations.pl_PL.offlineBody', shortcode: 'payment_link' });
    });
  });

  it('limits test sends per shop and hour', async () => {
    const sent = Number((await rows("SELECT COUNT(*) AS n FROM outbox WHERE idempotency_key LIKE 'test:%'"))[0]!.n);
    for (let i = sent; i < TEST_SENDS_PER_WINDOW; i++)
      await admin('post', '/api/previews/test').send({ flow: 'win-back', channel: 'email', to: 'me@example.test' }).expect(202);
    const refused = await admin('post', '/api/previews/test')
      .send({ flow: 'win-back', channel: 'email', to: 'me@example.test' })
      .expect(429);
    expect(refused.body.error.code).toBe('too_many_tests');
    // When a slot frees: the oldest test of the hour turns an hour old.
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3_000);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3_600);
    server.close();
  });
});
