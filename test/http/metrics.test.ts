import type { Request } from 'express';
import mysql from 'mysql2/promise';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExposition, total } from '../../sidecar/bench/scrape-metrics.ts';
import { openDatabase } from '../../sidecar/src/db/database.ts';
import { createMetrics, poolWaits } from '../../sidecar/src/metrics/metrics.ts';
import { mayScrape } from '../../sidecar/src/metrics/metrics-routes.ts';
import { startSmtpServer } from '../channels/smtp-server.ts';
import { recordedOrders, startFakeShop, wooTime } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';
import { deliverWebhook, enableQuickRecovery, startTestSidecar } from '../helpers/sidecar.ts';

const SECRET = 'metrics-webhook-secret';
const ADMIN_TOKEN = 'metrics-admin-token-0123456789abcdef';

describe('/metrics', async () => {
  const { database, url } = await createTestDatabase('metrics');
  const pool = database.pool;
  const smtp = await startSmtpServer();
  // No order yet: the start-up reconciliation must find nothing, so that every count below is the one delivery's.
  const shop = await startFakeShop({ orders: new Map() });
  const [inserted] = await pool.query<mysql.ResultSetHeader>(
    'INSERT INTO shops (url, name, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?, ?)',
    [shop.url, 'Fixture Shop', SECRET, shop.consumerKey, shop.consumerSecret],
  );
  const shopId = inserted.insertId;
  await enableQuickRecovery(pool, shopId);
  const sidecar = await startTestSidecar(url, { smtpPort: smtp.port, env: { COMEBACK_ADMIN_TOKEN: ADMIN_TOKEN } });
  afterAll(async () => {
    await sidecar.stop();
    await smtp.close();
    await shop.close();
  });

  const scrape = async () => {
    const res = await request(sidecar.url).get('/metrics').timeout(3_000).expect(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(res.text);
  };
  const at = (samples: Map<string, number>, series: string) => samples.get(series) ?? 0;

  it('answers Prometheus text whose counters moved by exactly one webhook, one step and one email', { timeout: 90_000 }, async () => {
    const before = await scrape();
    // prom-client's process metrics: the CPU-per-reminder bench reads the first.
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds'])
      expect(before.has(name), name).toBe(true);

    // A PayU order placed two minutes ago: its first reminder (1 minute after) is due at once.
    const recorded = [...recordedOrders().values()].find((o) => o.payment_method === 'payustandard')!;
    const placed = new Date(Date.now() - 2 * 60_000);
    const pending = {
      ...recorded,
      status: 'pending',
      date_paid_gmt: null,
      date_created_gmt: wooTime(placed),
      date_modified_gmt: wooTime(placed),
    };
    shop.orders.set(recorded.id as number, pending);
    await deliverWebhook(sidecar.url, { shopUrl: shop.url, secret: SECRET, topic: 'order.created', body: pending });
    await waitFor(
      async () => smtp.received.length,
      (n) => n >= 1,
      45_000,
      'the reminder to arrive by SMTP',
    );
    const after = await waitFor(
      scrape,
      (m) => at(m, 'comeback_steps_sent_total{channel="email"}') > at(before, 'comeback_steps_sent_total{channel="email"}'),
      10_000,
      'the send to be counted',
    );
    const moved = (series: string) => at(after, series) - at(before, series);

    expect(moved('comeback_webhooks_received_total{outcome="stored"}')).toBe(1);
    expect(moved('comeback_steps_claimed_total')).toBe(1);
    expect(moved('comeback_steps_worked_total{outcome="queued"}')).toBe(1);
    expect(moved('comeback_steps_sent_total{channel="email"}')).toBe(1);
    expect(total(after, 'comeback_steps_sent_total') - total(before, 'comeback_steps_sent_total')).toBe(1);
    expect(moved('comeback_steps_failed_total{channel="email",reason="permanent"}')).toBe(0);
    // One delivery stored → processed; one step, due when its order entered the flow (its reminder's
    // time had passed) and claimed within the poll; one send; a claim per poll at least.
    expect(moved('comeback_webhook_lag_seconds_count')).toBe(1);
    expect(moved('comeback_step_lateness_seconds_count')).toBe(1);
    expect(at(after, 'comeback_step_lateness_seconds_sum') - at(before, 'comeback_step_lateness_seconds_sum')).toBeLessThan(30);
    expect(moved('comeback_send_seconds_count{channel="email"}')).toBe(1);
    expect(moved('comeback_step_claim_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(at(after, 'comeback_db_pool_wait_seconds_count')).toBeGreaterThan(0);
    expect(after.get('comeback_db_pool_waiting')).toBe(0);
    // Nothing left to send: the backlog gauge, by status.
    expect(after.get('comeback_outbox_backlog{status="pending"}')).toBe(0);
    expect(after.get('comeback_outbox_backlog{status="sending"}')).toBe(0);
    // No label names a shop, an address or a text.
    const text = (await request(sidecar.url).get('/metrics')).text;
    expect(text).not.toContain(shop.url);
    expect(text).not.toContain((recorded.billing as { email: string }).email);
  });

  it('counts refused deliveries by their status', async () => {
    const before = await scrape();
    await request(sidecar.url)
      .post('/webhooks/woocommerce')
      .set({ 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-source': `${shop.url}/` })
      .send('{}')
      .expect(401);
    await request(sidecar.url).post('/webhooks/woocommerce').set('content-type', 'application/json').send('{}').expect(400);
    const after = await scrape();
    expect(
      at(after, 'comeback_webhooks_received_total{outcome="refused_401"}') -
        at(before, 'comeback_webhooks_received_total{outcome="refused_401"}'),
    ).toBe(1);
    expect(
      at(after, 'comeback_webhooks_received_total{outcome="refused_400"}') -
        at(before, 'comeback_webhooks_received_total{outcome="refused_400"}'),
    ).toBe(1);
  });

  it('answers a client from elsewhere only with the admin token', async () => {
    // The sidecar trusts X-Forwarded-For from loopback (a reverse proxy on this machine): the client it names is who asks.
    const outside = () => request(sidecar.url).get('/metrics').set('x-forwarded-for', '203.0.113.7');
    const refused = await outside().expect(401);
    expect(refused.body).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/admin token/) } });
    expect(refused.text).not.toContain('comeback_');
    await outside().set('authorization', 'Bearer not-the-admin-token-at-all-000000').expect(401);
    const allowed = await outside().set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    expect(allowed.text).toContain('comeback_steps_claimed_total');

    // COMEBACK_METRICS_PUBLIC=on opens it to everyone; a loopback client needs nothing.
    const fromOutside = { ip: '203.0.113.7', socket: {}, get: () => undefined } as unknown as Request;
    expect(mayScrape(fromOutside, { open: false, adminToken: ADMIN_TOKEN })).toBe(false);
    expect(mayScrape(fromOutside, { open: true, adminToken: ADMIN_TOKEN })).toBe(true);
    expect(mayScrape({ ...fromOutside, ip: '::ffff:127.0.0.1' } as Request, { open: false, adminToken: undefined })).toBe(true);
  });

  it('answers within the scrape with the last backlog while the outbox does not answer', { timeout: 30_000 }, async () => {
    // A message waiting for its retry next week: the backlog counts it.
    await pool.query(
      "INSERT INTO outbox (idempotency_key, shop_id, channel, recipient, status, next_attempt_at) VALUES ('metrics-retry', ?, 'email', 'later@example.test', 'retry', ?)",
      [shopId, new Date(Date.now() + 7 * 86_400_000)],
    );
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // older than the count's cache
    const counted = await scrape();
    expect(counted.get('comeback_outbox_backlog{status="retry"}')).toBe(1);

    // The outbox locked by another session (reads of it wait), and the row gone behind the lock.
    const locker = await mysql.createConnection({ uri: url, timezone: 'Z' });
    try {
      await locker.query('LOCK TABLES outbox WRITE');
      await locker.query("DELETE FROM outbox WHERE idempotency_key = 'metrics-retry'");
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const started = Date.now();
      const stalled = await scrape();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(stalled.get('comeback_outbox_backlog{status="retry"}')).toBe(1);
      expect(at(stalled, 'comeback_metrics_collect_errors_total{what="outbox_backlog"}')).toBe(
        at(counted, 'comeback_metrics_collect_errors_total{what="outbox_backlog"}') + 1,
      );
    } finally {
      await locker.query('UNLOCK TABLES');
      await locker.end();
    }
    // Once the outbox answers again, the count is fresh.
    const fresh = await waitFor(
      scrape,
      (m) => m.get('comeback_outbox_backlog{status="retry"}') === 0,
      10_000,
      'the backlog to be counted again',
    );
    expect(fresh.get('comeback_outbox_backlog{status="retry"}')).toBe(0);
  });

  it('measures the waits for a pooled connection: how many wait now, and how long each waited', async () => {
    const metrics = createMetrics();
    const own = await openDatabase(url, { connectionLimit: 1, waits: poolWaits(metrics) });
    const read = async () => parseExposition(await metrics.registry.metrics());
    try {
      await own.pool.query('SELECT 1'); // the one connection, made
      const busy = own.pool.query('SELECT SLEEP(0.5)');
      const queued = own.pool.query('SELECT 2');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await read()).get('comeback_db_pool_waiting')).toBe(1);
      await Promise.all([busy, queued]);
      const after = await read();
      expect(after.get('comeback_db_pool_waiting')).toBe(0);
      expect(after.get('comeback_db_pool_wait_seconds_count')).toBe(3);
      // The queued statement waited for the sleeping one (0.5 s).
      expect(after.get('comeback_db_pool_wait_seconds_sum')).toBeGreaterThan(0.25);
    } finally {
      await own.close();
    }
  });
});

