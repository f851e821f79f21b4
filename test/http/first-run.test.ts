import type { ResultSetHeader } from 'mysql2/promise';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECOVERY, saveRecoverySettings } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { firstRunRoutes } from '../../sidecar/src/setup/first-run-routes.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';

const TOKEN = 'admin-token-for-first-run-tests-0123456789';

/**
 * The first-run checklist follows what the shop has: each item turns done when the thing it asks
 * for is there (a working connection, a test actually sent, reminders on), the two judgements when
 * the merchant ticks them, and the whole list is done only when all five are.
 */
describe('the first-run checklist', async () => {
  const { database } = await createTestDatabase('first_run');
  const { pool } = database;
  const [shop] = await pool.query<ResultSetHeader>(
    "INSERT INTO shops (url, webhook_secret, timezone) VALUES ('https://first-run.example.test', 's', 'UTC')",
  );
  const shopId = shop.insertId;
  const { app } = testApp(database, { routers: [adminApi({ pool, adminToken: TOKEN, shopRoutes: [firstRunRoutes({ pool })] })] });
  const call = (method: 'get' | 'post', path: string) =>
    request(app)[method](path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));
  const checklist = async () =>
    (await call('get', '/api/setup/first-run').expect(200)).body as {
      done: boolean;
      items: Array<{ key: string; done: boolean }>;
    };
  const doneItems = async () => (await checklist()).items.filter((i) => i.done).map((i) => i.key);
  const webhooks = (status: string) =>
    JSON.stringify(['order.created', 'order.updated'].map((topic, i) => ({ topic, id: i + 1, status, action: 'unchanged' })));

  it('starts with nothing done, in the order a merchant goes', async () => {
    expect(await checklist()).toEqual({
      done: false,
      items: ['connect', 'sender', 'reminder', 'test', 'switch-on'].map((key) => ({ key, done: false })),
    });
  });

  it('counts the shop connected only with a key and active webhooks', async () => {
    await pool.query("UPDATE shops SET consumer_key = 'ck_1', consumer_secret = 'cs_1', webhooks = ? WHERE id = ?", [
      webhooks('disabled'),
      shopId,
    ]);
    expect(await doneItems()).toEqual([]);
    await pool.query('UPDATE shops SET webhooks = ? WHERE id = ?', [webhooks('active'), shopId]);
    expect(await doneItems()).toEqual(['connect']);
    // A key WooCommerce stopped accepting is not a connection.
    await pool.query("UPDATE shops SET connection_error = 'The REST key was revoked' WHERE id = ?", [shopId]);
    expect(await doneItems()).toEqual([]);
    await pool.query('UPDATE shops SET connection_error = NULL WHERE id = ?', [shopId]);
  });

  it('ticks the two judgements by hand, and only those', async () => {
    await call('post', '/api/setup/first-run/sender').send({ done: true }).expect(200);
    await call('post', '/api/setup/first-run/reminder').send({ done: true }).expect(200);
    expect(await doneItems()).toEqual(['connect', 'sender', 'reminder']);
    const refused = await call('post', '/api/setup/first-run/test').send({ done: true }).expect(404);
    expect(refused.body.error.message).toContain('only sender and reminder are ticked by hand');
    await call('post', '/api/setup/first-run/sender').send({ done: 'yes' }).expect(400);
  });

  it('counts a test only once it was sent, and a customer’s message never', async () => {
    const insert = (key: string, status: string) =>
      pool.query(
        "INSERT INTO outbox (idempotency_key, shop_id, channel, recipient, subject, status) VALUES (?, ?, 'email', 'me@example.test', 'x', ?)",
        [key, shopId, status],
      );
    await insert('step:1:0:email', 'sent');
    await insert('test:queued', 'pending');
    expect(await doneItems()).not.toContain('test');
    await pool.query("UPDATE outbox SET status = 'sent' WHERE idempotency_key = 'test:queued'");
    expect(await doneItems()).toContain('test');
  });

  it('is done when reminders are switched on', async () => {
    expect((await checklist()).done).toBe(false);
    await saveRecoverySettings(pool, shopId, { ...DEFAULT_RECOVERY, enabled: true });
    expect(await checklist()).toEqual({ done: true, items: expect.arrayContaining([{ key: 'switch-on', done: true }]) });
  });
});
