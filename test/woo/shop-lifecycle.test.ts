import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueueMessage } from '../../sidecar/src/messages/outbox.ts';
import { SHOP_TABLES } from '../../sidecar/src/woo/shop-erase-store.ts';
import { signWebhook } from '../../sidecar/src/woo/webhook-signature.ts';
import { startSmtpServer } from '../channels/smtp-server.ts';
import { startFakePlugin } from '../fakes/fake-plugin.ts';
import { recordedOrders, startFakeShop, wooTime } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';
import { deliverWebhook, enableQuickRecovery, pluginRequest, startTestSidecar } from '../helpers/sidecar.ts';

const SECRET = 'lifecycle-secret-one';
const SECRET_2 = 'lifecycle-secret-two';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a shop’s lifecycle, end to end through the sidecar’s API: pause, resume, disconnect, a vanished plugin, erase', async () => {
  const { database, url } = await createTestDatabase('shop_lifecycle');
  const pool = database.pool;
  const smtp = await startSmtpServer();
  // Three unpaid PayU orders of three customers, placed now: their first reminder is due in a minute.
  const payu = [...recordedOrders().values()].find((o) => o.payment_method === 'payustandard')!;
  const now = wooTime(new Date());
  const order = (id: number): Record<string, unknown> => ({
    ...payu,
    id,
    number: String(id),
    status: 'pending',
    date_paid_gmt: null,
    date_created_gmt: now,
    date_modified_gmt: now,
    billing: { ...(payu.billing as object), email: `customer${id}@example.test` },
  });
  const [A, B, C] = [9101, 9102, 9103];
  const shop = await startFakeShop({ orders: new Map([A, C].map((id) => [id, order(id)])) });
  const plugin = await startFakePlugin(SECRET);
  // A second shop whose plugin will vanish without telling.
  const shop2 = await startFakeShop({ orders: new Map() });
  const plugin2 = await startFakePlugin(SECRET_2, 'Second Shop');
  const insertShop = async (s: typeof shop, secret: string, linkBase: string) =>
    (
      await pool.query<ResultSetHeader>(
        'INSERT INTO shops (url, name, webhook_secret, consumer_key, consumer_secret, link_base) VALUES (?, ?, ?, ?, ?, ?)',
        [s.url, 'Fixture Shop', secret, s.consumerKey, s.consumerSecret, linkBase],
      )
    )[0].insertId;
  const shopId = await insertShop(shop, SECRET, plugin.url);
  const shopId2 = await insertShop(shop2, SECRET_2, plugin2.url);
  await enableQuickRecovery(pool, shopId);
  const sidecar = await startTestSidecar(url, { smtpPort: smtp.port });
  afterAll(async () => {
    await sidecar.stop();
    await Promise.allSettled([smtp.close(), shop.close(), shop2.close(), plugin.close(), plugin2.close()]);
  });

  const plugin1 = pluginRequest(sidecar.url, { url: shop.url, secret: SECRET });
  const plugin2Request = pluginRequest(sidecar.url, { url: shop2.url, secret: SECRET_2 });
  const rows = async (sql: string, params: unknown[] = []) => (await pool.query<RowDataPacket[]>(sql, params))[0];
  const one = async (sql: string, params: unknown[] = []) => (await rows(sql, params))[0];
  const count = async (sql: string, params: unknown[] = []) => Number((await one(sql, params))!.n);
  const enrollment = (orderId: number) =>
    one('SELECT id, status, step, exit_reason FROM enrollments WHERE shop_id = ? AND subject_id = ?', [shopId, String(orderId)]);
  const deliver = (topic: string, body: object) => deliverWebhook(sidecar.url, { shopUrl: shop.url, secret: SECRET, topic, body });
  /** Runs the 5-minute sweep now and waits until it has swept the second shop (the last one). */
  const sweep = async () => {
    const before = (await one('SELECT last_reconciled_at AS t FROM shops WHERE id = ?', [shopId2]))!.t as Date | null;
    const requestsBefore = plugin2.requests;
    await sidecar.scheduler.agenda.now('woo.reconcile');
    await waitFor(
      async () => ({ swept: (await one('SELECT last_reconciled_at AS t FROM shops WHERE id = ?', [shopId2]))!.t as Date | null }),
      ({ swept }) => swept !== null && swept.getTime() !== before?.getTime() && plugin2.requests > requestsBefore,
      20_000,
      'the sweep to run',
    );
    await sleep(300); // the profile refresh after the read
  };

  it(
    'pause: a due reminder and a queued message are held, a new order is not enrolled, a payment still exits',
    { timeout: 60_000 },
    async () => {
      await sweep(); // registers the webhooks and reads both orders, as at start
      await deliver('order.created', order(A));
      await waitFor(
        async () => [await enrollment(A), await enrollment(C), shop.webhooks.size] as const,
        ([a, c, hooks]) => a?.status === 'active' && c?.status === 'active' && hooks === 4,
        20_000,
        'both orders enrolled and the webhooks registered',
      );

      await sidecar.scheduler.agenda.now('woo.order-marks');
      await waitFor(
        async () => (shop.orders.get(A)!.meta_data as Array<{ key: string }>).some((m) => m.key === '_comeback_recovery_until'),
        Boolean,
        20_000,
        'A marked in recovery',
      );
      const writesBefore = shop.requests.filter((r) => r.method !== 'GET').length;
      const paused = await plugin1('post', '/api/shop/pause', { reason: 'plugin-deactivated' }).expect(200);
      expect(paused.body).toMatchObject({ state: 'paused', reason: 'plugin-deactivated' });
      await plugin1('post', '/api/shop/pause').expect(200); // again: the shop stays as it is
      expect((await plugin1('get', '/api/shop/connection').expect(200)).body).toMatchObject({
        state: 'paused',
        stateReason: 'plugin-deactivated',
        connected: false,
      });

      // A's reminder falls due, and a message waits in the outbox: neither goes while paused.
      await pool.query('UPDATE enrollments SET next_step_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [(await enrollment(A))!.id]);
      await enqueueMessage(pool, {
        idempotencyKey: 'lifecycle-held',
        shopId,
        to: 'held@example.test',
        from: 'shop@example.test',
        subject: 'Held while paused',
        html: '<p>held</p>',
        text: 'held',
      });
      sidecar.loops.steps.kick();
      sidecar.loops.sends.kick();
      // A new order is stored but not enrolled; C's payment still ends C's enrollment.
      await shop.create(order(B)); // delivered by the shop's webhook
      await shop.update(C, { status: 'processing', date_paid_gmt: wooTime(new Date()) });
      await waitFor(
        () => enrollment(C),
        (c) => c?.status === 'exited',
        20_000,
        'the paid order to exit',
      );
      expect((await enrollment(C))!.exit_reason).toBe('paid');
      await waitFor(
        () => one('SELECT status FROM orders WHERE shop_id = ? AND order_id = ?', [shopId, B]),
        (o) => o !== undefined,
        20_000,
        'B stored',
      );
      expect(await enrollment(B)).toBeUndefined();

      // The sweep still reads orders but leaves the webhooks alone: a disabled one stays disabled.
      const hook = [...shop.webhooks.values()][0]!;
      hook.status = 'disabled';
      await sweep();
      await sidecar.scheduler.agenda.now('woo.order-marks'); // C's mark cleared by the payment waits too
      await sleep(1_500);
      expect(hook.status).toBe('disabled');
      expect(shop.requests.filter((r) => r.method !== 'GET').slice(writesBefore), 'nothing written into a paused shop').toEqual([]);
      expect(smtp.received).toHaveLength(0);
      expect(await one('SELECT status FROM outbox WHERE idempotency_key = ?', ['lifecycle-held'])).toMatchObject({ status: 'pending' });
      expect(await enrollment(A)).toMatchObject({ status: 'active', step: 0 });
      expect(await count('SELECT COUNT(*) AS n FROM outbox WHERE enrollment_id = ?', [(await enrollment(A))!.id])).toBe(0);
    },
  );

  it(
    'resume: what was held goes out exactly once; the plugin’s activation does not lift the merchant’s pause',
    { timeout: 60_000 },
    async () => {
      // The merchant's own pause stays when the plugin is activated.
      await plugin1('post', '/api/shop/resume', { reason: 'merchant' }).expect(200);
      await plugin1('post', '/api/shop/pause', { reason: 'merchant' }).expect(200);
      expect((await plugin1('post', '/api/shop/resume', { reason: 'plugin-activated' }).expect(200)).body).toMatchObject({
        state: 'paused',
        reason: 'merchant',
      });
      await pool.query("UPDATE shops SET state_reason = 'plugin-deactivated' WHERE id = ?", [shopId]);
      expect((await plugin1('post', '/api/shop/resume', { reason: 'plugin-activated' }).expect(200)).body).toMatchObject({
        state: 'active',
      });

      await waitFor(
        async () => smtp.received.length,
        (n) => n >= 2,
        30_000,
        'the held reminder and message to be sent',
      );
      await sleep(2_000);
      expect(smtp.received).toHaveLength(2);
      const recipients = smtp.received.map((m) => /^To: (.*)$/im.exec(m)?.[1] ?? '').sort();
      expect(recipients.join(' ')).toContain(`customer${A}@example.test`);
      expect(recipients.join(' ')).toContain('held@example.test');
      expect(await enrollment(A)).toMatchObject({ status: 'active', step: 1 });
    },
  );

  it(
    'disconnect: webhooks deleted over REST, waiting messages cancelled with the reason, marks cleared, and nothing comes back',
    { timeout: 60_000 },
    async () => {
      await enqueueMessage(pool, {
        idempotencyKey: 'lifecycle-waiting',
        shopId,
        to: 'later@example.test',
        from: 'shop@example.test',
        subject: 'Later',
        html: '<p>later</p>',
        text: 'later',
        sendAt: new Date(Date.now() + 3_600_000),
      });
      const hookIds = [...shop.webhooks.keys()].sort();
      const res = await plugin1('post', '/api/shop/disconnect', { data: 'keep', reason: 'plugin-uninstalled' }).expect(200);
      expect(res.body).toMatchObject({
        state: 'disconnected',
        webhooksDeleted: 4,
        messagesCancelled: 1,
        truncatedKey: shop.consumerKey.slice(-7),
        erased: false,
      });
      expect(res.body.marksCleared).toBeGreaterThanOrEqual(1);
      expect(shop.webhooks.size).toBe(0);
      expect(
        shop.requests
          .filter((r) => r.method === 'DELETE')
          .map((r) => r.path)
          .sort(),
      ).toEqual(hookIds.map((id) => `/wp-json/wc/v3/webhooks/${id}`).sort());
      expect(
        (shop.orders.get(A)!.meta_data as Array<{ key: string; value: unknown }>).find((m) => m.key === '_comeback_recovery_until')?.value,
      ).toBe('');
      expect(await one('SELECT status, last_error FROM outbox WHERE idempotency_key = ?', ['lifecycle-waiting'])).toMatchObject({
        status: 'cancelled',
        last_error: 'the shop was disconnected',
      });
      expect(await enrollment(A)).toMatchObject({ status: 'exited', exit_reason: 'disconnected' });
      expect((await plugin1('get', '/api/shop/connection').expect(200)).body).toMatchObject({
        state: 'disconnected',
        stateReason: 'plugin-uninstalled',
        connected: false,
      });
      expect((await plugin1('post', '/api/shop/pause').expect(409)).body.error.message).toMatch(/disconnected/);
      expect((await plugin1('post', '/api/shop/resume').expect(409)).body.error.message).toMatch(/connect the shop again/);

      // The sweeps and jobs leave it alone: no webhook re-created, no call to the shop at all.
      const calls = shop.requests.length;
      await sweep();
      for (const job of ['woo.order-marks', 'woo.order-notes', 'coupons.clean-up']) await sidecar.scheduler.agenda.now(job);
      await sleep(1_500);
      expect(shop.webhooks.size).toBe(0);
      expect(shop.requests.slice(calls)).toEqual([]);
      // A webhook left behind (its deletion failed) is answered 410 Gone: WooCommerce disables it after repeated failures.
      const raw = JSON.stringify(order(B));
      await request(sidecar.url)
        .post('/webhooks/woocommerce')
        .set({
          'content-type': 'application/json',
          'x-wc-webhook-topic': 'order.updated',
          'x-wc-webhook-source': `${shop.url}/`,
          'x-wc-webhook-signature': signWebhook(Buffer.from(raw), SECRET),
        })
        .send(raw)
        .expect(410);
    },
  );

  it(
    'a plugin deleted without telling: three failing profile sweeps pause the shop and raise an alert; its answer again resumes',
    { timeout: 90_000 },
    async () => {
      expect(await one('SELECT state, profile_failures FROM shops WHERE id = ?', [shopId2])).toMatchObject({
        state: 'active',
        profile_failures: 0,
      });
      expect(shop2.webhooks.size).toBe(4);
      plugin2.gone = true;
      await sweep();
      expect(await one('SELECT state, profile_failures FROM shops WHERE id = ?', [shopId2])).toMatchObject({
        state: 'active',
        profile_failures: 1,
      });
      plugin2.gone = false; // a success resets the count
      await sweep();
      expect(await one('SELECT profile_failures FROM shops WHERE id = ?', [shopId2])).toMatchObject({ profile_failures: 0 });
      plugin2.gone = true;
      for (let i = 0; i < 3; i++) await sweep();
      expect(await one('SELECT state, state_reason FROM shops WHERE id = ?', [shopId2])).toMatchObject({
        state: 'paused',
        state_reason: 'plugin-unreachable',
      });
      // Paused: its webhooks are no longer repaired.
      const hook = [...shop2.webhooks.values()][0]!;
      hook.status = 'disabled';
      await sweep();
      expect(hook.status).toBe('disabled');

      await sidecar.scheduler.agenda.now('alerts.check');
      const alerts = await waitFor(
        async () =>
          (await plugin2Request('get', '/api/alerts?state=open').expect(200)).body.alerts as Array<{
            kind: string;
            message: string;
          }>,
        (items) => items.some((a) => a.kind === 'plugin_unreachable'),
        20_000,
        'the plugin_unreachable alert',
      );
      expect(alerts.find((a) => a.kind === 'plugin_unreachable')!.message).toMatch(/paused the shop.*install or activate it again/s);

      plugin2.gone = false;
      await sweep();
      expect(await one('SELECT state, profile_failures FROM shops WHERE id = ?', [shopId2])).toMatchObject({
        state: 'active',
        profile_failures: 0,
      });
    },
  );

  it('disconnects a shop that no longer answers at all, quickly, forgetting its key anyway', { timeout: 60_000 }, async () => {
    await shop2.close(); // the shop's server is gone
    const started = Date.now();
    const res = await plugin2Request('post', '/api/shop/disconnect', { data: 'keep' }).expect(200);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(res.body).toMatchObject({ state: 'disconnected', webhooksDeleted: 0, truncatedKey: shop2.consumerKey.slice(-7), erased: false });
    expect(await one('SELECT state, state_reason, consumer_key FROM shops WHERE id = ?', [shopId2])).toMatchObject({
      state: 'disconnected',
      state_reason: 'merchant',
      consumer_key: null,
    });
  });

  it('erase: no row of the shop is left in any table, and its secret no longer opens the API', { timeout: 60_000 }, async () => {
    const enrollmentIds = (await rows('SELECT id FROM enrollments WHERE shop_id = ?', [shopId])).map((r) => r.id as number);
    const outboxIds = (await rows('SELECT id FROM outbox WHERE shop_id = ?', [shopId])).map((r) => r.id as number);
    expect(enrollmentIds.length).toBeGreaterThan(0);
    expect(outboxIds.length).toBeGreaterThan(0);
    const res = await plugin1('post', '/api/shop/disconnect', { data: 'erase', reason: 'plugin-uninstalled' }).expect(200);
    expect(res.body).toMatchObject({ state: 'disconnected', erased: true, webhooksDeleted: 0, truncatedKey: null });

    const withShopColumn = (
      await rows("SELECT table_name AS t FROM information_schema.columns WHERE table_schema = DATABASE() AND column_name = 'shop_id'")
    ).map((r) => String(r.t));
    expect(
      withShopColumn.filter((t) => !SHOP_TABLES.includes(t)),
      'tables with a shop_id the erase does not cover',
    ).toEqual([]);
    for (const table of withShopColumn)
      expect(await count(`SELECT COUNT(*) AS n FROM ${table} WHERE shop_id = ?`, [shopId]), table).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM step_log WHERE enrollment_id IN (?)', [enrollmentIds])).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM clicks WHERE outbox_id IN (?)', [outboxIds])).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM message_statuses WHERE outbox_id IN (?)', [outboxIds])).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM shops WHERE id = ?', [shopId])).toBe(0);
    await plugin1('get', '/api/shop/connection').expect(401);
    // The other shop is untouched.
    expect(await count('SELECT COUNT(*) AS n FROM shops WHERE id = ?', [shopId2])).toBe(1);
  });
});
