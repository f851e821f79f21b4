import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedSecretKey, keyIdOf, SecretBox } from '../../sidecar/src/db/secret-box.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import type { Sidecar } from '../../sidecar/src/sidecar.ts';
import { startFakeShop } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { pluginRequest, startTestSidecar } from '../helpers/sidecar.ts';

const TOKEN = 'admin-token-for-secrets-at-rest-0123456';

/**
 * Secrets at rest: what a database dump shows of a connected shop (its REST key, its shared secret,
 * the link-signing key, the loyalty events key) is sealed, never the secret; a database from before
 * sealing is sealed at start; a re-key seals everything with the new key; a sidecar with another
 * key refuses to start. Read straight from the tables, as anyone with the dump would.
 */
describe('secrets at rest', async () => {
  const { database, url } = await createTestDatabase('secrets_at_rest');
  const pool = database.pool;
  const shop = await startFakeShop();
  const started: Sidecar[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const sidecar = await startTestSidecar(url, { env: { COMEBACK_ADMIN_TOKEN: TOKEN, ...env } });
    started.push(sidecar);
    return sidecar;
  };
  afterAll(async () => {
    for (const sidecar of started) await sidecar.stop().catch(() => undefined);
    await shop.close();
  });
  const dump = async () => {
    const [shops] = await pool.query<RowDataPacket[]>('SELECT * FROM shops');
    const [settings] = await pool.query<RowDataPacket[]>('SELECT * FROM settings');
    return JSON.stringify([shops, settings]);
  };
  const box = new SecretBox(embeddedSecretKey('.comeback'));
  const linkSecret = async () => {
    const [rows] = await pool.query<RowDataPacket[]>("SELECT value FROM settings WHERE shop_id = 0 AND `key` = 'link_secret'");
    return JSON.parse(String(rows[0]!.value)).secret as string;
  };

  let shopId = 0;
  let sharedSecret = '';
  let eventsKey = '';

  it('stores no secret in plain: the REST key’s secret, the shared secret, the link-signing key, the events key', async () => {
    const sidecar = await start();
    const connected = await request(sidecar.url)
      .post('/api/shops')
      .set('authorization', `Bearer ${TOKEN}`)
      .send({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret })
      .expect(201);
    shopId = connected.body.shop.id;
    sharedSecret = connected.body.sharedSecret;
    eventsKey = (
      await request(sidecar.url)
        .get('/api/settings/loyalty')
        .set('authorization', `Bearer ${TOKEN}`)
        .set('x-comeback-shop-id', String(shopId))
    ).body.eventsKey;
    expect(eventsKey).toMatch(/^cbev_/);

    const raw = await dump();
    const plainLinkSecret = box.open(await linkSecret());
    for (const secret of [shop.consumerSecret, sharedSecret, eventsKey, plainLinkSecret]) {
      expect(secret.length).toBeGreaterThan(20);
      expect(raw).not.toContain(secret);
    }
    const [[row]] = await pool.query<RowDataPacket[]>('SELECT webhook_secret, consumer_secret FROM shops WHERE id = ?', [shopId]);
    for (const sealed of [row!.webhook_secret, row!.consumer_secret, await linkSecret()]) {
      expect(sealed).toMatch(new RegExp(`^cbs1\\.${box.keyId}\\.[\\w-]{16}\\.[\\w-]{22}\\.[\\w-]+$`));
    }
    // Each value its own IV: the same secret sealed twice reads differently.
    expect(box.seal(sharedSecret)).not.toBe(box.seal(sharedSecret));
    // And everything still works with them: the plugin's signature, the REST key, the events key.
    await pluginRequest(sidecar.url, { url: shop.url, secret: sharedSecret })('get', '/api/shop/connection').expect(200);
    await sidecar.stop();
  });

  it('seals the secrets of a database from before sealing at start, once', async () => {
    await pool.query('UPDATE shops SET webhook_secret = ?, consumer_secret = ? WHERE id = ?', [sharedSecret, shop.consumerSecret, shopId]);
    await pool.query("UPDATE settings SET value = JSON_OBJECT('eventsKey', ?) WHERE shop_id = ? AND `key` = 'loyalty'", [
      eventsKey,
      shopId,
    ]);
    expect(await dump()).toContain(sharedSecret);
    const sidecar = await start();
    const raw = await dump();
    for (const secret of [shop.consumerSecret, sharedSecret, eventsKey]) expect(raw).not.toContain(secret);
    await pluginRequest(sidecar.url, { url: shop.url, secret: sharedSecret })('get', '/api/shop/connection').expect(200);
    const loyalty = await request(sidecar.url)
      .get('/api/settings/loyalty')
      .set('authorization', `Bearer ${TOKEN}`)
      .set('x-comeback-shop-id', String(shopId));
    expect(loyalty.body.eventsKey).toBe(eventsKey);
    await sidecar.stop();
    // Again: nothing left to seal, nothing written.
    const before = await dump();
    await (await start()).stop();
    expect(await dump()).toBe(before);
  });

  it('re-keys: started with a new key and the previous one, every secret is sealed with the new key; the old key alone no longer starts', async () => {
    // A rotation confirmed (its old secret kept for late webhooks) and another one waiting: those columns are re-keyed too.
    const before = await start();
    const admin = (path: string) =>
      request(before.url).post(path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId)).expect(200);
    sharedSecret = (await admin('/api/shop/secret/rotate')).body.secret;
    await admin('/api/shop/secret/confirm');
    const pending: string = (await admin('/api/shop/secret/rotate')).body.secret;
    await before.stop();
    const columns = 'webhook_secret, consumer_secret, next_secret, previous_secret';
    const newKey = randomBytes(32).toString('base64');
    const previous = embeddedSecretKey('.comeback').toString('base64');
    const sidecar = await start({ COMEBACK_SECRET_KEY: newKey, COMEBACK_SECRET_KEY_PREVIOUS: previous });
    const newId = keyIdOf(Buffer.from(newKey, 'base64'));
    const [[row]] = await pool.query<RowDataPacket[]>(`SELECT ${columns} FROM shops WHERE id = ?`, [shopId]);
    for (const sealed of [...Object.values(row!), await linkSecret()]) expect(String(sealed).split('.')[1]).toBe(newId);
    await pluginRequest(sidecar.url, { url: shop.url, secret: sharedSecret })('get', '/api/shop/connection').expect(200);
    await pluginRequest(sidecar.url, { url: shop.url, secret: pending })('get', '/api/shop/connection').expect(200);
    await sidecar.stop();

    await expect(start({ COMEBACK_SECRET_KEY: previous })).rejects.toThrow(/sealed with another key than COMEBACK_SECRET_KEY/);
    const after = await start({ COMEBACK_SECRET_KEY: newKey });
    await pluginRequest(after.url, { url: shop.url, secret: sharedSecret })('get', '/api/shop/connection').expect(200);
    await after.stop();

    // The same without starting a sidecar: npm run rekey.
    const third = randomBytes(32).toString('hex');
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'sidecar/src/db/rekey-cli.ts'], {
      env: {
        ...process.env,
        COMEBACK_DATABASE_URL: url,
        COMEBACK_SECRET_KEY: third,
        COMEBACK_SECRET_KEY_PREVIOUS: newKey,
        COMEBACK_LOG_LEVEL: 'silent',
      },
      encoding: 'utf8',
    });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toMatch(/^re-keyed: [1-9]\d* secret\(s\) sealed with the new key/);
    const thirdId = keyIdOf(Buffer.from(third, 'hex'));
    const [[again]] = await pool.query<RowDataPacket[]>(`SELECT ${columns} FROM shops WHERE id = ?`, [shopId]);
    for (const sealed of [...Object.values(again!), await linkSecret()]) expect(String(sealed).split('.')[1]).toBe(thirdId);
    const last = await start({ COMEBACK_SECRET_KEY: third });
    await pluginRequest(last.url, { url: shop.url, secret: sharedSecret })('get', '/api/shop/connection').expect(200);
    await last.stop();
  });

  it('never writes a secret into the log', () => {
    let written = '';
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _encoding, done) {
          written += String(chunk);
          done();
        },
      }),
    );
    logger.info({ consumerSecret: 'cs_1', shop: { sharedSecret: 'ss_2', eventsKey: 'cbev_3' }, config: { secretKey: 'k_4' } }, 'connected');
    expect(written).toContain('[redacted]');
    for (const secret of ['cs_1', 'ss_2', 'cbev_3', 'k_4']) expect(written).not.toContain(secret);
  });
});
