import type { RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { newLinkRef, signLinkToken } from '../../sidecar/src/links/link-token.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { startSidecar } from '../../sidecar/src/sidecar.ts';
import { startFakeShop } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';

const TOKEN = 'one-click-admin-token-0123456789';

/**
 * One-click connect: WooCommerce's app-authorisation screen POSTs the new key to the sidecar
 * (as /wc-auth/v1/authorize does), with the plugin's signed pairing token as user_id.
 */
describe('one-click connect: the key WooCommerce delivers after the merchant approves', async () => {
  const { database, url } = await createTestDatabase('one_click');
  const shop = await startFakeShop({ orders: new Map() });
  const sidecar = await startSidecar({
    logger: createLogger('silent'),
    env: { COMEBACK_DATABASE_URL: url, COMEBACK_HTTP_PORT: '0', COMEBACK_ALLOW_PRIVATE_URLS: 'on', COMEBACK_ADMIN_TOKEN: TOKEN },
  });
  // The admin registers the shop without a key; the answer's shared secret goes into the plugin.
  const registered = await request(sidecar.url)
    .post('/api/shops')
    .set('authorization', `Bearer ${TOKEN}`)
    .send({ url: shop.url, name: 'Fixture Shop' })
    .expect(201);
  const SECRET: string = registered.body.sharedSecret;
  afterAll(async () => {
    await sidecar.stop();
    await shop.close();
  });
  const pairing = (secret = SECRET, expiresIn = 900) =>
    signLinkToken({ kind: 'connect', ref: newLinkRef(), expiresAt: Math.floor(Date.now() / 1000) + expiresIn }, secret);
  const deliver = (body: object, shopUrl = shop.url) =>
    request(sidecar.url)
      .post(`/woocommerce/keys?shop=${encodeURIComponent(`${shopUrl}/`)}`)
      .send(body);
  const keys = { key_id: 7, consumer_key: shop.consumerKey, consumer_secret: shop.consumerSecret, key_permissions: 'read_write' };

  it('registers a shop without a key: not connected yet, its shared secret answered once', () => {
    expect(registered.body).toMatchObject({ connected: false, shop: { url: shop.url, name: 'Fixture Shop' }, webhooks: [] });
    expect(SECRET.length).toBeGreaterThanOrEqual(40);
  });

  it('refuses a delivery without a valid pairing token for that shop, and stores nothing', async () => {
    const wrong = await deliver({ ...keys, user_id: pairing('another-shops-secret-0123') }).expect(401);
    await deliver({ ...keys, user_id: pairing(SECRET, -1) }).expect(401);
    await deliver({
      ...keys,
      user_id: signLinkToken({ kind: 'pay', ref: newLinkRef(), expiresAt: Math.floor(Date.now() / 1000) + 60 }, SECRET),
    }).expect(401);
    // An unknown shop answers exactly as a wrong token: the callback tells nobody which shops are here.
    const unknown = await deliver({ ...keys, user_id: pairing() }, 'https://unknown.example').expect(401);
    expect(unknown.body).toEqual(wrong.body);
    await deliver({ ...keys, key_permissions: 'read', user_id: pairing() }).expect(400);
    await deliver({ user_id: pairing() }).expect(400);
    const [[row]] = await database.pool.query<RowDataPacket[]>('SELECT consumer_key FROM shops');
    expect(row!.consumer_key).toBeNull();
    expect(shop.webhooks.size).toBe(0);
  });

  it('connects the shop with the delivered key: key tried, webhooks registered', async () => {
    expect((await deliver({ ...keys, user_id: pairing() }).expect(200)).body).toEqual({ connected: true });
    const [[row]] = await database.pool.query<RowDataPacket[]>('SELECT consumer_key FROM shops');
    expect(row!.consumer_key).toBe(shop.consumerKey);
    expect([...shop.webhooks.values()].map((w) => w.topic).sort()).toEqual([
      'order.created',
      'order.deleted',
      'order.restored',
      'order.updated',
    ]);
  });
});
