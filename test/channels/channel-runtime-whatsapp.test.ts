import { grantConsent } from '../helpers/consent.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeWhatsApp, WHATSAPP_FIXTURES } from '../fakes/fake-whatsapp.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { consentOf, createShop, CUSTOMER, outboxRow, queue, runtimeFor, statusesOf, WHATSAPP } from './channel-runtime-setup.ts';
import { TEMPLATE } from './sample-messages.ts';
import { metaSignature as sign, postWhatsApp, whatsAppDelivery as delivery } from './webhook-requests.ts';
const seconds = (date: Date) => String(Math.floor(date.getTime() / 1000));

describe('WhatsApp through the channel runtime (a fake Graph API over HTTP)', async () => {
  const { database } = await createTestDatabase('channel_runtime_whatsapp');
  const pool = database.pool;
  const meta = await startFakeWhatsApp({ phoneNumberId: WHATSAPP.phoneNumberId, accessToken: WHATSAPP.accessToken });
  const { runtime, undeliverable, http } = runtimeFor(database, { whatsAppUrl: meta.url });
  afterAll(async () => {
    await runtime.close();
    await meta.close();
  });
  const shopId = await createShop(pool);
  beforeEach(async () => {
    await pool.query('DELETE FROM outbox');
    undeliverable.length = 0;
  });
  let customers = 10;
  /** A number of its own for each test: the pair rate and the window are per number. */
  const nextCustomer = () => `+485000000${++customers}`;

  const post = (body: unknown, signature?: string) => postWhatsApp(http, body, signature);
  const requestsTo = (number: string) => meta.requests.filter((r) => r.body.to === number.slice(1));

  it('sends the approved template with the rendered parameters outside the 24-hour window', async () => {
    expect(runtime.configured).toEqual({ email: true, sms: false, whatsapp: true });
    const { id } = await queue(pool, { shopId, channel: 'whatsapp', to: CUSTOMER, payload: { template: TEMPLATE } });
    expect(await runtime.dispatch(10)).toMatchObject({ claimed: 1, sent: 1 });
    const row = await outboxRow(pool, id);
    expect(row.status).toBe('sent');
    expect(row.provider_message_id).toMatch(/^wamid\./);
    expect(JSON.parse(String(row.payload))).toEqual({ template: TEMPLATE, sentAs: 'template' });
    const request = meta.requests.at(-1)!;
    expect(request.path).toBe(`/v21.0/${WHATSAPP.phoneNumberId}/messages`);
    expect(request.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '48500000001',
      type: 'template',
      template: {
        name: 'cart_reminder',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: TEMPLATE.parameters.map((text) => ({ type: 'text', text })) }],
      },
    });
  });

  it('sends free text once the customer wrote within 24 hours (the inbound message opens the window)', async () => {
    const to = nextCustomer();
    const wroteAt = new Date(Date.now() - 60 * 60_000);
    await post(delivery('webhook-inbound-text.json', { from: to.slice(1), id: `wamid.in-${to}`, timestamp: seconds(wroteAt) })).expect(200);
    const [conversation] = await pool.query<RowDataPacket[]>(
      `SELECT last_inbound_at FROM conversations WHERE shop_id = ? AND channel = 'whatsapp' AND address = ?`,
      [shopId, to],
    );
    expect((conversation[0]!.last_inbound_at as Date).getTime()).toBe(Number(seconds(wroteAt)) * 1000);
    // Writing to us is not consent to reminders.
    expect(await consentOf(pool, shopId, 'whatsapp', to)).toBeUndefined();

    meta.openWindow(to);
    const { id } = await queue(pool, { shopId, channel: 'whatsapp', to, text: 'Your cart is waiting', payload: { template: TEMPLATE } });
    expect(await runtime.dispatch(10)).toMatchObject({ sent: 1 });
    expect(JSON.parse(String((await outboxRow(pool, id)).payload)).sentAs).toBe('text');
    expect(requestsTo(to).map((r) => r.body)).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: to.slice(1),
        type: 'text',
        text: { preview_url: true, body: 'Your cart is waiting' },
      },
    ]);

    // A window that closed 25 hours ago is closed: the template again.
    const stale = nextCustomer();
    await post(
      delivery('webhook-inbound-text.json', {
        from: stale.slice(1),
        id: `wamid.in-${stale}`,
        timestamp: seconds(new Date(Date.now() - 25 * 60 * 60_000)),
      }),
    ).expect(200);
    await queue(pool, { shopId, channel: 'whatsapp', to: stale, payload: { template: TEMPLATE } });
    await runtime.dispatch(10);
    expect(requestsTo(stale).map((r) => r.body.type)).toEqual(['template']);
  });

  it('stores an inbound message once, however often Meta delivers it', async () => {
    const to = nextCustomer();
    const body = delivery('webhook-inbound-text.json', { from: to.slice(1), id: `wamid.once-${to}`, timestamp: seconds(new Date()) });
    await post(body).expect(200);
    await post(body).expect(200);
    const [rows] = await pool.query<RowDataPacket[]>('SELECT body, kind FROM inbound_messages WHERE provider_message_id = ?', [
      `wamid.once-${to}`,
    ]);
    expect(rows.map((r) => [r.body, r.kind])).toEqual([['Paid already, thanks', 'text']]);
  });

  it('fails a row Meta will not deliver on WhatsApp (131047) and tells the flow', async () => {
    meta.failNext('131047_sync_variant');
    const { id } = await queue(pool, {
      shopId,
      channel: 'whatsapp',
      to: nextCustomer(),
      payload: { template: TEMPLATE },
      enrollmentId: 5,
      step: 0,
    });
    expect(await runtime.dispatch(10)).toMatchObject({ failed: 1 });
    const row = await outboxRow(pool, id);
    expect(row.last_error).toMatch(/^permanent use_next_channel: .*131047/);
    expect(undeliverable).toEqual([{ outboxId: id, shopId, enrollmentId: 5, step: 0, channel: 'whatsapp', reason: row.last_error }]);

    // Outside the window with no template there is nothing WhatsApp may carry.
    const bare = await queue(pool, { shopId, channel: 'whatsapp', to: nextCustomer() });
    await runtime.dispatch(10);
    expect(await outboxRow(pool, bare.id)).toMatchObject({
      status: 'failed',
      last_error: expect.stringMatching(/use_next_channel: outside the 24-hour service window/),
    });
    expect(undeliverable.map((u) => u.outboxId)).toEqual([id, bare.id]);
  });

  it('fails a refused template with its name in the reason, and retries Meta’s rate limits later', async () => {
    meta.failNext('132001');
    const refused = await queue(pool, { shopId, channel: 'whatsapp', to: nextCustomer(), payload: { template: TEMPLATE } });
    await runtime.dispatch(10);
    expect((await outboxRow(pool, refused.id)).last_error).toMatch(/^permanent rejected: template "cart_reminder" \(en_US\): .*132001/);

    // Two rows to two numbers go out at once: which of them meets which answer is not fixed.
    meta.failNext('131056', '130429');
    const limited = [
      await queue(pool, { shopId, channel: 'whatsapp', to: nextCustomer(), payload: { template: TEMPLATE } }),
      await queue(pool, { shopId, channel: 'whatsapp', to: nextCustomer(), payload: { template: TEMPLATE } }),
    ];
    const dispatchedAt = Date.now();
    expect(await runtime.dispatch(10)).toMatchObject({ claimed: 2, retried: 2 });
    const rows = [];
    for (const { id } of limited) {
      const row = await outboxRow(pool, id);
      expect(row.status).toBe('retry');
      expect((row.next_attempt_at as Date).getTime()).toBeGreaterThanOrEqual(dispatchedAt + 6_000);
      rows.push(String(row.last_error));
    }
    expect(rows.sort()).toEqual([
      expect.stringMatching(/^retryable pair_rate: .*131056/),
      expect.stringMatching(/^retryable transient: .*130429/),
    ]);
  });

  it('postpones a second message to the same number within 6 s: not sent, not failed', async () => {
    const to = nextCustomer();
    const first = await queue(pool, { shopId, channel: 'whatsapp', to, payload: { template: TEMPLATE } });
    const second = await queue(pool, { shopId, channel: 'whatsapp', to, payload: { template: TEMPLATE } });
    expect(await runtime.dispatch(10)).toEqual({ claimed: 2, sent: 1, retried: 1, failed: 0 });
    expect(requestsTo(to)).toHaveLength(1);
    const [sent, held] = [await outboxRow(pool, first.id), await outboxRow(pool, second.id)];
    const [done, waiting] = sent.status === 'sent' ? [sent, held] : [held, sent];
    expect(done.status).toBe('sent');
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0, provider_message_id: null });
    expect((waiting.next_attempt_at as Date).getTime()).toBeGreaterThanOrEqual((done.sent_at as Date).getTime() + 6_000);
    expect(undeliverable).toEqual([]);
    expect(await runtime.dispatch(10)).toMatchObject({ claimed: 0 }); // not due yet
  });

  it('records signed statuses on the row (forward only) and refuses unsigned or malformed deliveries', async () => {
    const { id } = await queue(pool, { shopId, channel: 'whatsapp', to: nextCustomer(), payload: { template: TEMPLATE } });
    await runtime.dispatch(10);
    const wamid = String((await outboxRow(pool, id)).provider_message_id);
    const status = (file: string) => delivery(file, { id: wamid });

    const unsigned = JSON.stringify(status('webhook-status-delivered.json'));
    await http().post('/webhooks/whatsapp').set('content-type', 'application/json').send(unsigned).expect(401);
    await post(status('webhook-status-delivered.json'), sign(unsigned, 'another-secret')).expect(401);
    expect(await statusesOf(pool, id)).toEqual([]);

    await post(status('webhook-status-sent.json')).expect(200);
    await post(status('webhook-status-read.json')).expect(200);
    await post(status('webhook-status-delivered.json')).expect(200); // late: read is already there
    const row = await outboxRow(pool, id);
    expect(row.delivery_status).toBe('read');
    expect((row.delivery_at as Date).getTime()).toBe(
      Number(status('webhook-status-read.json').entry[0]!.changes[0]!.value.statuses![0]!.timestamp) * 1000,
    );
    expect(await statusesOf(pool, id)).toEqual(['sent', 'read', 'delivered']);

    const broken = '{"object":';
    await http()
      .post('/webhooks/whatsapp')
      .set('content-type', 'application/json')
      .set('X-Hub-Signature-256', sign(broken))
      .send(broken)
      .expect(400);
    const huge = Buffer.alloc(1024 * 1024 + 10, 0x20);
    await http()
      .post('/webhooks/whatsapp')
      .set('content-type', 'application/json')
      .set('X-Hub-Signature-256', sign(huge))
      .send(huge)
      .expect(413);
  });

  it('tells the flow when Meta fails an accepted message later (131047, 131026), once', async () => {
    const rows = [];
    for (const file of ['webhook-status-failed-131047.json', 'webhook-status-failed-131026.json']) {
      const { id } = await queue(pool, {
        shopId,
        channel: 'whatsapp',
        to: nextCustomer(),
        payload: { template: TEMPLATE },
        enrollmentId: 9,
        step: 1,
      });
      await runtime.dispatch(10);
      const wamid = String((await outboxRow(pool, id)).provider_message_id);
      await post(delivery(file, { id: wamid })).expect(200);
      await post(delivery(file, { id: wamid })).expect(200);
      rows.push(id);
      expect(await outboxRow(pool, id)).toMatchObject({
        status: 'sent',
        delivery_status: 'failed',
        delivery_error: expect.stringMatching(/^1310(47|26) /),
      });
    }
    expect(undeliverable.map((u) => [u.outboxId, u.channel, u.enrollmentId, u.step])).toEqual(rows.map((id) => [id, 'whatsapp', 9, 1]));
    expect(undeliverable[0]!.reason).toMatch(/131047/);
  });

  it('answers the subscription check with the challenge for our verify token only', async () => {
    const query = new URL(readFileSync(join(WHATSAPP_FIXTURES, 'webhook-verify.http'), 'utf8').match(/^GET (\S+)/m)![1]!).search;
    const res = await http().get(`/webhooks/whatsapp${query}`).expect(200);
    expect(res.text).toBe('1158201444');
    await http()
      .get(`/webhooks/whatsapp${query.replace(WHATSAPP.verifyToken, 'guess')}`)
      .expect(403);
    await http().get('/webhooks/whatsapp').expect(403);
  });

  it('withdraws WhatsApp consent on an opt-out keyword; START lifts only that stop', async () => {
    const to = nextCustomer();
    await grantConsent(pool, shopId, { purpose: 'marketing', channel: 'whatsapp', address: to });
    const say = (text: string, n: number) =>
      post(
        delivery('webhook-inbound-text.json', {
          from: to.slice(1),
          id: `wamid.kw-${to}-${n}`,
          timestamp: seconds(new Date(Date.now() + n * 1000)),
          text: { body: text },
        }),
      ).expect(200);
    await say('Stop please, I paid', 1);
    expect(await consentOf(pool, shopId, 'whatsapp', to)).toEqual({ status: 'granted', source: 'import' });
    await say('STOP', 2);
    expect(await consentOf(pool, shopId, 'whatsapp', to)).toEqual({ status: 'withdrawn', source: 'keyword' });
    await say('start', 3);
    expect(await consentOf(pool, shopId, 'whatsapp', to)).toEqual({ status: 'granted', source: 'keyword' });

    // A stop from elsewhere (an unsubscribe link, the admin) is not lifted by a keyword.
    await pool.query(
      `UPDATE consents SET status = 'withdrawn', source = 'admin' WHERE shop_id = ? AND channel = 'whatsapp' AND address = ?`,
      [shopId, to],
    );
    await say('START', 4);
    expect(await consentOf(pool, shopId, 'whatsapp', to)).toEqual({ status: 'withdrawn', source: 'admin' });
  });
});
