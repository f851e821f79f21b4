import type { ResultSetHeader } from 'mysql2/promise';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RECOVERY } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { recoveryRoutes } from '../../sidecar/src/flows/admin/recovery-routes.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { reportRoutes } from '../../sidecar/src/reports/report-routes.ts';
import { signRequest } from '../../sidecar/src/http/admin-auth.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';

const TOKEN = 'admin-token-for-tests-0123456789';
const SHOP_URL = 'https://shop.example.test';
const SECRET = 'plugin-shared-secret';

describe('admin API', async () => {
  const { database } = await createTestDatabase('admin_api');
  const pool = database.pool;
  const { app } = testApp(database, {
    routers: [adminApi({ pool, adminToken: TOKEN, shopRoutes: [recoveryRoutes({ pool }), reportRoutes({ pool: pool })] })],
  });
  let shopId = 0;
  beforeAll(async () => {
    const [r] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, webhook_secret) VALUES (?, ?)', [SHOP_URL, SECRET]);
    shopId = r.insertId;
  });
  const asAdmin = (req: request.Test) => req.set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));
  const signed = (method: 'get' | 'put', path: string, body = '', t?: number) =>
    request(app)
      [method](path)
      .set('x-comeback-shop', SHOP_URL)
      .set('x-comeback-signature', signRequest(SECRET, { direction: 'plugin-to-sidecar', method, path, body }, t))
      .set('content-type', 'application/json')
      .send(body);

  it('refuses requests that are neither signed nor carry the admin token', async () => {
    await request(app).get('/api/settings/recovery').expect(401);
    await request(app)
      .get('/api/settings/recovery')
      .set('authorization', 'Bearer wrong-token-wrong-token-wrong')
      .set('x-comeback-shop-id', '1')
      .expect(401);
  });

  it('accepts the plugin signature within five minutes, and not a forged or stale one', async () => {
    await signed('get', '/api/settings/recovery').expect(200);
    await signed('get', '/api/settings/recovery', '', Math.floor(Date.now() / 1000) - 301).expect(401);
    await request(app)
      .get('/api/settings/recovery')
      .set('x-comeback-shop', SHOP_URL)
      .set(
        'x-comeback-signature',
        signRequest('other-secret', { direction: 'plugin-to-sidecar', method: 'GET', path: '/api/settings/recovery', body: '' }),
      )
      .expect(401);
    // A signature is good only for its own direction, method and path.
    await request(app)
      .get('/api/settings/recovery')
      .set('x-comeback-shop', SHOP_URL)
      .set(
        'x-comeback-signature',
        signRequest(SECRET, { direction: 'sidecar-to-plugin', method: 'GET', path: '/api/settings/recovery', body: '' }),
      )
      .expect(401);
    await request(app)
      .get('/api/outbox')
      .set('x-comeback-shop', SHOP_URL)
      .set(
        'x-comeback-signature',
        signRequest(SECRET, { direction: 'plugin-to-sidecar', method: 'GET', path: '/api/settings/recovery', body: '' }),
      )
      .expect(401);
  });

  it('saves valid recovery settings (signed body) and returns them', async () => {
    const settings = { ...DEFAULT_RECOVERY, enabled: true };
    const body = JSON.stringify(settings);
    const res = await signed('put', '/api/settings/recovery', body).expect(200);
    expect(res.body.enabled).toBe(true);
    // With what the texts depend on: the shop's gateways (none read yet), whether it has bank accounts, each reminder's coupon.
    expect((await asAdmin(request(app).get('/api/settings/recovery')).expect(200)).body).toEqual({
      ...settings,
      paymentGateways: [],
      textFacts: { bankAccounts: false },
      reminderCoupons: settings.reminders.map(() => ({ coupon: null })),
    });
    // A body changed after signing is refused.
    await request(app)
      .put('/api/settings/recovery')
      .set('x-comeback-shop', SHOP_URL)
      .set(
        'x-comeback-signature',
        signRequest(SECRET, { direction: 'plugin-to-sidecar', method: 'PUT', path: '/api/settings/recovery', body }),
      )
      .set('content-type', 'application/json')
      .send(body.replace('true', 'false'))
      .expect(401);
  });

  it('saves the grace after the last reminder (hours, 1 to 720) and refuses one out of range', async () => {
    const saved = await asAdmin(request(app).put('/api/settings/recovery'))
      .send({ ...DEFAULT_RECOVERY, linkGraceHours: 6 })
      .expect(200);
    expect(saved.body.linkGraceHours).toBe(6);
    for (const linkGraceHours of [0, 721, 2.5, '48']) {
      const res = await asAdmin(request(app).put('/api/settings/recovery'))
        .send({ ...DEFAULT_RECOVERY, linkGraceHours })
        .expect(400);
      expect(res.body.error.code).toBe('invalid_settings');
    }
    expect((await asAdmin(request(app).get('/api/settings/recovery')).expect(200)).body.linkGraceHours).toBe(6);
    await asAdmin(request(app).put('/api/settings/recovery')).send(DEFAULT_RECOVERY).expect(200);
  });

  it('keeps the reminders in the merchant’s order: one out of order, or a delay below 1, is refused at its field, never re-sorted', async () => {
    const first = DEFAULT_RECOVERY.reminders[0]!;
    const before = (await asAdmin(request(app).get('/api/settings/recovery')).expect(200)).body;
    const dayThenHour = [
      { ...first, delay: { value: 1, unit: 'days' } },
      { ...first, delay: { value: 1, unit: 'hours' }, subject: 'Second' },
    ];
    const res = await asAdmin(request(app).put('/api/settings/recovery'))
      .send({ ...DEFAULT_RECOVERY, reminders: dayThenHour })
      .expect(400);
    expect(res.body.error.details).toEqual([{ field: 'reminders.1.delay', message: 'a reminder cannot come before the one above it' }]);
    for (const value of [0, -5, null]) {
      const refused = await asAdmin(request(app).put('/api/settings/recovery'))
        .send({ ...DEFAULT_RECOVERY, reminders: [{ ...first, delay: { value, unit: 'hours' } }] })
        .expect(400);
      expect(refused.body.error.details.map((d: { field: string }) => d.field)).toContain('reminders.0.delay.value');
    }
    expect((await asAdmin(request(app).get('/api/settings/recovery')).expect(200)).body).toEqual(before);
  });

  it('refuses a template with an unknown shortcode at save, with field, line, column and the valid names', async () => {
    const reminder = { ...DEFAULT_RECOVERY.reminders[0]!, onlineBody: 'Hello,\n  pay here: [paymnt_link]' };
    const res = await asAdmin(request(app).put('/api/settings/recovery'))
      .send({ ...DEFAULT_RECOVERY, reminders: [reminder] })
      .expect(400);
    expect(res.body.error.code).toBe('invalid_template');
    expect(res.body.error.details[0]).toMatchObject({
      field: 'reminders.0.onlineBody',
      line: 2,
      column: 13,
      code: 'unknown_shortcode',
      shortcode: 'paymnt_link',
    });
    expect(res.body.error.details[0].message).toContain('[payment_link]');
  });

  it('refuses a payment link in the bank-transfer body with an explanation, and keeps the stored settings', async () => {
    const before = (await asAdmin(request(app).get('/api/settings/recovery')).expect(200)).body;
    const reminder = { ...DEFAULT_RECOVERY.reminders[0]!, offlineBody: 'Please pay: [payment_link]' };
    const res = await asAdmin(request(app).put('/api/settings/recovery'))
      .send({ ...DEFAULT_RECOVERY, reminders: [reminder] })
      .expect(400);
    expect(res.body.error.details[0]).toMatchObject({ field: 'reminders.0.offlineBody', code: 'wrong_context' });
    expect(res.body.error.details[0].message).toMatch(/bank_details/);
    expect((await asAdmin(request(app).get('/api/settings/recovery')).expect(200)).body).toEqual(before);
  });

  it('checks every per-method offline text: no payment link in the cheque text, no bank details in a shop without bank accounts', async () => {
    const before = (await asAdmin(request(app).get('/api/settings/recovery')).expect(200)).body;
    const reminder = {
      ...DEFAULT_RECOVERY.reminders[0]!,
      offlineBodies: { bacs: 'Pay to:\n[bank_details]', cheque: 'Your cheque for [order_number]:\n  [payment_link] [bank_details]' },
    };
    const res = await asAdmin(request(app).put('/api/settings/recovery'))
      .send({ ...DEFAULT_RECOVERY, reminders: [reminder] })
      .expect(400);
    // The bank-transfer text may show the accounts; the cheque text may not, in a shop that has none.
    expect(
      res.body.error.details.map((e: { field: string; line: number; column: number; shortcode: string }) => [
        e.field,
        e.shortcode,
        e.line,
        e.column,
      ]),
    ).toEqual([
      ['reminders.0.offlineBodies.cheque', 'payment_link', 2, 3],
      ['reminders.0.offlineBodies.cheque', 'bank_details', 2, 18],
    ]);
    expect(res.body.error.details[1].message).toMatch(/your shop has none, so it would print nothing/);
    expect((await asAdmin(request(app).get('/api/settings/recovery')).expect(200)).body).toEqual(before);
  });

  it('answers malformed JSON and invalid settings with 400 and the reason', async () => {
    expect(
      (await asAdmin(request(app).put('/api/settings/recovery')).set('content-type', 'application/json').send('{"enabled":').expect(400))
        .body.error.code,
    ).toBe('malformed_json');
    const res = await asAdmin(request(app).put('/api/settings/recovery')).send({ enabled: 'yes', reminders: [] }).expect(400);
    expect(res.body.error.code).toBe('invalid_settings');
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['enabled', 'reminders']));
  });

  it('reports recovery over a range, and refuses a bad range', async () => {
    const res = await asAdmin(request(app).get('/api/reports/recovery')).expect(200);
    expect(res.body).toMatchObject({ remindersSent: 0, clicks: 0, ordersRecovered: 0, revenue: [] });
    await asAdmin(request(app).get('/api/reports/recovery?from=yesterday')).expect(400);
  });
});
