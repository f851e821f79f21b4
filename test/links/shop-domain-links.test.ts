import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RECOVERY, saveRecoverySettings } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { verifyLinkToken } from '../../sidecar/src/links/link-token.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { startSidecar } from '../../sidecar/src/sidecar.ts';
import { recordedOrders, startFakeShop } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';
import { pluginRequest } from '../helpers/sidecar.ts';

const SECRET = 'shop-domain-shared-secret-0123456789';
const wooTime = (d: Date) => d.toISOString().slice(0, 19);

describe('payment links on the shop’s own domain (answered by the plugin)', async () => {
  const { database, url } = await createTestDatabase('shop_links');
  const pool = database.pool;
  const recorded = [...recordedOrders().values()].find((o) => o.payment_method === 'payustandard')!;
  const placed = wooTime(new Date(Date.now() - 2 * 60_000));
  const order: Record<string, unknown> = {
    ...recorded,
    status: 'pending',
    date_paid_gmt: null,
    date_created_gmt: placed,
    date_modified_gmt: placed,
  };
  const shop = await startFakeShop({ orders: new Map([[order.id as number, order]]) });
  const [inserted] = await pool.query<ResultSetHeader>(
    'INSERT INTO shops (url, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?)',
    [shop.url, SECRET, shop.consumerKey, shop.consumerSecret],
  );
  const shopId = inserted.insertId;
  const reminder = DEFAULT_RECOVERY.reminders[0]!;
  await saveRecoverySettings(pool, shopId, {
    ...DEFAULT_RECOVERY,
    enabled: true,
    reminders: [{ ...reminder, delay: { value: 1, unit: 'minutes' } }],
  });
  const sidecar = await startSidecar({
    logger: createLogger('silent'),
    env: {
      COMEBACK_DATABASE_URL: url,
      COMEBACK_HTTP_PORT: '0',
      COMEBACK_ALLOW_PRIVATE_URLS: 'on',
      COMEBACK_SCHEDULER_PROCESS_EVERY_MS: '200',
    },
  });
  afterAll(async () => {
    await sidecar.stop();
    await shop.close();
  });
  const signed = pluginRequest(sidecar.url, { url: shop.url, secret: SECRET });
  let ref = '';

  it('mints the payment link on the shop’s domain, signed with the shop’s secret, once the plugin registered', async () => {
    await signed('put', '/api/shop/plugin', { linkBase: `${shop.url}/` }).expect(200);
    await signed('put', '/api/shop/plugin', { linkBase: 'javascript:alert(1)' }).expect(400);
    await sidecar.scheduler.agenda.now('woo.reconcile');
    sidecar.loops.steps.kick();
    const [message] = await waitFor(
      async () => (await pool.query<RowDataPacket[]>('SELECT body_text, link_ref FROM outbox'))[0],
      (r) => r.length === 1,
      30_000,
      'the reminder',
    );
    const link = new RegExp(`${shop.url}/\\?comeback=([A-Za-z0-9_.-]+)`).exec(String(message!.body_text));
    expect(link, String(message!.body_text)).not.toBeNull();
    const claims = verifyLinkToken(link![1]!, SECRET, Math.floor(Date.now() / 1000));
    expect(claims).toMatchObject({ ok: true, kind: 'pay' });
    ref = (claims as { ref: string }).ref;
    expect(ref).toMatch(new RegExp(`^o${order.id as number}_[A-Za-z0-9_-]{22}$`));
    expect(ref).toBe(message!.link_ref);
  });

  it('records the click the plugin reports, once, and shows it in the enrollment’s timeline', async () => {
    const clickedAt = new Date().toISOString();
    expect((await signed('post', '/api/clicks', { ref, clickedAt, userAgent: 'Mozilla/5.0' }).expect(201)).body).toEqual({
      recorded: true,
      duplicate: false,
    });
    expect((await signed('post', '/api/clicks', { ref, clickedAt, userAgent: 'Mozilla/5.0' }).expect(200)).body).toEqual({
      recorded: false,
      duplicate: true,
    });
    await signed('post', '/api/clicks', { ref: 'o1_AAAAAAAAAAAAAAAAAAAAAA', clickedAt }).expect(404);
    await signed('post', '/api/clicks', { ref: 'x', clickedAt: 'yesterday' }).expect(400);
    const [enrollment] = (await pool.query<RowDataPacket[]>('SELECT id FROM enrollments'))[0];
    const timeline = (await signed('get', `/api/queue/${enrollment!.id}`).expect(200)).body.timeline;
    expect(timeline.filter((t: { event: string }) => t.event === 'click')).toHaveLength(1);
  });
});
