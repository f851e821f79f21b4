import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { signRequest } from '../../sidecar/src/http/admin-auth.ts';
import type { StoredLoyaltyEvent } from '../../sidecar/src/loyalty/loyalty-events.ts';
import { loyaltyRoutes } from '../../sidecar/src/loyalty/loyalty-routes.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';

const TOKEN = 'admin-token-for-loyalty-tests-0123456789';
const SECRET = 'shared-secret-for-loyalty-tests-0123456789';
const SHOP_URL = 'https://loyal.example.test';
const NOW = new Date('2026-05-01T10:00:00Z');

/** POST /api/events and GET /api/customers/:email/profile over HTTP, on MariaDB. */
describe('loyalty events over the admin API', async () => {
  const { database } = await createTestDatabase('loyalty_api');
  const pool = database.pool;
  const heard: Array<{ shopId: number; event: StoredLoyaltyEvent }> = [];
  const routes = loyaltyRoutes({ pool, clock: () => NOW, onEvent: async (shopId, event) => void heard.push({ shopId, event }) });
  const { app } = testApp(database, { routers: [adminApi({ pool, adminToken: TOKEN, shopRoutes: [routes] })] });
  let shopId = 0;
  beforeAll(async () => {
    const [r] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, name, webhook_secret) VALUES (?, ?, ?)', [
      SHOP_URL,
      'Loyal Shop',
      SECRET,
    ]);
    shopId = r.insertId;
  });
  beforeEach(() => void (heard.length = 0));
  const post = (body: unknown) =>
    request(app)
      .post('/api/events')
      .set('authorization', `Bearer ${TOKEN}`)
      .set('x-comeback-shop-id', String(shopId))
      .send(body as object);
  const profile = (who: string) =>
    request(app)
      .get(`/api/customers/${encodeURIComponent(who)}/profile`)
      .set('authorization', `Bearer ${TOKEN}`)
      .set('x-comeback-shop-id', String(shopId));
  const storedCount = async () => Number((await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM loyalty_events'))[0][0]!.n);

  it('refuses a batch with bad events, naming the index and field of every problem, and stores nothing', async () => {
    const res = await post({
      events: [
        { id: 'ok-1', type: 'points.balance', email: 'ada@example.test', points: 10 },
        { id: 'bad-1', type: 'points.balance', email: 'not-an-email', points: -5, pionts: 3 },
        { id: 'bad-2', type: 'voucher.issued', phone: '123', voucher: { code: 'X', value: 150, kind: 'percent', expiresAt: 'tomorrow' } },
        { id: 'bad-3', type: 'stamps', email: 'ada@example.test' },
        { id: 'bad-4', type: 'nps.request' },
        // Not strings at all: refused by their own checks (the fuzzer found a 500 here).
        { id: 'bad-5', type: 'profile', email: 'ada@example.test', phone: 48500000001, country: 7 },
      ],
    }).expect(400);
    expect(res.body.error.code).toBe('invalid_event');
    const problems = res.body.error.details.map((d: { index: number; field: string }) => `${d.index}:${d.field}`).sort();
    expect(problems).toEqual(
      [
        '1:email',
        '1:pionts',
        '1:points',
        '2:phone',
        '2:voucher.expiresAt',
        '2:voucher.value',
        '3:type',
        '4:email',
        '5:country',
        '5:phone',
      ].sort(),
    );
    expect(await storedCount()).toBe(0);
    expect(heard).toEqual([]);
    const tooMany = await post({
      events: Array.from({ length: 101 }, (_, i) => ({ id: `e${i}`, type: 'nps.request', email: 'a@example.test' })),
    }).expect(400);
    expect(tooMany.body.error.details[0].field).toBe('events');
  });

  it('stores an event once: the same id again is a duplicate, heard once, and the first one wins', async () => {
    const event = { id: 'pts-1', type: 'points.balance', email: 'Bob@Example.test', points: 120.5, currency: 'pln' };
    const first = await post(event).expect(200);
    expect(first.body.results).toEqual([{ id: 'pts-1', status: 'created', eventId: expect.any(Number) }]);
    const again = await post({
      events: [event, { ...event, type: 'cashback.balance', cashback: 1, currency: 'EUR', points: undefined }],
    }).expect(200);
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(again.body.results[1].eventId).toBe(first.body.results[0].eventId);
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({
      shopId,
      event: {
        type: 'points.balance',
        customerKey: 'bob@example.test',
        payload: { points: 120.5, currency: 'PLN', occurredAt: NOW.toISOString() },
      },
    });
    const [rows] = await pool.query<RowDataPacket[]>("SELECT type, customer_key FROM loyalty_events WHERE source_id = 'pts-1'");
    expect(rows).toEqual([{ type: 'points.balance', customer_key: 'bob@example.test' }]);
    expect((await profile('BOB@example.test').expect(200)).body).toMatchObject({
      points: 120.5,
      cashback: null,
      currency: 'PLN',
      cashbackCurrency: null,
    });
  });

  it('writes what each event says into the profile and never clears what it does not mention', async () => {
    const who = { email: 'cleo@example.test' };
    await post({
      events: [
        { id: 'c1', type: 'profile', ...who, firstName: 'Cleo', language: 'de-at', timeZone: 'europe/vienna' },
        { id: 'c2', type: 'birthday', ...who, birthday: '02-29' },
        { id: 'c3', type: 'cashback.balance', ...who, cashback: 12.25, currency: 'EUR' },
        { id: 'c4', type: 'portal.link', ...who, url: 'https://club.example.test/me?t=1' },
        {
          id: 'c5',
          type: 'voucher.issued',
          ...who,
          phone: '+48 500 000 001',
          voucher: { code: 'CLEO10', value: 10, expiresAt: '2026-06-01T00:00:00Z' },
        },
      ],
    }).expect(200);
    expect(heard.map((h) => h.event.type)).toEqual(['profile', 'birthday', 'cashback.balance', 'portal.link', 'voucher.issued']);
    expect(heard[4]!.event.payload).toMatchObject({ voucher: { code: 'CLEO10', kind: 'amount' } });
    await post({ id: 'c6', type: 'points.balance', ...who, points: 300 }).expect(200);
    expect((await profile('cleo@example.test').expect(200)).body).toEqual({
      customerKey: 'cleo@example.test',
      email: 'cleo@example.test',
      phone: '+48500000001',
      firstName: 'Cleo',
      language: 'de-AT',
      timeZone: 'Europe/Vienna',
      birthday: { month: 2, day: 29 },
      points: 300,
      cashback: 12.25,
      currency: null,
      cashbackCurrency: 'EUR',
      portalUrl: 'https://club.example.test/me?t=1',
      updatedAt: NOW.toISOString(),
    });
    await post({ id: 'c7', type: 'birthday', ...who, birthday: '1990-07-04', firstName: 'Cleopatra' }).expect(200);
    expect((await profile('cleo@example.test').expect(200)).body).toMatchObject({
      firstName: 'Cleopatra',
      birthday: { month: 7, day: 4 },
      language: 'de-AT',
      points: 300,
    });
    // A customer known by phone only is keyed by the number in E.164.
    await post({ id: 'p1', type: 'points.balance', phone: '500 000 002', country: 'pl', points: 5 }).expect(200);
    expect((await profile('+48500000002').expect(200)).body).toMatchObject({ customerKey: '+48500000002', email: null, points: 5 });
    expect((await profile('nobody@example.test').expect(404)).body.error.message).toBe(
      'There is no profile for nobody@example.test in this shop.',
    );
    // The merchant's admin in Polish reads the refusal in Polish.
    const pl = await profile('nobody@example.test').set('accept-language', 'pl').expect(404);
    expect(pl.body.error.message).toBe('W tym sklepie nie ma profilu dla nobody@example.test.');
  });

  it('keeps the newer balance when an older one arrives late', async () => {
    const who = { email: 'dan@example.test' };
    await post({ id: 'd-new', type: 'points.balance', ...who, points: 50, occurredAt: '2026-04-30T12:00:00+02:00' }).expect(200);
    await post({ id: 'd-old', type: 'points.balance', ...who, points: 10, occurredAt: '2026-04-29T00:00:00Z', firstName: 'Dan' }).expect(
      200,
    );
    expect((await profile('dan@example.test').expect(200)).body).toMatchObject({ points: 50, firstName: 'Dan' });
    // A clock running ahead counts as now: it does not shadow the balances that follow.
    await post({ id: 'd-future', type: 'points.balance', ...who, points: 60, occurredAt: '2099-01-01T00:00:00Z' }).expect(200);
    expect((await profile('dan@example.test').expect(200)).body.points).toBe(60);
    await post({ id: 'd-newest', type: 'points.balance', ...who, points: 70 }).expect(200);
    expect((await profile('dan@example.test').expect(200)).body.points).toBe(70);
  });

  it('never lets a late event’s name, language or zone replace what a newer one said, nor mix up the cashback’s currency', async () => {
    const who = { email: 'ela@example.test' };
    await post({
      id: 'e-may',
      type: 'profile',
      ...who,
      timeZone: 'America/New_York',
      language: 'en',
      occurredAt: '2026-05-01T00:00:00Z',
    }).expect(200);
    await post({
      id: 'e-apr',
      type: 'profile',
      ...who,
      timeZone: 'Europe/Warsaw',
      language: 'pl',
      firstName: 'Ela',
      occurredAt: '2026-04-01T00:00:00Z',
    }).expect(200);
    // The late April event still gives what nothing newer said (the name), not the zone or language.
    expect((await profile('ela@example.test').expect(200)).body).toMatchObject({
      timeZone: 'America/New_York',
      language: 'en',
      firstName: 'Ela',
    });
    await post({ id: 'e-cash', type: 'cashback.balance', ...who, cashback: 50, currency: 'PLN' }).expect(200);
    await post({ id: 'e-pts', type: 'points.balance', ...who, points: 10, currency: 'EUR' }).expect(200);
    expect((await profile('ela@example.test').expect(200)).body).toMatchObject({
      cashback: 50,
      cashbackCurrency: 'PLN',
      points: 10,
      currency: 'EUR',
    });
  });

  it('tells events apart by their exact id: case and trailing spaces make another event', async () => {
    const ids = ['evt_AbC', 'evt_abc', 'evt_abc '];
    const res = await post({
      events: ids.map((id, i) => ({ id, type: 'points.balance', email: `case${i}@example.test`, points: i })),
    }).expect(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['created', 'created', 'created']);
    expect(
      (await post({ id: 'evt_abc', type: 'points.balance', email: 'case1@example.test', points: 1 }).expect(200)).body.results[0].status,
    ).toBe('duplicate');
  });

  it('takes deliveries at once: the same id five times is one event, a new customer’s first events all land', async () => {
    const who = { email: 'flo@example.test' };
    const repeats = Array.from({ length: 5 }, () => post({ id: 'flo-same', type: 'nps.request', ...who }));
    const firsts = Array.from({ length: 10 }, (_, i) =>
      post({ id: `flo-${i}`, type: i % 2 ? 'points.balance' : 'profile', ...who, points: i % 2 ? i : undefined, firstName: `Flo ${i}` }),
    );
    const answers = await Promise.all([...repeats, ...firsts]);
    expect(answers.map((a) => a.status)).toEqual(Array(15).fill(200));
    expect(
      answers
        .slice(0, 5)
        .map((a) => a.body.results[0].status)
        .sort(),
    ).toEqual(['created', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(new Set(answers.slice(0, 5).map((a) => a.body.results[0].eventId)).size).toBe(1);
    expect(heard).toHaveLength(11);
    expect(
      (await pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM loyalty_events WHERE customer_key = 'flo@example.test'"))[0][0]!.n,
    ).toBe(11);
  });

  it.each([
    ['birthday', { birthday: '02-30' }, 'birthday'],
    ['birthday', { birthday: '2001-02-29' }, 'birthday'],
    ['birthday', { birthday: '13-01' }, 'birthday'],
    ['birthday', { birthday: '1-5' }, 'birthday'],
    ['profile', { language: 'not a language' }, 'language'],
    ['profile', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    ['profile', { timeZone: '+01:00' }, 'timeZone'],
    ['portal.link', { url: 'http://club.example.test/me' }, 'url'],
    ['portal.link', { url: 'javascript:alert(1)' }, 'url'],
    ['cashback.balance', { cashback: 3 }, 'currency'],
    ['voucher.redeemed', { voucher: {} }, 'voucher.code'],
    ['points.balance', { points: 1, occurredAt: '2026-05-01 10:00' }, 'occurredAt'],
  ])('refuses %s with %j (field %s)', async (type, fields, field) => {
    const res = await post({ id: `bad-${field}`, type, email: 'eve@example.test', ...fields }).expect(400);
    expect(res.body.error.details).toEqual([{ index: 0, field, message: expect.any(String) }]);
  });

  it('accepts 2000-02-29 and a birthday without a year on 29 February', async () => {
    await post({
      events: [
        { id: 'leap-1', type: 'birthday', email: 'f@example.test', birthday: '2000-02-29' },
        { id: 'leap-2', type: 'birthday', email: 'g@example.test', birthday: '02-29' },
      ],
    }).expect(200);
  });

  it('takes events signed by the shop’s plugin and refuses a tampered signature', async () => {
    const body = JSON.stringify({ id: 'signed-1', type: 'nps.request', email: 'hal@example.test' });
    const signature = signRequest(SECRET, { direction: 'plugin-to-sidecar', method: 'POST', path: '/api/events', body });
    const signed = (sig: string, payload = body) =>
      request(app)
        .post('/api/events')
        .set('x-comeback-shop', `${SHOP_URL}/`)
        .set('x-comeback-signature', sig)
        .set('content-type', 'application/json')
        .send(payload);
    const tampered = signature.replace(/v1=(.)/, (_, c: string) => `v1=${c === 'a' ? 'b' : 'a'}`);
    await signed(tampered).expect(401);
    await signed(signature, body.replace('hal@', 'ham@')).expect(401);
    expect((await pool.query<RowDataPacket[]>("SELECT id FROM loyalty_events WHERE source_id = 'signed-1'"))[0]).toEqual([]);
    const ok = await signed(signature).expect(200);
    expect(ok.body.results[0]).toMatchObject({ id: 'signed-1', status: 'created' });
    expect(heard).toEqual([expect.objectContaining({ shopId, event: expect.objectContaining({ customerKey: 'hal@example.test' }) })]);
  });

  it('answers 413 to a body over the API’s 1 MB limit and stores nothing', async () => {
    const before = await storedCount();
    const big = { events: [{ id: 'big', type: 'profile', email: 'i@example.test', firstName: 'x'.repeat(1_100_000) }] };
    const res = await post(big).expect(413);
    expect(res.body.error.message).toBe('request body is larger than 1 MB');
    expect(await storedCount()).toBe(before);
  });

  it('takes events signed with the shop’s events key, which opens nothing but POST /api/events, and stops the old key when replaced', async () => {
    const admin = (method: 'get' | 'post', path: string) =>
      request(app)[method](path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));
    const { eventsKey } = (await admin('get', '/api/settings/loyalty').expect(200)).body;
    expect(eventsKey).toMatch(/^cbev_[A-Za-z0-9_-]{32}$/);
    expect((await admin('get', '/api/settings/loyalty').expect(200)).body.eventsKey).toBe(eventsKey); // made once
    const signed = (key: string, method: 'get' | 'post', path: string, body = '') =>
      request(app)
        [method](path)
        .set('x-comeback-shop-id', String(shopId))
        .set('content-type', 'application/json')
        .set('x-comeback-events-signature', signRequest(key, { direction: 'program-to-sidecar', method, path, body }))
        .send(body);
    const body = JSON.stringify({ id: 'key-1', type: 'points.balance', email: 'key@example.test', points: 5 });
    expect((await signed(eventsKey, 'post', '/api/events', body).expect(200)).body.results[0].status).toBe('created');
    // Nothing else: not another route, not the plugin's direction, not with a wrong key.
    await signed(eventsKey, 'get', '/api/nps').expect(401);
    await signed(eventsKey, 'post', '/api/campaigns', '{}').expect(401);
    await signed('cbev_not-the-key-0000000000000000000000', 'post', '/api/events', body).expect(401);
    const asPlugin = signRequest(eventsKey, { direction: 'plugin-to-sidecar', method: 'POST', path: '/api/events', body });
    await request(app)
      .post('/api/events')
      .set('x-comeback-shop-id', String(shopId))
      .set('x-comeback-events-signature', asPlugin)
      .set('content-type', 'application/json')
      .send(body)
      .expect(401);
    const replaced = (await admin('post', '/api/settings/loyalty/events-key').expect(200)).body.eventsKey;
    expect(replaced).not.toBe(eventsKey);
    const next = JSON.stringify({ id: 'key-2', type: 'points.balance', email: 'key@example.test', points: 6 });
    await signed(eventsKey, 'post', '/api/events', next).expect(401);
    await signed(replaced, 'post', '/api/events', next).expect(200);
  });
});
