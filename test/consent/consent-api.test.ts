import { randomBytes } from 'node:crypto';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { cartRoutes } from '../../sidecar/src/carts/cart-routes.ts';
import { consentsAmong, hashIp, mayContact, type Channel, type Purpose } from '../../sidecar/src/consent/consent.ts';
import { consentRoutes } from '../../sidecar/src/consent/consent-routes.ts';
import { doubleOptInRoutes } from '../../sidecar/src/consent/double-opt-in.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { signRequest } from '../../sidecar/src/http/admin-auth.ts';
import { newLinkRef, signLinkToken } from '../../sidecar/src/links/link-token.ts';
import { unsubscribeRoutes } from '../../sidecar/src/links/unsubscribe-routes.ts';
import { enqueueMessage } from '../../sidecar/src/messages/outbox.ts';
import { saveFlow } from '../../sidecar/src/flows/definition/flow-store.ts';
import { PRESETS } from '../../sidecar/src/flows/definition/presets.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';

const TOKEN = 'admin-token-for-consent-tests-0123456789';
const SHOP_URL = 'https://shop.example.test';
const SHOP_SECRET = 'plugin-shared-secret-for-consents';
const LINK_SECRET = 'link-secret-for-consent-tests-0123456789';
const MINUTE = 60_000;

/**
 * Consent by purpose and channel over real HTTP: the plugin's signed calls (cart capture,
 * checkout and My Account changes), the admin's, the customer's unsubscribe and double opt-in pages.
 */
