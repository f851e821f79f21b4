import type { RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { forgetShopSecrets, OLD_WEBHOOK_SECRET_GRACE_MS } from '../../sidecar/src/woo/shop-secrets.ts';
import { startFakeShop, unpaidOrdersFromAnHourAgo } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';
import { pluginRequest, signedWebhook, startTestSidecar } from '../helpers/sidecar.ts';

const TOKEN = 'admin-token-for-rotation-tests-0123456789';

describe('rotating a shop’s shared secret with an overlap (a real sidecar, the stand-in shop over HTTP)', async () => {
  const { database, url } = await createTestDatabase('secret_rotation');
  const pool = database.pool;
  const { payu, orders } = unpaidOrdersFromAnHourAgo();
  const shop = await startFakeShop({ orders });
  const sidecar = await startTestSidecar(url, { env: { COMEBACK_ADMIN_TOKEN: TOKEN } });
  afterAll(async () => {
    await sidecar.stop();
    await shop.close();
  });
  const admin = (path: string, shopId: number) =>
    request(sidecar.url).post(path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));
  const signedBy = (secret: string) => pluginRequest(sidecar.url, { url: shop.url, secret });
  /** The connection page as the plugin reads it, signed with `secret`: 200 when the sidecar takes the secret. */
  const statusWith = async (secret: string) => (await signedBy(secret)('get', '/api/shop/connection')).status;
  const hookSecrets = () => [...new Set([...shop.webhooks.values()].map((h) => h.secret))];
  const row = async () => (await pool.query<RowDataPacket[]>('SELECT * FROM shops WHERE url = ?', [shop.url]))[0][0]!;
  // An old modification time: the shop's own deliveries below are never taken for a repeat of it.
  const delivery = (secret: string) =>
    signedWebhook(sidecar.url, {
      shopUrl: shop.url,
      secret,
      topic: 'order.updated',
      body: { ...payu, date_modified_gmt: '2020-01-01T00:00:00' },
    });

  const connected = await request(sidecar.url)
    .post('/api/shops')
    .set('authorization', `Bearer ${TOKEN}`)
    .send({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret })
    .expect(201);
  const shopId: number = connected.body.shop.id;
  const first: string = connected.body.sharedSecret;

  let next = '';
  it('rotate (signed with the current secret) answers a new secret once, stored sealed; both verify until the confirm', async () => {
    const rotated = await signedBy(first)('post', '/api/shop/secret/rotate', {}).expect(200);
    next = rotated.body.secret;
    expect(next).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated.headers['cache-control']).toBe('no-store');
    const stored = await row();
    expect(stored.next_secret).toBeTruthy();
    expect(String(stored.next_secret)).not.toContain(next);
    expect(String(stored.webhook_secret)).not.toContain(first);
    expect(await statusWith(first)).toBe(200);
    expect(await statusWith(next)).toBe(200);
    expect(await statusWith('not-the-secret')).toBe(401);
    // The shop's webhooks keep signing with the current secret until the plugin confirms.
    expect(hookSecrets()).toEqual([first]);
    await delivery(first).expect(200);
    // A rotation is started with the current secret only.
    const again = await signedBy(next)('post', '/api/shop/secret/rotate', {}).expect(403);
    expect(again.body.error.message).toMatch(/current secret/);
  });

  it('a second rotate before the confirm answers a fresh secret and the pending one stops verifying', async () => {
    const second = (await signedBy(first)('post', '/api/shop/secret/rotate', {}).expect(200)).body.secret as string;
    expect(second).not.toBe(next);
    expect(await statusWith(next)).toBe(401);
    expect(await statusWith(second)).toBe(200);
    next = second;
  });

  it('a confirm signed with the old secret is refused; one whose webhook update fails changes nothing', async () => {
    const withOld = await signedBy(first)('post', '/api/shop/secret/confirm', {}).expect(403);
    expect(withOld.body.error.message).toMatch(/new secret/);
    shop.failWebhookUpdates = 500;
    try {
      const failed = await signedBy(next)('post', '/api/shop/secret/confirm', {}).expect(502);
      expect(failed.body.error.message).toMatch(/both secrets stay valid/);
    } finally {
      shop.failWebhookUpdates = null;
    }
    expect(await statusWith(first)).toBe(200);
    expect(await statusWith(next)).toBe(200);
    expect((await row()).next_secret).toBeTruthy();
  });

  it('confirm (signed with the new secret) makes it the only one and gives it to the shop’s webhooks', async () => {
    const confirmed = await signedBy(next)('post', '/api/shop/secret/confirm', {}).expect(200);
    expect(confirmed.body.webhooks).toHaveLength(4);
    // How long the plugin keeps the old secret for links already in inboxes: the links' lifetime.
    expect(confirmed.body.linkTtlDays).toBe(30);
    expect(await statusWith(next)).toBe(200);
    expect(await statusWith(first)).toBe(401);
    expect(hookSecrets()).toEqual([next]);
    const stored = await row();
    expect(stored.next_secret).toBeNull();
    expect(String(stored.webhook_secret)).not.toContain(next);
    expect(String(stored.previous_secret)).not.toContain(first);
    // The shop's own delivery, signed with the webhook's new secret, is taken.
    const before = Number((await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM events WHERE shop_id = ?', [shopId]))[0][0]!.n);
    await shop.update(payu.id as number, { customer_note: 'after the rotation' });
    await waitFor(
      async () => Number((await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM events WHERE shop_id = ?', [shopId]))[0][0]!.n),
      (n) => n > before,
      10_000,
      'the delivery signed with the new secret to be stored',
    );
    expect([...shop.webhooks.values()].every((h) => h.failure_count === 0)).toBe(true);
    // Nothing is waiting now: a second confirm has nothing to confirm.
    await signedBy(next)('post', '/api/shop/secret/confirm', {}).expect(403);
  });

  it('a webhook signed with the old secret is taken only for a short grace after the confirm', async () => {
    await delivery(first).expect(200);
    await pool.query('UPDATE shops SET secret_rotated_at = ? WHERE id = ?', [
      new Date(Date.now() - OLD_WEBHOOK_SECRET_GRACE_MS - 1000),
      shopId,
    ]);
    forgetShopSecrets();
    await delivery(first).expect(401);
    await delivery(next).expect(200);
  });

  it('the admin token rotates and confirms too (a shop without the plugin)', async () => {
    const third = (await admin('/api/shop/secret/rotate', shopId).expect(200)).body.secret as string;
    expect(await statusWith(third)).toBe(200);
    await admin('/api/shop/secret/confirm', shopId).expect(200);
    expect(await statusWith(next)).toBe(401);
    expect(await statusWith(third)).toBe(200);
    expect(hookSecrets()).toEqual([third]);
    // Confirmed with nothing waiting: said so.
    const nothing = await admin('/api/shop/secret/confirm', shopId).expect(409);
    expect(nothing.body.error.code).toBe('no_rotation');
  });
});
