import type { ResultSetHeader } from 'mysql2/promise';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../sidecar/src/http/admin-auth.ts';
import { eventsKey } from '../../sidecar/src/loyalty/events-key.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { signWebhook } from '../../sidecar/src/woo/webhook-signature.ts';
import { startSmtpServer } from '../channels/smtp-server.ts';
import { recordedOrders, startFakeShop } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { enableQuickRecovery, startTestSidecar } from '../helpers/sidecar.ts';

/**
 * Generated inputs against a running sidecar over loopback, on every door a stranger, a shop or a
 * loyalty program can knock on: the WooCommerce webhook, the admin API (as the admin and as the
 * plugin), cart capture, loyalty events and the customers' link pages. Whatever comes in, the
 * answer is never a 5xx and never a crash, and every refusal is a 4xx that says why. Each run
 * draws new inputs (fast-check prints the seed of a failing run, and the smallest input it found).
 */

const TOKEN = 'fuzz-admin-token-0123456789abcdef';
const SECRET = 'fuzz-shared-secret';

type Answer = { status: number; body: string; contentType: string };

describe('fuzzing every door of the sidecar', async () => {
  const { database, url } = await createTestDatabase('fuzz');
  const pool = database.pool;
  const smtp = await startSmtpServer();
  const recorded = [...recordedOrders().values()];
  const shop = await startFakeShop({ orders: new Map(recorded.slice(0, 3).map((o) => [o.id as number, o])) });
  const [inserted] = await pool.query<ResultSetHeader>(
    'INSERT INTO shops (url, name, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?, ?)',
    [shop.url, 'Fuzz Shop', SECRET, shop.consumerKey, shop.consumerSecret],
  );
  const shopId = inserted.insertId;
  await enableQuickRecovery(pool, shopId);
  const EVENTS_KEY = await eventsKey(pool, shopId);
  // What the sidecar logged as an error: shown with a failing input, so its cause is one read away.
  const logged: string[] = [];
  const logger = createLogger('error', { write: (line: string) => void logged.push(line) });
  const sidecar = await startTestSidecar(url, { smtpPort: smtp.port, logger, env: { COMEBACK_ADMIN_TOKEN: TOKEN } });
  afterAll(async () => {
    await sidecar.stop();
    await smtp.close();
    await shop.close();
  });

  let sent = 0;
  /** Answers by door and status: proof the inputs got past the doors into the handlers, not only refused at them. */
  const tally = new Map<string, number>();
  const count = (door: string, status: number) => tally.set(`${door} ${status}`, (tally.get(`${door} ${status}`) ?? 0) + 1);
  async function send(method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<Answer> {
    sent += 1;
    // Many strangers, not one: each request from its own address (the sidecar trusts X-Forwarded-For
    // from loopback, as from a TLS proxy on its machine), so the per-address limits count each alone
    // and the inputs reach the handlers; the per-shop limits still answer their 429s.
    headers = { 'x-forwarded-for': `10.${(sent >> 16) & 255}.${(sent >> 8) & 255}.${sent & 255}`, ...headers };
    const res = await fetch(`${sidecar.url}${path}`, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : body,
      redirect: 'manual',
    });
    return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') ?? '' };
  }

  /** Never a 5xx; a refusal says why: the one JSON error shape with a message, or a page with words on it. */
  function answeredWell(door: string, what: string, answer: Answer): boolean {
    count(door, answer.status);
    if (answer.status >= 500)
      throw new Error(`${what} answered ${answer.status}: ${answer.body.slice(0, 300)}\nthe sidecar logged:\n${logged.slice(-3).join('')}`);
    if (answer.status < 400) return true;
    if (answer.contentType.includes('json')) {
      const parsed = JSON.parse(answer.body) as { error?: { message?: unknown } };
      if (typeof parsed.error?.message !== 'string' || parsed.error.message.trim() === '')
        throw new Error(`${what} refused with ${answer.status} and no reason: ${answer.body.slice(0, 300)}`);
      return true;
    }
    if (answer.body.trim() === '') throw new Error(`${what} refused with ${answer.status} and an empty body`);
    return true;
  }

  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(
      '',
      ' ',
      '0',
      '-1',
      '1e309',
      'NaN',
      'null',
      '[]',
      '{}',
      '<script>alert(1)</script>',
      "' OR 1=1 --",
      '../../etc/passwd',
      'a@b',
      '%00',
    ),
  );
  const anyJson = fc.jsonValue({ maxDepth: 3 });
  /** A body as a client may send it: JSON of any shape, broken JSON, or bytes. */
  const rawBody = fc.oneof(
    { weight: 5, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.object({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: text.map((t) => `{"${t}`) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')) },
  );
  const pathParam = fc.oneof(fc.nat().map(String), fc.integer().map(String), text).map((p) => encodeURIComponent(p) || '0');
  const query = fc
    .dictionary(fc.constantFrom('page', 'limit', 'status', 'from', 'to', 'q', 'flow', 'segment', 'order', 'cursor', 'channel'), text, {
      maxKeys: 3,
    })
    .map((q) => (Object.keys(q).length ? `?${new URLSearchParams(q).toString()}` : ''));

  // Every API route a merchant or the plugin uses, by method (the ones that reach out to a
  // merchant-given URL or end the shop's connection are left out: their own tests cover them).
  const API_ROUTES: Array<[string, string]> = [
    ['GET', '/alerts'],
    ['GET', '/campaigns'],
    ['GET', '/campaigns/:id'],
    ['GET', '/campaigns/audience'],
    ['GET', '/carts/:ref'],
    ['GET', '/channels'],
    ['GET', '/customers'],
    ['GET', '/customers/:email/profile'],
    ['GET', '/customers/import'],
    ['GET', '/flows'],
    ['GET', '/flows/:key'],
    ['GET', '/nps'],
    ['GET', '/outbox'],
    ['GET', '/outbox/:id'],
    ['GET', '/previews/subjects'],
    ['GET', '/queue'],
    ['GET', '/queue/:id'],
    ['GET', '/reports/customers'],
    ['GET', '/reports/recovery'],
    ['GET', '/segments'],
    ['GET', '/settings/alerts'],
    ['GET', '/settings/company'],
    ['GET', '/settings/loyalty'],
    ['GET', '/settings/messaging'],
    ['GET', '/settings/recovery'],
    ['GET', '/settings/segments'],
    ['GET', '/setup/first-run'],
    ['GET', '/shop/connection'],
    ['GET', '/shop/sender'],
    ['GET', '/shops'],
    ['GET', '/test-recipients'],
    ['PATCH', '/flows/:key'],
    ['POST', '/alerts/:id/dismiss'],
    ['POST', '/campaigns'],
    ['POST', '/campaigns/:id/cancel'],
    ['POST', '/campaigns/:id/schedule'],
    ['POST', '/carts'],
    ['POST', '/clicks'],
    ['POST', '/customers/import'],
    ['POST', '/email/bounces'],
    ['POST', '/flows'],
    ['POST', '/flows/:key/delete'],
    ['POST', '/flows/events'],
    ['POST', '/previews'],
    ['POST', '/previews/test'],
    ['POST', '/queue/:id/cancel'],
    ['POST', '/queue/:id/cancel-order'],
    ['POST', '/queue/:id/retry'],
    ['POST', '/queue/:id/send-now'],
    ['POST', '/recovery/preview'],
    ['POST', '/recovery/test'],
    ['POST', '/segments/recompute'],
    ['POST', '/setup/first-run/:item'],
    ['POST', '/test-recipients'],
    ['POST', '/test-recipients/:id/remove'],
    ['POST', '/test-recipients/:id/verify'],
    ['PUT', '/campaigns/:id'],
    ['PUT', '/customers/:email/tags'],
    ['PUT', '/flows/:key'],
    ['PUT', '/settings/alerts'],
    ['PUT', '/settings/company'],
    ['PUT', '/settings/messaging'],
    ['PUT', '/settings/recovery'],
    ['PUT', '/settings/segments'],
  ];
  const apiCall = fc.record({
    route: fc.constantFrom(...API_ROUTES),
    params: fc.array(pathParam, { minLength: 2, maxLength: 2 }),
    query,
    body: rawBody,
    json: fc.boolean(),
  });
  const apiPath = (route: string, params: string[], q: string) => `/api${route.replace(/:\w+/g, () => params.shift() ?? '1')}${q}`;

  it('the admin API, as the admin with the token: 4,000 calls', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(apiCall, async ({ route: [method, route], params, query: q, body, json }) => {
        const path = apiPath(route, [...params], q);
        const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, 'x-comeback-shop-id': String(shopId) };
        if (json) headers['content-type'] = 'application/json';
        return answeredWell('admin', `${method} ${path}`, await send(method, path, headers, body));
      }),
      { numRuns: 4_000 },
    );
  });

  it('the admin API as the plugin signs it, cart capture first: 1,500 calls', { timeout: 600_000 }, async () => {
    const signedCall = fc.oneof(
      { weight: 2, arbitrary: apiCall.map((c) => ({ ...c, route: ['POST', '/carts'] as [string, string] })) },
      { weight: 1, arbitrary: apiCall },
    );
    await fc.assert(
      fc.asyncProperty(signedCall, fc.boolean(), async ({ route: [method, route], params, query: q, body }, goodSignature) => {
        const path = apiPath(route, [...params], q);
        const signature = signRequest(goodSignature ? SECRET : 'not-the-secret', {
          direction: 'plugin-to-sidecar',
          method,
          path,
          body: method === 'GET' ? '' : body,
        });
        const headers = { 'x-comeback-shop': shop.url, 'x-comeback-signature': signature, 'content-type': 'application/json' };
        return answeredWell('plugin', `signed ${method} ${path}`, await send(method, path, headers, body));
      }),
      { numRuns: 1_500 },
    );
  });

  it('loyalty events as a program signs them: 1,000 calls', { timeout: 600_000 }, async () => {
    // Near the real thing (most fields well formed, one or two bent), so many get past validation into the store.
    const good = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: anyJson });
    const iso = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    const extras = {
      points: good(fc.nat()),
      cashback: good(fc.double({ min: 0, max: 1e6, noNaN: true })),
      currency: good(fc.constantFrom('PLN', 'usd', 'EUR')),
      voucher: good(
        fc.record({
          code: fc.string({ minLength: 1, maxLength: 10 }),
          value: fc.integer({ min: 1, max: 200 }),
          kind: fc.constantFrom('amount', 'percent'),
          expiresAt: iso,
        }),
      ),
      birthday: good(fc.constantFrom('02-29', '1990-13-01', '12-24', '1985-06-15')),
      url: good(fc.webUrl()),
      phone: good(fc.constantFrom('+48600100200', '600100200', '+1 (202) 555-0143', 'call me')),
      country: good(fc.constantFrom('PL', 'us', 'XX')),
      language: good(fc.constantFrom('pl-PL', 'en', 'not a tag')),
      timeZone: good(fc.constantFrom('Europe/Warsaw', 'UTC', 'Mars/Olympus')),
      firstName: good(text),
      occurredAt: good(iso),
    };
    const event = fc
      .tuple(
        fc.record({
          id: good(fc.stringMatching(/^[a-z0-9-]{1,20}$/)),
          type: good(
            fc.constantFrom(
              'points.balance',
              'cashback.balance',
              'voucher.issued',
              'voucher.redeemed',
              'birthday',
              'nps.request',
              'portal.link',
              'profile',
            ),
          ),
          email: good(fc.emailAddress()),
        }),
        fc.record(extras, { requiredKeys: [] }),
        fc.integer({ min: 0, max: 3 }),
      )
      // Only a few extras at a time: most types refuse fields that are not theirs.
      .map(([base, more, keep]) => ({ ...base, ...Object.fromEntries(Object.entries(more).slice(0, keep)) }));
    const body = fc.oneof(
      event.map((e) => JSON.stringify(e)),
      fc.array(event, { maxLength: 5 }).map((events) => JSON.stringify({ events })),
      rawBody,
    );
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (raw, goodSignature) => {
        const signature = signRequest(goodSignature ? EVENTS_KEY : 'wrong-key', {
          direction: 'program-to-sidecar',
          method: 'POST',
          path: '/api/events',
          body: raw,
        });
        const headers = {
          'x-comeback-events-signature': signature,
          'x-comeback-shop-id': String(shopId),
          'content-type': 'application/json',
        };
        return answeredWell('events', 'POST /api/events', await send('POST', '/api/events', headers, raw));
      }),
      { numRuns: 1_000 },
    );
  });

  it('the WooCommerce webhook, signed and not, with orders bent out of shape: 2,500 deliveries', { timeout: 600_000 }, async () => {
    const order = recorded[0]!;
    const keys = Object.keys(order);
    const bentOrder = fc
      .array(fc.tuple(fc.constantFrom(...keys), anyJson), { maxLength: 4 })
      .map((changes) => JSON.stringify({ ...order, ...Object.fromEntries(changes) }));
    const delivery = fc.record({
      body: fc.oneof({ weight: 3, arbitrary: bentOrder }, { weight: 2, arbitrary: rawBody }),
      topic: fc.oneof(fc.constantFrom('order.created', 'order.updated', 'order.deleted', 'order.restored', 'customer.created'), text),
      signed: fc.boolean(),
      source: fc.oneof(fc.constant(`${shop.url}/`), text),
    });
    await fc.assert(
      fc.asyncProperty(delivery, async ({ body, topic, signed, source }) => {
        const bytes = Buffer.from(body);
        const headers = {
          'content-type': 'application/json',
          'x-wc-webhook-topic': topic.replace(/[^\x20-\x7e]/g, ''),
          'x-wc-webhook-source': source.replace(/[^\x20-\x7e]/g, ''),
          'x-wc-webhook-signature': signed ? signWebhook(bytes, SECRET) : signWebhook(bytes, 'wrong'),
        };
        return answeredWell('webhook', `webhook ${topic}`, await send('POST', '/webhooks/woocommerce', headers, bytes));
      }),
      { numRuns: 2_500 },
    );
  });

  it("the customers' link pages: 1,500 visits", { timeout: 600_000 }, async () => {
    const visit = fc.record({
      method: fc.constantFrom('GET', 'POST'),
      page: fc.constantFrom('/r/', '/u/', '/nps/'),
      token: fc.oneof(pathParam, fc.base64String({ maxLength: 120 }).map(encodeURIComponent)),
      query,
      form: fc.dictionary(fc.constantFrom('score', 'comment', 'all', 'purpose', 'List-Unsubscribe'), text, { maxKeys: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(visit, async ({ method, page, token, query: q, form }) => {
        const path = `${page}${token}${q}`;
        const headers = { 'content-type': 'application/x-www-form-urlencoded' };
        return answeredWell('links', `${method} ${path}`, await send(method, path, headers, new URLSearchParams(form).toString()));
      }),
      { numRuns: 1_500 },
    );
  });

  it('is still healthy after every one of them, having answered over 10,000', async () => {
    expect(sent).toBeGreaterThanOrEqual(10_000);
    console.log(
      [...tally]
        .sort()
        .map(([k, n]) => `${k}: ${n}`)
        .join('\n'),
    );
    const health = await fetch(`${sidecar.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