describe('consent you can prove, opt-outs that win', async () => {
  const { database } = await createTestDatabase('consent_api');
  const pool = database.pool;
  const deps = { pool, linkSecret: LINK_SECRET, publicUrl: () => 'http://sidecar.example.test', from: 'shop@example.test' };
  const { app } = testApp(database, {
    routers: [
      adminApi({ pool, adminToken: TOKEN, shopRoutes: [consentRoutes(deps), cartRoutes({ pool })] }),
      unsubscribeRoutes({ pool, secret: LINK_SECRET }),
      doubleOptInRoutes(deps),
    ],
  });
  let shopId = 0;
  beforeAll(async () => {
    const [r] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, name, webhook_secret) VALUES (?, ?, ?)', [
      SHOP_URL,
      'Mug Shop',
      SHOP_SECRET,
    ]);
    shopId = r.insertId;
  });
  const admin = (method: 'get' | 'put' | 'post', path: string) =>
    request(app)[method](path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));
  const plugin = (method: 'get' | 'post', path: string, body: unknown = '') => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    return request(app)
      [method](path)
      .set('x-comeback-shop', SHOP_URL)
      .set('x-comeback-signature', signRequest(SHOP_SECRET, { direction: 'plugin-to-sidecar', method, path, body: raw }))
      .set('content-type', 'application/json')
      .send(raw);
  };
  const capture = (email: string, capturedAt?: Date) => ({
    sessionKey: randomBytes(16).toString('hex'),
    email,
    firstName: 'Someone',
    country: 'PL',
    consent: { granted: true, text: 'Remind me about my cart', channels: ['email'] },
    items: [{ productId: 12, variationId: 0, quantity: 1, name: 'Blue mug', price: '12.50', total: '12.50' }],
    total: '12.50',
    currency: 'PLN',
    source: 'classic',
    ...(capturedAt ? { capturedAt: capturedAt.toISOString() } : {}),
  });
  const may = async (purpose: Purpose, channel: Channel, address: string) =>
    mayContact(channel, purpose, (await consentsAmong(pool, shopId, purpose, channel, [address])).get(address));
  /** An email the shop sent (of a flow's enrollment when `flow` is given) and its unsubscribe link. */
  const sentEmail = async (to: string, flow?: keyof typeof PRESETS) => {
    let enrollmentId: number | null = null;
    if (flow) {
      const { version } = await saveFlow(pool, shopId, flow, PRESETS[flow], true);
      const [e] = await pool.query<ResultSetHeader>(
        "INSERT INTO enrollments (shop_id, flow, flow_version, subject_type, subject_id, customer_key, status, step, entered_at) VALUES (?, ?, ?, 'customer', ?, ?, 'active', 0, NOW(3))",
        [shopId, flow, version, to, to],
      );
      enrollmentId = e.insertId;
    }
    const ref = newLinkRef();
    await enqueueMessage(pool, {
      idempotencyKey: `msg:${ref}`,
      shopId,
      enrollmentId,
      to,
      from: 'shop@example.test',
      subject: 's',
      html: 'h',
      text: 't',
      linkRef: ref,
    });
    return `/u/${signLinkToken({ kind: 'unsubscribe', ref, expiresAt: Math.floor(Date.now() / 1000) + 3600 }, LINK_SECRET)}`;
  };
  const state = async (email: string) =>
    Object.fromEntries(
      ((await admin('get', `/api/consents?email=${encodeURIComponent(email)}`).expect(200)).body.current as Array<Record<string, string>>)
        .filter((c) => c.channel === 'email')
        .map((c) => [c.purpose, c.state]),
    );

  it('keeps an unsubscribe when someone captures a cart with that address afterwards (a forged capture)', async () => {
    const victim = 'victim@example.test';
    const link = await sentEmail(victim);
    await request(app).post(link).type('form').send('List-Unsubscribe=One-Click').expect(200);
    await plugin('post', '/api/carts', capture(victim)).expect(201);
    expect(await may('cart', 'email', victim)).toEqual({ ok: false, reason: 'withdrawn' });
    const view = (await admin('get', `/api/consents?email=${victim}`).expect(200)).body;
    const cart = view.current.find((c: { purpose: string; channel: string }) => c.purpose === 'cart' && c.channel === 'email');
    expect(cart).toMatchObject({ state: 'withdrawn', source: 'unsubscribe', canGrant: false });
    expect(cart.why).toMatch(/^withdrawn by the customer on \d{4}-\d{2}-\d{2}; only the customer can opt in again$/);
    // The history keeps the refused capture, newest first, with why.
    expect(view.history[0]).toMatchObject({ purpose: 'cart', source: 'checkout', applied: false, refusal: cart.why });
  });

  it('lets a later unsubscribe win over a capture dated ten minutes ahead (server receipt time orders them)', async () => {
    const ahead = 'ahead@example.test';
    await plugin('post', '/api/carts', capture(ahead, new Date(Date.now() + 10 * MINUTE))).expect(201);
    expect(await may('cart', 'email', ahead)).toEqual({ ok: true });
    const link = await sentEmail(ahead);
    const page = await request(app).post(link).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(page.text).toContain('You are unsubscribed');
    expect(await may('cart', 'email', ahead)).toEqual({ ok: false, reason: 'withdrawn' });
    const [[row]] = await pool.query<RowDataPacket[]>(
      "SELECT claimed_at, changed_at FROM consent_log WHERE address = ? AND source = 'checkout'",
      [ahead],
    );
    // The shop's time is kept as claimed, for display; the receipt time is the sidecar's.
    expect((row!.claimed_at as Date).getTime()).toBeGreaterThan((row!.changed_at as Date).getTime() + 9 * MINUTE);
  });

  it('records a cart capture as consent to cart reminders only, never to marketing', async () => {
    const shopper = 'shopper@example.test';
    await plugin('post', '/api/carts', capture(shopper)).expect(201);
    expect(await may('cart', 'email', shopper)).toEqual({ ok: true });
    expect(await may('marketing', 'email', shopper)).toEqual({ ok: false, reason: 'no_consent' });
    expect(await state(shopper)).toEqual({ order: 'none', cart: 'granted', marketing: 'none' });
    // The shopper's IP, sent by the plugin, is kept only hashed with the shop's secret.
    await plugin('post', '/api/carts', { ...capture('proof@example.test'), ip: '198.51.100.23' }).expect(201);
    const [[proof]] = await pool.query<RowDataPacket[]>("SELECT ip_hash FROM consents WHERE address = 'proof@example.test'");
    expect(proof!.ip_hash).toBe(hashIp(SHOP_SECRET, '198.51.100.23'));
  });

  it('withdraws only the message’s own purpose from its unsubscribe link, and everything from “all messages”', async () => {
    const reader = 'reader@example.test';
    await plugin('post', '/api/carts', capture(reader)).expect(201);
    const link = await sentEmail(reader, 'win-back');
    const page = await request(app).get(link).expect(200);
    expect(page.text).toContain('Unsubscribe from offers and news');
    expect(page.text).toContain('Unsubscribe from all messages');
    const done = await request(app).post(link).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(done.text).toContain('reader@example.test will get no more offers and news by email from Mug Shop.');
    expect(await state(reader)).toEqual({ order: 'none', cart: 'granted', marketing: 'withdrawn' });
    const all = await request(app).post(link).type('form').send('all=1').expect(200);
    expect(all.text).toContain('no more reminders about orders and carts, offers and news');
    expect(await state(reader)).toEqual({ order: 'withdrawn', cart: 'withdrawn', marketing: 'withdrawn' });
  });

  it('holds a marketing email grant from checkout until the customer confirms by the emailed link (a POST)', async () => {
    const fan = 'Fan@Example.test';
    const change = {
      purpose: 'marketing',
      channel: 'email',
      address: fan,
      granted: true,
      source: 'checkout',
      ip: '203.0.113.7',
      text: 'Email me offers',
    };
    const asked = await plugin('post', '/api/consents', { changes: [change] }).expect(200);
    expect(asked.body).toEqual({ results: [{ outcome: 'pending-confirmation' }] });
    expect(await may('marketing', 'email', 'fan@example.test')).toEqual({ ok: false, reason: 'no_consent' });
    // Asked twice the same day: one confirmation email.
    await plugin('post', '/api/consents', { changes: [change] }).expect(200);
    const [mails] = await pool.query<RowDataPacket[]>(
      "SELECT recipient, subject, body_text FROM outbox WHERE idempotency_key LIKE 'consent-confirm:%'",
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ recipient: 'fan@example.test', subject: 'Please confirm: offers and news from Mug Shop' });
    const path = /http:\/\/sidecar\.example\.test(\/c\/[A-Za-z0-9_.-]+)/.exec(String(mails[0]!.body_text))![1]!;
    // A mail scanner's GET confirms nothing.
    const page = await request(app).get(path).expect(200);
    expect(page.text).toContain('<form method="post">');
    expect(await may('marketing', 'email', 'fan@example.test')).toEqual({ ok: false, reason: 'no_consent' });
    const done = await request(app).post(path).type('form').send('confirm=1').expect(200);
    expect(done.text).toContain('fan@example.test will get offers and news by email from Mug Shop.');
    expect(await may('marketing', 'email', 'fan@example.test')).toEqual({ ok: true });
    const [[granted]] = await pool.query<RowDataPacket[]>(
      "SELECT status, source FROM consents WHERE address = 'fan@example.test' AND purpose = 'marketing' AND channel = 'email'",
    );
    expect(granted).toMatchObject({ status: 'granted', source: 'double-opt-in' });
    // The proof of the request: the IP hashed with the shop's secret, never the IP.
    const [[asked1]] = await pool.query<RowDataPacket[]>(
      "SELECT ip_hash FROM consent_log WHERE address = 'fan@example.test' AND status = 'pending' LIMIT 1",
    );
    expect(asked1!.ip_hash).toMatch(/^[0-9a-f]{64}$/);
    const [[leak]] = await pool.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM consent_log WHERE ip_hash LIKE '%203.0.113.7%' OR text LIKE '%203.0.113.7%'",
    );
    expect(Number(leak!.n)).toBe(0);
  });

  it('needs a reason for an admin edit, and never lets it lift the customer’s own withdrawal', async () => {
    const gone = 'gone@example.test';
    const link = await sentEmail(gone);
    await request(app).post(link).type('form').send('all=1').expect(200);
    const noReason = await admin('post', '/api/consents')
      .send({ changes: [{ purpose: 'cart', channel: 'email', address: gone, granted: true, source: 'admin' }] })
      .expect(400);
    expect(JSON.stringify(noReason.body)).toContain('changes.0.reason');
    const refused = await admin('post', '/api/consents')
      .send({
        changes: [{ purpose: 'cart', channel: 'email', address: gone, granted: true, source: 'admin', reason: 'she asked by phone' }],
      })
      .expect(200);
    expect(refused.body.results[0]).toMatchObject({
      outcome: 'refused',
      reason: expect.stringMatching(/^withdrawn by the customer on .*only the customer can opt in again$/),
    });
    expect(await may('cart', 'email', gone)).toEqual({ ok: false, reason: 'withdrawn' });
    // The signed-in customer's My Account lifts it (a cart grant needs no confirmation email).
    const mine = await plugin('post', '/api/consents', {
      changes: [{ purpose: 'cart', channel: 'email', address: gone, granted: true, source: 'my-account', userId: 42 }],
    }).expect(200);
    expect(mine.body.results).toEqual([{ outcome: 'recorded' }]);
    // A phone typed without its country code is kept in E.164 with the customer's country.
    const sms = await plugin('post', '/api/consents', {
      changes: [
        { purpose: 'cart', channel: 'sms', address: '601 234 999', country: 'PL', granted: true, source: 'checkout', text: 'Text me' },
      ],
    }).expect(200);
    expect(sms.body.results).toEqual([{ outcome: 'recorded' }]);
    expect(await may('cart', 'sms', '+48601234999')).toEqual({ ok: true });
    expect(await may('cart', 'email', gone)).toEqual({ ok: true });
    // An admin withdrawal applies, with its reason.
    await admin('post', '/api/consents')
      .send({
        changes: [{ purpose: 'cart', channel: 'email', address: gone, granted: false, source: 'admin', reason: 'asked to stop by phone' }],
      })
      .expect(200);
    expect(await may('cart', 'email', gone)).toEqual({ ok: false, reason: 'withdrawn' });
  });

  it('counts an import in a dry run without writing, then records it with its batch; an import never lifts a withdrawal', async () => {
    const gone = 'gone@example.test'; // withdrawn above
    const csv = [
      'email,phone,channel,purpose,date,source',
      'ola@example.test,,email,marketing,2024-03-05,newsletter form',
      'shopper@example.test,,email,cart,2024-03-05,old checkout', // granted already (a capture above)
      `${gone},,email,cart,2024-03-05,old checkout`,
      ',+48 601 234 567,sms,marketing,2024-03-05T10:00:00Z,paper form',
      'not-an-email,,email,marketing,2024-03-05,x',
      'ola@example.test,,fax,marketing,2024-03-05,x',
      'ola@example.test,,email,marketing,2999-01-01,x',
    ].join('\n');
    const dry = await admin('post', '/api/consents/import').send({ csv, dryRun: true }).expect(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      batch: null,
      counts: { rows: 7, grant: 2, alreadyGranted: 1, refusedWithdrawn: 1, invalid: 3 },
      invalid: [
        { line: 6, reason: 'no valid email address' },
        { line: 7, reason: 'channel must be one of email, sms, whatsapp' },
        { line: 8, reason: 'the date is in the future' },
      ],
    });
    expect(await may('marketing', 'email', 'ola@example.test')).toEqual({ ok: false, reason: 'no_consent' });
    const [[logged]] = await pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM consent_log WHERE source = 'import'");
    expect(Number(logged!.n)).toBe(0);

    const real = await admin('post', '/api/consents/import').send({ csv, dryRun: false }).expect(200);
    expect(real.body.counts).toEqual(dry.body.counts);
    expect(real.body.batch).toMatch(/^[0-9a-f-]{36}$/);
    expect(await may('marketing', 'email', 'ola@example.test')).toEqual({ ok: true });
    expect(await may('marketing', 'sms', '+48601234567')).toEqual({ ok: true });
    expect(await may('cart', 'email', gone)).toEqual({ ok: false, reason: 'withdrawn' });
    const [[row]] = await pool.query<RowDataPacket[]>(
      "SELECT import_batch, claimed_at, reason FROM consents WHERE address = 'ola@example.test' AND purpose = 'marketing'",
    );
    expect(row).toMatchObject({ import_batch: real.body.batch, reason: 'imported; agreed: newsletter form' });
    expect((row!.claimed_at as Date).toISOString()).toBe('2024-03-05T00:00:00.000Z');
  });
});
