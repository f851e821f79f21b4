import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { bounceRoutes } from '../../sidecar/src/channels/smtp/bounce-routes.ts';
import { consentsAmong, mayContact, recordConsent, recordForEveryPurpose } from '../../sidecar/src/consent/consent.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { enqueueMessage } from '../../sidecar/src/messages/outbox.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { consentOf, createShop, outboxRow, runtimeFor, statusesOf } from './channel-runtime-setup.ts';
import { sampleEmail } from './sample-messages.ts';
import { startSmtpServer } from './smtp-server.ts';

const TOKEN = 'email-bounces-admin-token-0123456789';
/** A DSN as Postfix writes it (RFC 3464); its returned headers carry the Message-ID placeholder. */
const DSN = readFileSync(new URL('../fixtures/email/postfix-dsn-550-user-unknown.eml', import.meta.url), 'utf8');
const GONE = 'gone@customer.example.test';

/**
 * Email bounces as a real relay gives them: a 5xx to RCPT TO at send time (the real smtp-server
 * refusing the recipient) and, later, a delivery status notification posted to the intake. Either
 * way the message is 'bounced' with the server's words, and the address takes no more marketing.
 */
describe('email bounces', async () => {
  const { database } = await createTestDatabase('email_bounces');
  const pool = database.pool;
  const smtp = await startSmtpServer((address) => {
    if (address.startsWith('refused@')) return 550;
    if (address.startsWith('mailbox-busy@')) return 450;
    return undefined;
  });
  const { runtime, undeliverable } = runtimeFor(database, { smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
  // The log at the default level, as a merchant's admin reads it.
  const log: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void log.push(line) });
  const api = adminApi({ pool, adminToken: TOKEN, shopRoutes: [bounceRoutes({ pool, onUndeliverable: runtime.onUndeliverable, logger })] });
  const { app } = testApp(database, { routers: [api] });
  afterAll(async () => {
    await runtime.close();
    await smtp.close();
  });
  const shopId = await createShop(pool);
  const otherShop = await createShop(pool);
  beforeEach(async () => {
    await pool.query('DELETE FROM outbox');
    await pool.query('DELETE FROM consents');
    undeliverable.length = 0;
  });

  const queueEmail = (to: string, shop = shopId) =>
    enqueueMessage(pool, { idempotencyKey: `test:${randomUUID()}`, shopId: shop, enrollmentId: 7, step: 1, ...sampleEmail({ to }) });
  const postReport = (body: string, shop = shopId) =>
    request(app)
      .post('/api/email/bounces')
      .set('authorization', `Bearer ${TOKEN}`)
      .set('x-comeback-shop-id', String(shop))
      .set('content-type', 'message/rfc822')
      .send(body);
  const mayMarket = async (address: string) =>
    mayContact('email', 'marketing', (await consentsAmong(pool, shopId, 'marketing', 'email', [address])).get(address));

  it('records a recipient refused with 550 as bounced with the relay’s reply, not retried, and keeps it from marketing', async () => {
    const { id } = await queueEmail('refused@customer.example.test');
    expect(await runtime.dispatch(10)).toMatchObject({ claimed: 1, sent: 0, retried: 0, failed: 1 });
    const row = await outboxRow(pool, id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, delivery_status: 'bounced', next_attempt_at: null });
    expect(String(row.delivery_error)).toMatch(/^550 .*refused@customer\.example\.test refused/);
    expect(await statusesOf(pool, id)).toEqual(['bounced']);
    expect(await consentOf(pool, shopId, 'email', 'refused@customer.example.test')).toEqual({ status: 'bounced', source: 'bounce' });
    expect(await mayMarket('refused@customer.example.test')).toEqual({ ok: false, reason: 'bounced' });
    // Mail about the customer's own order may still be tried.
    expect(mayContact('email', 'order', { status: 'bounced', source: 'bounce', changedAt: new Date() })).toEqual({ ok: true });
    // Nor is a cart reminder sent to it.
    expect(await consentOf(pool, shopId, 'email', 'refused@customer.example.test', 'cart')).toEqual({
      status: 'bounced',
      source: 'bounce',
    });
    expect(undeliverable).toMatchObject([{ outboxId: id, shopId, enrollmentId: 7, step: 1, channel: 'email' }]);
  });

  it('retries a recipient deferred with 450, and records no bounce', async () => {
    const { id } = await queueEmail('mailbox-busy@customer.example.test');
    expect(await runtime.dispatch(10)).toMatchObject({ claimed: 1, sent: 0, retried: 1, failed: 0 });
    const row = await outboxRow(pool, id);
    expect(row).toMatchObject({ status: 'retry', delivery_status: null });
    expect(await statusesOf(pool, id)).toEqual([]);
    expect(await consentOf(pool, shopId, 'email', 'mailbox-busy@customer.example.test')).toBeUndefined();
    expect(undeliverable).toEqual([]);
  });

  it('takes in a delivery status notification: the sent message becomes bounced with the diagnostic code, once', async () => {
    const { id } = await queueEmail(GONE);
    expect(await runtime.dispatch(10)).toMatchObject({ sent: 1 });
    const messageId = String((await outboxRow(pool, id)).provider_message_id);
    const report = DSN.replace('<{{ORIGINAL_MESSAGE_ID}}>', messageId);

    const taken = await postReport(report).expect(200);
    expect(taken.body).toEqual({ matched: true, outboxId: id, recorded: ['bounced'] });
    const row = await outboxRow(pool, id);
    expect(row).toMatchObject({ status: 'sent', delivery_status: 'bounced' });
    expect(row.delivery_error).toBe(
      '550 5.1.1 <gone@customer.example.test>: Recipient address rejected: User unknown in virtual mailbox table',
    );
    const [statuses] = await pool.query<RowDataPacket[]>('SELECT status, error_code FROM message_statuses WHERE outbox_id = ?', [id]);
    expect(statuses).toEqual([{ status: 'bounced', error_code: '5.1.1' }]);
    expect(await consentOf(pool, shopId, 'email', GONE)).toEqual({ status: 'bounced', source: 'bounce' });
    expect(undeliverable).toMatchObject([{ outboxId: id, channel: 'email', reason: 'email bounced (5.1.1)' }]);
    const logged = log.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toMatchObject([
      { level: 30, msg: 'email delivery status notification recorded', shopId, outboxId: id, recorded: ['bounced'] },
    ]);
    expect(log.join('')).not.toContain(GONE);

    // The relay posts it again: nothing new.
    await postReport(report).expect(200);
    expect(await statusesOf(pool, id)).toEqual(['bounced']);
    expect(undeliverable).toHaveLength(1);
  });

  it('takes only authenticated reports about the shop’s own messages, and refuses what is no report', async () => {
    const { id } = await queueEmail(GONE, otherShop);
    expect(await runtime.dispatch(10)).toMatchObject({ sent: 1 });
    const report = DSN.replace('<{{ORIGINAL_MESSAGE_ID}}>', String((await outboxRow(pool, id)).provider_message_id));
    await request(app).post('/api/email/bounces').set('x-comeback-shop-id', String(shopId)).send(report).expect(401);
    // Another shop's message: taken in (so the relay does not retry) and dropped.
    expect((await postReport(report, shopId).expect(200)).body).toEqual({ matched: false, outboxId: null, recorded: [] });
    expect((await outboxRow(pool, id)).delivery_status).toBeNull();
    const plain = 'From: a@example.test\r\nTo: b@example.test\r\nSubject: hello\r\n\r\nNot a report.\r\n';
    expect((await postReport(plain).expect(400)).body.error.code).toBe('not_a_delivery_report');
  });

  it('never lets a bounce take the place of an opt-out', async () => {
    await recordForEveryPurpose(pool, { shopId, channel: 'email', address: GONE, status: 'withdrawn', source: 'unsubscribe' });
    await recordConsent(pool, { shopId, purpose: 'order', channel: 'email', address: GONE, status: 'bounced', source: 'bounce' });
    expect(await consentOf(pool, shopId, 'email', GONE, 'order')).toEqual({ status: 'withdrawn', source: 'unsubscribe' });
    expect(mayContact('email', 'order', (await consentsAmong(pool, shopId, 'order', 'email', [GONE])).get(GONE))).toEqual({
      ok: false,
      reason: 'withdrawn',
    });
  });
});
