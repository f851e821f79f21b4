import type { ChildProcess } from 'node:child_process';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { decodedBodies, parseRaw, startSmtpServer } from '../channels/smtp-server.ts';
import { startFakeShop, unpaidOrdersFromAnHourAgo, wooTime } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase, testServerUrl } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';
import { deliverWebhook, enableQuickRecovery, pluginRequest, startTestSidecar } from '../helpers/sidecar.ts';
import { connectSiteToSidecar, installedWordPressSite, runPhp, serveWordPress } from '../php/wordpress-site.ts';

const SECRET = 'plugin-lifecycle-shared-secret-0123';

/**
 * The plugin's lifecycle from both sides, over real HTTP: WordPress core with Comeback installed
 * from dist/comeback.zip and served by `php -S`, the real sidecar in this process, and the shop's
 * WooCommerce REST API (the stand-in shop, the one faked part) on the shop's own domain through
 * test/php/server.php. What a real shop showed before: a deleted or deactivated plugin left the
 * sidecar connected, enrolling orders and sending reminders whose links the shop no longer
 * answered, and Comeback's REST key valid. Plugins → Deactivate, Activate and Delete run through
 * WordPress core (test/php/plugin-action.php).
 */
describe('the plugin’s lifecycle reaches the sidecar: deactivate pauses, activate resumes, delete disconnects', async () => {
  const { site, port, home } = await installedWordPressSite('life');
  const { database, url } = await createTestDatabase('plugin_life');
  const pool = database.pool;
  const smtp = await startSmtpServer();
  // The shop's WooCommerce, with no order yet (the sweep at start has nothing to remind).
  const shop = await startFakeShop({ orders: new Map() });
  const sidecar = await startTestSidecar(url, { smtpPort: smtp.port });
  const shopId = await connectSiteToSidecar(site, pool, { home, name: 'Lifecycle Shop', secret: SECRET, sidecarUrl: sidecar.url });
  await enableQuickRecovery(pool, shopId);
  // The REST keys WooCommerce holds (as WC_Auth::create_keys stored them): the one the merchant
  // approved for Comeback, which the sidecar uses, and another app's.
  const wordpress = await mysql.createConnection({ uri: testServerUrl() });
  const keys = `\`${site.env.WP_DB_NAME}\`.wp_woocommerce_api_keys`;
  await wordpress.query(
    `INSERT INTO ${keys} (user_id, description, permissions, consumer_key, consumer_secret, truncated_key) VALUES (1, ?, 'read_write', 'hashed', 'cs_x', ?), (1, 'Zapier - API (2026-01-02 03:04:05)', 'read_write', 'hashed', 'cs_y', 'zap1234')`,
    ['Comeback - API (2026-01-02 03:04:05)', shop.consumerKey.slice(-7)],
  );
  const php: ChildProcess = await serveWordPress(site, port, { COMEBACK_TEST_WC_REST: shop.url });
  afterAll(async () => {
    php.kill('SIGTERM');
    await sidecar.stop();
    await smtp.close();
    await shop.close();
    await wordpress.end();
    await site.remove();
  });

  const signed = pluginRequest(sidecar.url, { url: home, secret: SECRET });
  const connection = async () => (await signed('get', '/api/shop/connection').expect(200)).body as Record<string, unknown>;
  const plugin = async (action: 'deactivate' | 'activate' | 'uninstall') => {
    const ran = await runPhp(site, 'php', ['plugin-action.php', action]);
    expect(ran.code, ran.output).toBe(0);
    return ran.output;
  };
  const sent = async () =>
    Number((await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM outbox WHERE shop_id = ?', [shopId]))[0][0]!.n);

  it('holds reminders while the plugin is deactivated, sends them once when it is active again', { timeout: 120_000 }, async () => {
    // Connected by the merchant's key: the sidecar registers its webhooks on the shop.
    await signed('put', '/api/shop/connection', { consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }).expect(200);
    expect(shop.webhooks.size).toBe(4);
    expect(await connection()).toMatchObject({ state: 'active' });

    // An unpaid order placed 45 seconds ago: in recovery, its first reminder due a minute after it was placed.
    const placed = new Date(Date.now() - 45_000);
    const { payu } = unpaidOrdersFromAnHourAgo();
    const order: Record<string, unknown> = { ...payu, date_created_gmt: wooTime(placed), date_modified_gmt: wooTime(placed) };
    shop.orders.set(order.id as number, order);
    await deliverWebhook(sidecar.url, { shopUrl: home, secret: SECRET, topic: 'order.created', body: order });
    const enrollment = () =>
      pool
        .query<RowDataPacket[]>('SELECT status, next_step_at FROM enrollments WHERE shop_id = ? AND subject_id = ?', [
          shopId,
          String(order.id),
        ])
        .then(([rows]) => rows[0]);
    await waitFor(enrollment, (e) => e?.status === 'active', 10_000, 'the order to enter recovery');

    // The merchant deactivates the plugin before the reminder is due.
    expect(await plugin('deactivate')).toContain('deactivated');
    expect(await connection()).toMatchObject({ state: 'paused', stateReason: 'plugin-deactivated' });
    expect(typeof (await connection()).stateChangedAt).toBe('string');
    // The reminder falls due, and several turns of the step and send loops later it is held, not sent.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, placed.getTime() + 65_000 - Date.now())));
    const held = await enrollment();
    expect(held?.status).toBe('active');
    expect((held?.next_step_at as Date).getTime()).toBeLessThan(Date.now());
    expect(await sent()).toBe(0);
    expect(smtp.received).toHaveLength(0);

    expect(await plugin('activate')).toContain('activated');
    expect(await connection()).toMatchObject({ state: 'active', linkBase: `${home}/` });
    const [message] = await waitFor(
      async () => smtp.received.slice(),
      (r) => r.length >= 1,
      60_000,
      'the held reminder by SMTP',
    );
    expect(parseRaw(message!).headers.get('to')?.[0]).toContain(String((order.billing as { email: string }).email));
    // Its link leads to the shop's domain, which the active plugin answers.
    expect((await decodedBodies(message!)).text).toContain(`${home}/?comeback=`);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(smtp.received, 'sent once').toHaveLength(1);
  });

  it(
    'disconnects the shop when the plugin is deleted: webhooks gone, the REST key revoked, nothing left in WordPress',
    { timeout: 120_000 },
    async () => {
      expect(await plugin('deactivate')).toContain('deactivated');
      expect(await plugin('uninstall')).toContain('uninstalled');

      // The merchant kept the data (the default): the shop is still known, disconnected.
      expect(await connection()).toMatchObject({ state: 'disconnected', stateReason: 'plugin-uninstalled' });
      expect([...shop.webhooks.values()]).toEqual([]);
      const [left] = await wordpress.query<RowDataPacket[]>(`SELECT description FROM ${keys}`);
      expect(left.map((k) => k.description)).toEqual(['Zapier - API (2026-01-02 03:04:05)']);
      const [options] = await wordpress.query<RowDataPacket[]>(
        `SELECT option_name FROM \`${site.env.WP_DB_NAME}\`.wp_options WHERE option_name LIKE 'comeback\\_%' OR option_name LIKE '\\_transient\\_comeback\\_%'`,
      );
      expect(options).toEqual([]);
    },
  );
});
