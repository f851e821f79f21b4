import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RECOVERY } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { signRequest } from '../../sidecar/src/http/admin-auth.ts';
import { EDGE_LIMITS } from '../../sidecar/src/http/rate-limits.ts';
import type { Sidecar } from '../../sidecar/src/sidecar.ts';
import { WEBHOOK_PATH } from '../../sidecar/src/woo/webhook-route.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestSidecar } from '../helpers/sidecar.ts';

const TOKEN = 'admin-token-for-edge-tests-0123456789';
const SHOP_URL = 'https://edge-shop.example.test';
const SECRET = 'edge-shop-shared-secret-0123456789';

/**
 * The HTTP edge of a real sidecar: who sees the dev outbox, the security headers, rate limits,
 * bodies bounded before authentication, signed writes good once, unknown shops refused. Each
 * client is told apart by X-Forwarded-For (express trusts it from loopback, as behind a proxy).
 */
describe('the HTTP edge', async () => {
  const { database, url } = await createTestDatabase('edge');
  const pool = database.pool;
  const [inserted] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, webhook_secret) VALUES (?, ?)', [SHOP_URL, SECRET]);
  const shopId = inserted.insertId;
  const started: Sidecar[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const sidecar = await startTestSidecar(url, { env: { COMEBACK_ADMIN_TOKEN: TOKEN, ...env } });
    started.push(sidecar);
    return sidecar;
  };
  const sidecar = await start();
  afterAll(async () => {
    for (const s of started) await s.stop();
  });
  let client = 0;
  /** A new client address each call (TEST-NET-3), so one test's counts never reach another's. */
  const newClient = () => `203.0.113.${++client}`;
  const signed = (method: 'get' | 'put' | 'post', path: string, body: string, options: { secret?: string; shop?: string } = {}) =>
    request(sidecar.url)
      [method](path)
      .set('x-forwarded-for', newClient())
      .set('x-comeback-shop', options.shop ?? SHOP_URL)
      .set('x-comeback-signature', signRequest(options.secret ?? SECRET, { direction: 'plugin-to-sidecar', method, path, body }))
      .set('content-type', 'application/json')
      .send(body);

  describe('the dev outbox', () => {
    it('needs the admin token unless COMEBACK_DEV_OUTBOX=on', async () => {
      const refused = await request(sidecar.url).get('/dev/outbox').expect(401);
      expect(refused.body.error.message).toMatch(/admin token.*COMEBACK_DEV_OUTBOX=on/);
      await request(sidecar.url).get('/dev/outbox').set('authorization', 'Bearer wrong-token-wrong-token-wrong').expect(401);
      await request(sidecar.url).get('/dev/outbox/1').expect(401);
      const page = await request(sidecar.url).get('/dev/outbox').set('authorization', `Bearer ${TOKEN}`).expect(200);
      expect(page.text).toContain('Dev outbox');
    });

    it('is open with COMEBACK_DEV_OUTBOX=on on loopback, and still needs the token on any other address', async () => {
      const local = await start({ COMEBACK_DEV_OUTBOX: 'on' });
      expect(local.config.http.host).toBe('127.0.0.1');
      await request(local.url).get('/dev/outbox').expect(200);
      const exposed = await start({ COMEBACK_DEV_OUTBOX: 'on', COMEBACK_HTTP_HOST: '0.0.0.0' });
      await request(exposed.url).get('/dev/outbox').expect(401);
      await request(exposed.url).get('/dev/outbox').set('authorization', `Bearer ${TOKEN}`).expect(200);
    });
  });

  describe('security headers', () => {
    it('gives the admin app a content security policy without inline script, never framed', async () => {
      const res = await request(sidecar.url).get('/admin/');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    });

    it('never lets a customer page be framed, sniffed or leak its token as a referrer', async () => {
      for (const path of ['/r/not-a-token', '/u/not-a-token', '/nps/not-a-token']) {
        const res = await request(sidecar.url).get(path).set('x-forwarded-for', newClient());
        expect(res.status, path).toBe(400);
        expect(res.headers['x-frame-options'], path).toBe('DENY');
        expect(res.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
        expect(res.headers['content-security-policy'], path).toContain("default-src 'none'");
        expect(res.headers['x-content-type-options'], path).toBe('nosniff');
        expect(res.headers['referrer-policy'], path).toBe('no-referrer');
      }
    });

    it('sends nosniff on the JSON answers too, the webhook included', async () => {
      expect((await request(sidecar.url).get('/healthz')).headers['x-content-type-options']).toBe('nosniff');
      expect((await request(sidecar.url).get('/api/channels')).headers['x-content-type-options']).toBe('nosniff');
      expect((await request(sidecar.url).post(WEBHOOK_PATH).send('{}')).headers['x-content-type-options']).toBe('nosniff');
    });
  });

  describe('rate limits', () => {
    it('refuses a client address after too many failed sign-ins, with Retry-After, the right token included', async () => {
      const from = newClient();
      const { points } = EDGE_LIMITS.signInFailures;
      for (let i = 0; i < points; i++)
        await request(sidecar.url).get('/api/channels').set('x-forwarded-for', from).set('authorization', 'Bearer wrong').expect(401);
      const refused = await request(sidecar.url)
        .get('/api/channels')
        .set('x-forwarded-for', from)
        .set('authorization', `Bearer ${TOKEN}`)
        .set('x-comeback-shop-id', String(shopId))
        .expect(429);
      expect(refused.body).toEqual({
        error: {
          code: 'too_many_sign_in_failures',
          message: expect.stringMatching(/^too many failed sign-ins from this address: at most 20 in 10 minutes; try again in \d+ s$/),
          details: expect.anything(),
        },
      });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // In the merchant's language, as every other refusal of the admin API.
      const inPolish = await request(sidecar.url)
        .get('/api/channels')
        .set('x-forwarded-for', from)
        .set('accept-language', 'pl-PL,pl;q=0.9')
        .set('authorization', `Bearer ${TOKEN}`)
        .expect(429);
      expect(inPolish.body.error.message).toMatch(
        /^zbyt wiele nieudanych logowań z tego adresu: najwyżej 20 na 10 minut; spróbuj ponownie za \d+ s$/,
      );
      // Another client is not held back, and signing in does not count.
      for (let i = 0; i < points + 1; i++)
        await request(sidecar.url)
          .get('/api/channels')
          .set('x-forwarded-for', '198.51.100.1')
          .set('authorization', `Bearer ${TOKEN}`)
          .set('x-comeback-shop-id', String(shopId))
          .expect(200);
    });

    it('limits the customer link pages per client address', async () => {
      const from = newClient();
      const { points } = EDGE_LIMITS.linkPages;
      for (let i = 0; i < points; i++) await request(sidecar.url).get(`/r/bad-${i}`).set('x-forwarded-for', from).expect(400);
      const refused = await request(sidecar.url).get('/u/bad').set('x-forwarded-for', from).expect(429);
      expect(refused.body.error.code).toBe('too_many_requests');
      expect(refused.body.error.message).toMatch(/^too many link requests from this address: at most 120 in 1 minute; try again in \d+ s$/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // In the customer's browser language, as the pages are.
      const inPolish = await request(sidecar.url).get('/r/bad').set('x-forwarded-for', from).set('accept-language', 'pl').expect(429);
      expect(inPolish.body.error.message).toMatch(
        /^zbyt wiele otwarć linków z tego adresu: najwyżej 120 na 1 minutę; spróbuj ponownie za \d+ s$/,
      );
      await request(sidecar.url).get('/r/bad').set('x-forwarded-for', newClient()).expect(400);
    });

    it('limits cart captures per shopper address (from the body), whatever the session', async () => {
      const capture = (sessionKey: string, email: string) =>
        JSON.stringify({
          sessionKey,
          email,
          consent: { granted: true, text: 'Remind me of my cart', channels: ['email'] },
          items: [{ productId: 1, quantity: 1, name: 'Mug', price: '5.00', total: '5.00' }],
          total: '5.00',
          currency: 'EUR',
          source: 'classic',
        });
      const { points } = EDGE_LIMITS.cartCapturesPerAddress;
      for (let i = 0; i < points; i++)
        await signed('post', '/api/carts', capture(`${i.toString(16).padStart(2, '0')}`.repeat(8), 'victim@example.test')).expect(201);
      const refused = await signed('post', '/api/carts', capture('ff'.repeat(8), 'Victim@Example.test')).expect(429);
      expect(refused.body.error).toMatchObject({ code: 'too_many_captures', message: expect.stringContaining('email or phone') });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      await signed('post', '/api/carts', capture('ee'.repeat(8), 'someone-else@example.test')).expect(201);
    });
  });

  describe('bodies bounded before authentication', () => {
    const big = (bytes: number) => JSON.stringify({ padding: 'x'.repeat(bytes) });

    it('refuses an unauthenticated request by its headers, without reading its body', async () => {
      const res = await request(sidecar.url)
        .put('/api/settings/recovery')
        .set('x-forwarded-for', newClient())
        .set('content-type', 'application/json')
        .send(big(2 * 1024 * 1024))
        .expect(401);
      expect(res.body.error.code).toBe('unauthorized');
      // A signature for a shop that is not here: refused before its body is read, as a bad signature.
      const unknown = await signed('put', '/api/settings/recovery', big(2 * 1024 * 1024), { shop: 'https://nobody.example.test' }).expect(
        401,
      );
      expect(unknown.body.error.message).toBe('signature does not match');
    });

    it('reads at most 256 KB of a signed request, and says so', async () => {
      const res = await signed('put', '/api/settings/recovery', big(300 * 1024)).expect(413);
      expect(res.body.error).toMatchObject({ code: 'payload_too_large', message: 'request body is larger than 256 KB' });
    });

    it('reads up to 1 MB for the admin token', async () => {
      const asAdmin = (body: string) =>
        request(sidecar.url)
          .put('/api/settings/recovery')
          .set('authorization', `Bearer ${TOKEN}`)
          .set('x-comeback-shop-id', String(shopId))
          .set('content-type', 'application/json')
          .send(body);
      expect((await asAdmin(big(300 * 1024))).status).toBe(400);
      const res = await asAdmin(big(1100 * 1024)).expect(413);
      expect(res.body.error.message).toBe('request body is larger than 1 MB');
    });
  });

  describe('signed requests', () => {
    it('refuses a signed write the second time, on any sidecar of the database', async () => {
      const body = JSON.stringify({ ...DEFAULT_RECOVERY, enabled: false });
      const path = '/api/settings/recovery';
      const signature = signRequest(SECRET, { direction: 'plugin-to-sidecar', method: 'PUT', path, body });
      const send = (to: Sidecar) =>
        request(to.url)
          .put(path)
          .set('x-comeback-shop', SHOP_URL)
          .set('x-comeback-signature', signature)
          .set('content-type', 'application/json')
          .send(body);
      await send(sidecar).expect(200);
      const replayed = await send(sidecar).expect(401);
      expect(replayed.body.error).toMatchObject({ code: 'unauthorized', details: { reason: 'replayed' } });
      const other = await start();
      expect((await send(other).expect(401)).body.error.details).toEqual({ reason: 'replayed' });
      // Only a hash is kept, until the window closes.
      const [rows] = await pool.query<RowDataPacket[]>('SELECT signature_hash, expires_at FROM signed_requests');
      expect(rows.map((r) => r.signature_hash)).not.toContain(signature);
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.signature_hash))).toBe(true);
    });

    it('lets the same read be signed twice in one second (reads change nothing)', async () => {
      await signed('get', '/api/settings/recovery', '').expect(200);
      await signed('get', '/api/settings/recovery', '').expect(200);
    });
  });

  describe('the admin token', () => {
    it('refuses a shop id that does not exist, and writes nothing for it', async () => {
      const res = await request(sidecar.url)
        .put('/api/settings/recovery')
        .set('authorization', `Bearer ${TOKEN}`)
        .set('x-comeback-shop-id', '987654')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ ...DEFAULT_RECOVERY, enabled: true }))
        .expect(404);
      expect(res.body.error).toEqual({ code: 'unknown_shop', message: 'there is no shop 987654 here' });
      const [rows] = await pool.query<RowDataPacket[]>('SELECT shop_id FROM settings WHERE shop_id = 987654');
      expect(rows).toEqual([]);
    });
  });
});
