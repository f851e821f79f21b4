import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../sidecar/src/logger.ts';
import { startSidecar } from '../../sidecar/src/sidecar.ts';
import { getFromMerchant } from '../../sidecar/src/woo/merchant-url.ts';
import { fetchPluginProfile } from '../../sidecar/src/woo/plugin-profile.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { connectShop } from '../../sidecar/src/woo/shop-connection.ts';
import { LOCAL_NET } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';

const TOKEN = 'admin-token-for-merchant-url-tests-0123';
const KEY = { consumerKey: `ck_${'a'.repeat(40)}`, consumerSecret: `cs_${'b'.repeat(40)}` };
const SECRET_BODY = 'INTERNAL-ONLY-7f3a9c';

/**
 * Merchant-given URLs on a sidecar as deployed (COMEBACK_ALLOW_PRIVATE_URLS unset): the sidecar
 * must not become a way to reach its own machine or network. A server on 127.0.0.1 stands for an
 * internal service; it counts every request that reaches it and answers with a body nobody outside
 * may read.
 */
describe('merchant-given URLs', async () => {
  const { database, url } = await createTestDatabase('merchant_urls');
  const pool = database.pool;
  const hits: IncomingMessage[] = [];
  const internal = createServer((req, res) => {
    hits.push(req);
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'internal_thing', message: SECRET_BODY }));
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  const port = (internal.address() as AddressInfo).port;
  const sidecar = await startSidecar({
    logger: createLogger('silent'),
    env: { COMEBACK_DATABASE_URL: url, COMEBACK_HTTP_PORT: '0', COMEBACK_ADMIN_TOKEN: TOKEN },
  });
  afterAll(async () => {
    await sidecar.stop();
    await new Promise((resolve) => internal.close(resolve));
  });
  const admin = (method: 'post' | 'put', path: string, shopId?: number) => {
    const r = request(sidecar.url)[method](path).set('authorization', `Bearer ${TOKEN}`);
    return shopId ? r.set('x-comeback-shop-id', String(shopId)) : r;
  };

  const privateUrls = [
    `http://127.0.0.1:${port}`,
    `http://localhost:${port}`,
    `http://[::1]:${port}`,
    `http://[::ffff:127.0.0.1]:${port}`,
    'http://10.0.0.7',
    'http://172.20.1.1',
    'http://192.168.1.1',
    'http://169.254.169.254/latest/meta-data',
    'http://[fd00::1]',
    'http://[fe80::1]',
    'http://0.0.0.0',
  ];

  it('refuses a shop URL on this machine or a private network at connect, fetching nothing', async () => {
    for (const shopUrl of privateUrls) {
      for (const body of [{ url: shopUrl, ...KEY }, { url: shopUrl }]) {
        const res = await admin('post', '/api/shops').send(body);
        expect(res.status, shopUrl).toBe(400);
        expect(res.body.error.code, shopUrl).toBe('private_url');
        expect(res.body.error.message).toMatch(/The shop URL points at a local or private network address/);
      }
    }
    const refused = await admin('post', '/api/shops').send({ url: 'file:///etc/passwd', ...KEY });
    expect(refused.status).toBe(400);
    expect(hits).toHaveLength(0);
    const [rows] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM shops');
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('refuses a plugin URL on this machine or a private network, storing nothing', async () => {
    const [inserted] = await pool.query<RowDataPacket[] & { insertId: number }>(
      "INSERT INTO shops (url, webhook_secret) VALUES ('https://shop.example.com', 'a-shared-secret-of-the-shop-0001')",
    );
    const shopId = (inserted as unknown as { insertId: number }).insertId;
    for (const linkBase of privateUrls) {
      const res = await admin('put', '/api/shop/plugin', shopId).send({ linkBase });
      expect(res.status, linkBase).toBe(400);
      expect(res.body.error.message).toMatch(/The plugin URL points at a local or private network address/);
    }
    const [rows] = await pool.query<RowDataPacket[]>('SELECT link_base FROM shops WHERE id = ?', [shopId]);
    expect(rows[0]!.link_base).toBeNull();
    expect(hits).toHaveLength(0);
  });

  it('checks the address again at every connection: a name that resolves privately when fetched is refused there', async () => {
    // Past the edge check (as a name rebound after it would be), the connection itself refuses.
    const client = createWooClient({ url: `http://localhost:${port}`, ...KEY }, { net: { allowPrivate: false } });
    await expect(client.generalSettings()).rejects.toThrow(/local or private network address/);
    await expect(getFromMerchant(`http://localhost:${port}/wp-json/`, { allowPrivate: false })).rejects.toThrow(
      /not on the public internet/,
    );
    expect(hits).toHaveLength(0);
  });

  it('never repeats what an address answered, only its status', async () => {
    // Allowed to reach it (as in development): still nothing of its body comes back.
    const connect = connectShop(
      pool,
      { url: `http://127.0.0.1:${port}`, ...KEY },
      { deliveryUrl: 'http://127.0.0.1:9/webhooks', net: LOCAL_NET },
    );
    await expect(connect).rejects.toThrow(/HTTP 404/);
    await connect.catch((error: Error) => expect(JSON.stringify({ ...error, text: error.message })).not.toContain(SECRET_BODY));
    const profile = fetchPluginProfile(`http://127.0.0.1:${port}/`, 'a-shared-secret-of-the-shop-0001', LOCAL_NET);
    await expect(profile).rejects.toThrow(/answered HTTP 404/);
    await profile.catch((error: Error) => expect(error.message).not.toContain(SECRET_BODY));
    expect(hits.length).toBeGreaterThan(0);
  });
});
