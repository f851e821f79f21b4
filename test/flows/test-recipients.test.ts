import { createServer } from 'node:http';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { previewRoutes } from '../../sidecar/src/flows/admin/preview-routes.ts';
import {
  CONFIRMATIONS_PER_DAY,
  MAX_PENDING_TEST_RECIPIENTS,
  testRecipientConfirmRoutes,
  testRecipientRoutes,
} from '../../sidecar/src/flows/admin/test-recipients.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { eraseShopRows } from '../../sidecar/src/woo/shop-erase-store.ts';
import { saveShopEmail } from '../../sidecar/src/woo/shop-profile.ts';
import { testApp } from '../helpers/app.ts';
import { pluginRequest } from '../helpers/sidecar.ts';
import { customerFlowShop, LINK_SECRET } from './customer-flow-setup.ts';

const TOKEN = 'admin-token-for-test-recipient-tests-0123';
const REASON = 'Add and confirm this address under Test recipients first.';

/**
 * The test send is no relay: with the admin token (the sidecar's own /admin) a test goes only to
 * the shop's own sender address or to an address the merchant added and confirmed from its inbox
 * (a link whose page has a button; only the button's POST confirms). The plugin's signed request
 * keeps its own rule (the manager's own address, checked in WordPress).
 */
describe('test recipients: verified addresses only for test sends', async () => {
  const { database, pool, shop, shopId, rows } = await customerFlowShop('test-recipients', new Date());
  let publicUrl = '';
  const channels = { email: true, sms: false, whatsapp: false };
  const messageDeps = {
    pool,
    publicUrl: () => publicUrl,
    linkSecret: LINK_SECRET,
    linkTtlDays: 30,
    from: 'sidecar@example.test',
    channels: () => channels,
  };
  const { app } = testApp(database, {
    routers: [
      adminApi({
        pool,
        adminToken: TOKEN,
        shopRoutes: [previewRoutes(messageDeps), testRecipientRoutes(messageDeps)],
      }),
      testRecipientConfirmRoutes(messageDeps),
    ],
  });
  const server = createServer(app).listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  publicUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const admin = (method: 'get' | 'post', path: string) =>
    request(app)[method](path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));
  const testTo = (to: string) => admin('post', '/api/previews/test').send({ flow: 'win-back', channel: 'email', to });
  /** The confirmation email queued for an address: its text and link, as the recipient gets it. */
  const confirmationTo = async (address: string) => {
    const [mail] = await rows("SELECT subject, body_text FROM outbox WHERE recipient = ? AND idempotency_key LIKE 'test-recipient:%'", [
      address,
    ]);
    return { subject: String(mail?.subject), link: /http:\/\/127\.0\.0\.1:\d+\/t\/[A-Za-z0-9_.-]+/.exec(String(mail?.body_text))?.[0] };
  };

  it("refuses the admin token's test to an address nobody confirmed, and to a number, saying what to do", async () => {
    const refused = await testTo('stranger@example.test').expect(403);
    expect(refused.body.error).toMatchObject({ code: 'unverified_recipient', message: REASON });
    await admin('post', '/api/recovery/test').send({ gateway: 'online', to: 'stranger@example.test' }).expect(403);
    channels.sms = true;
    const text = await admin('post', '/api/previews/test').send({ flow: 'win-back', channel: 'sms', to: '+48 500 000 009' }).expect(403);
    expect(text.body.error.message).toBe('Add and confirm this number under Test recipients first.');
    expect(await rows("SELECT id FROM outbox WHERE recipient IN ('stranger@example.test', '+48500000009')")).toEqual([]);
  });

  it("sends to the shop's own sender address without a confirmation, and lists it", async () => {
    await saveShopEmail(pool, shopId, { fromAddress: 'Owner@Fixture-Shop.test' }, 'plugin');
    await testTo('owner@fixture-shop.test').expect(202);
    expect((await admin('get', '/api/test-recipients').expect(200)).body.recipients).toEqual([
      { id: null, channel: 'email', address: 'owner@fixture-shop.test', state: 'shop' },
    ]);
  });

  it('adds an address, mails it a link whose GET only shows a button; the POST confirms it and the test goes', async () => {
    const added = await admin('post', '/api/test-recipients').send({ address: 'Editor@Example.test' }).expect(201);
    const row = added.body.recipients.find((r: { address: string }) => r.address === 'editor@example.test');
    expect(row).toMatchObject({ channel: 'email', state: 'pending' });
    await testTo('editor@example.test').expect(403);

    const mail = await confirmationTo('editor@example.test');
    expect(mail.subject).toMatch(/^Confirm test messages from /);
    expect(mail.link).toBeDefined();
    // A mail scanner fetching the link confirms nothing.
    const page = await fetch(mail.link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button type="submit"');
    await testTo('editor@example.test').expect(403);

    const confirmed = await fetch(mail.link!, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('can now send its test messages to editor@example.test');
    const sent = await testTo('EDITOR@example.test').expect(202);
    expect((await rows('SELECT subject FROM outbox WHERE id = ?', [sent.body.outboxId]))[0]!.subject).toMatch(/^\[Test\] /);
    await admin('post', '/api/recovery/test').send({ gateway: 'online', to: 'editor@example.test' }).expect(202);
    expect((await admin('get', '/api/test-recipients').expect(200)).body.recipients).toContainEqual({ ...row, state: 'verified' });

    // Removed, it takes no more tests, and its old link confirms nothing.
    await admin('post', `/api/test-recipients/${row.id}/remove`).expect(200);
    expect((await fetch(mail.link!, { method: 'POST' })).status).toBe(400);
    await testTo('editor@example.test').expect(403);
  });

  it('adds a number only with SMS set up, and confirms it by the 6-digit code texted to it; a wrong code confirms nothing', async () => {
    channels.sms = false;
    const unset = await admin('post', '/api/test-recipients').send({ address: '+48 500 000 003' }).expect(409);
    expect(unset.body.error.message).toMatch(/SMS is not set up yet/);
    channels.sms = true;
    const added = await admin('post', '/api/test-recipients').send({ address: '+48 500 000 003' }).expect(201);
    const row = added.body.recipients.find((r: { address: string }) => r.address === '+48500000003');
    expect(row).toMatchObject({ channel: 'phone', state: 'pending' });
    const [sms] = await rows(
      "SELECT channel, body_text FROM outbox WHERE recipient = '+48500000003' AND idempotency_key LIKE 'test-recipient:%'",
    );
    expect(sms).toMatchObject({ channel: 'sms' });
    const code = /^(\d{6}) is your code/.exec(String(sms!.body_text))![1]!;
    // Asking again while the code is good texts nothing more.
    await admin('post', '/api/test-recipients').send({ address: '+48500000003' }).expect(200);
    expect(await rows("SELECT id FROM outbox WHERE recipient = '+48500000003'")).toHaveLength(1);

    const wrong = code === '000000' ? '000001' : '000000';
    const refused = await admin('post', `/api/test-recipients/${row.id}/verify`).send({ code: wrong }).expect(422);
    expect(refused.body.error.code).toBe('wrong_code');
    await admin('post', '/api/previews/test').send({ flow: 'win-back', channel: 'sms', to: '+48500000003' }).expect(403);
    await admin('post', `/api/test-recipients/${row.id}/verify`).send({ code }).expect(200);
    const sent = await admin('post', '/api/previews/test').send({ flow: 'win-back', channel: 'sms', to: '+48 500 000 003' }).expect(202);
    expect((await rows('SELECT body_text FROM outbox WHERE id = ?', [sent.body.outboxId]))[0]!.body_text).toMatch(/^\[Test\] /);
    await admin('post', `/api/test-recipients/${row.id}/remove`).expect(200);
  });

  it('spends a code after five wrong tries', async () => {
    const added = await admin('post', '/api/test-recipients').send({ address: '+48 500 000 004' }).expect(201);
    const row = added.body.recipients.find((r: { address: string }) => r.address === '+48500000004');
    const [sms] = await rows("SELECT body_text FROM outbox WHERE recipient = '+48500000004'");
    const code = /^(\d{6})/.exec(String(sms!.body_text))![1]!;
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) await admin('post', `/api/test-recipients/${row.id}/verify`).send({ code: wrong }).expect(422);
    const spent = await admin('post', `/api/test-recipients/${row.id}/verify`).send({ code }).expect(422);
    expect(spent.body.error.code).toBe('code_expired');
    await admin('post', `/api/test-recipients/${row.id}/remove`).expect(200);
  });

  it('limits the addresses waiting for a confirmation, and refuses a link of another kind', async () => {
    for (let i = 0; i < MAX_PENDING_TEST_RECIPIENTS; i++)
      await admin('post', '/api/test-recipients')
        .send({ address: `p${i}@example.test` })
        .expect(201);
    const refused = await admin('post', '/api/test-recipients').send({ address: 'one-more@example.test' }).expect(409);
    expect(refused.body.error.message).toMatch(/waiting for their confirmation/);
    await admin('post', '/api/test-recipients').send({ address: 'two@example.test, three@example.test' }).expect(400);
    // Removing and adding again sends more confirmations, up to a day's share for the shop.
    const sent = (await rows("SELECT id FROM outbox WHERE idempotency_key LIKE 'test-recipient:%'")).length;
    for (let i = sent; i < CONFIRMATIONS_PER_DAY; i++) {
      const [pending] = await rows('SELECT id FROM test_recipients WHERE shop_id = ? AND verified_at IS NULL ORDER BY id LIMIT 1', [
        shopId,
      ]);
      await admin('post', `/api/test-recipients/${pending!.id}/remove`).expect(200);
      await admin('post', '/api/test-recipients')
        .send({ address: `again${i}@example.test` })
        .expect(201);
    }
    const limited = await admin('post', '/api/test-recipients').send({ address: 'p0@example.test' }).expect(429);
    expect(limited.body.error.code).toBe('too_many_confirmations');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(80_000);
    expect((await fetch(`${publicUrl}/t/not-a-token`)).status).toBe(400);
  });

  it("keeps the plugin's own rule: its signed test request (the manager's own address) is trusted", async () => {
    const plugin = pluginRequest(publicUrl, { url: shop.url, secret: 'secret' });
    await plugin('post', '/api/previews/test', { flow: 'win-back', channel: 'email', to: 'manager@example.test' }).expect(202);
  });

  it('forgets the test recipients with the shop', async () => {
    expect((await rows('SELECT id FROM test_recipients WHERE shop_id = ?', [shopId])).length).toBeGreaterThan(0);
    await eraseShopRows(pool, shopId);
    expect(await rows('SELECT id FROM test_recipients WHERE shop_id = ?', [shopId])).toEqual([]);
    server.close();
  });
});