describe('reading /metrics (sidecar/bench/scrape-metrics.ts)', () => {
  it('reads samples by series, and refuses what is not Prometheus text', () => {
    const text = [
      '# HELP comeback_steps_sent_total Sent.',
      '# TYPE comeback_steps_sent_total counter',
      'comeback_steps_sent_total{channel="email"} 3',
      'comeback_steps_sent_total{channel="sms"} 2',
      '# TYPE comeback_send_seconds histogram',
      'comeback_send_seconds_bucket{le="+Inf",channel="email"} 3',
      'comeback_send_seconds_count{channel="email"} 3',
      '# TYPE nodejs_eventloop_lag_mean_seconds gauge',
      'nodejs_eventloop_lag_mean_seconds Nan',
    ].join('\n');
    const samples = parseExposition(text);
    expect(samples.get('comeback_steps_sent_total{channel="sms"}')).toBe(2);
    expect(total(samples, 'comeback_steps_sent_total')).toBe(5);
    expect(total(samples, 'comeback_send_seconds_count')).toBe(3);
    expect(() => parseExposition('comeback_untyped_total 1')).toThrow(/no TYPE line/);
    expect(() => parseExposition('# TYPE x counter\nx{channel=email} 1')).toThrow(/not a Prometheus sample line/);
  });
});
