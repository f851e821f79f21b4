import type { RowDataPacket } from 'mysql2/promise';
import { grantConsent } from '../helpers/consent.ts';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../sidecar/src/channels/twilio/signature.ts';
import { startFakeTwilio, twilioFixture } from '../fakes/fake-twilio.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { consentOf, createShop, CUSTOMER, outboxRow, queue, runtimeFor, statusesOf, TWILIO } from './channel-runtime-setup.ts';
import { postTwilio, TWILIO_INBOUND_URL as INBOUND_URL, TWILIO_STATUS_URL as STATUS_URL } from './webhook-requests.ts';

type Form = Record<string, string>;
const callbacks = twilioFixture<{ sequence_delivered: Array<{ form_params: Form }>; undelivered_30007: { form_params: Form } }>(
  'status-callbacks.json',
);
const inbound = twilioFixture<Record<string, { form_params: Form }>>('inbound-messages.json');
const keywords = twilioFixture<{ opt_out: string[]; opt_in: string[] }>('opt-out-keywords.json');

describe('SMS through the channel runtime (a fake Twilio over HTTP)', async () => {
  const { database } = await createTestDatabase('channel_runtime_sms');
  const pool = database.pool;
  const twilio = await startFakeTwilio({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken });
  // The log at the default level, as a merchant's admin reads it.
  const log: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void log.push(line) });
  const logLines = (msg: string) => log.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === msg);
  const { runtime, undeliverable, http } = runtimeFor(database, { twilioUrl: twilio.url, logger });
  afterAll(async () => {
    await runtime.close();
    await twilio.close();
  });
  const shopId = await createShop(pool);
  const otherShop = await createShop(pool);
  beforeEach(async () => {
    await pool.query('DELETE FROM outbox');
    undeliverable.length = 0;
    log.length = 0;
  });

  const post = (url: string, form: Form, signature?: string) => postTwilio(http, url, form, signature);

  /** Sends one SMS row and answers it with Twilio's message sid. */
  async function sentSms(text?: string) {
    const { id } = await queue(pool, { shopId, channel: 'sms', enrollmentId: 7, step: 1, ...(text ? { text } : {}) });
    expect(await runtime.dispatch(10)).toMatchObject({ claimed: 1, sent: 1 });
    return { id, sid: String((await outboxRow(pool, id)).provider_message_id) };
  }

  it('sends a row in Twilio’s wire format, with the StatusCallback on our public URL', async () => {
    expect(runtime.configured).toEqual({ email: true, sms: true, whatsapp: false });
    const { id, sid } = await sentSms('Your order 1042 is waiting');
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(await outboxRow(pool, id)).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    const sent = twilio.requests.at(-1)!;
    expect(sent.path).toBe(`/2010-04-01/Accounts/${TWILIO.accountSid}/Messages.json`);
    expect(sent.authorization).toBe(`Basic ${Buffer.from(`${TWILIO.accountSid}:${TWILIO.authToken}`).toString('base64')}`);
    expect(Object.fromEntries(sent.form)).toEqual({
      To: CUSTOMER,
      From: TWILIO.from,
      Body: 'Your order 1042 is waiting',
      StatusCallback: STATUS_URL,
    });
    expect(logLines('message sent')).toEqual([
      expect.objectContaining({ level: 30, outboxId: id, shopId, enrollmentId: 7, step: 1, channel: 'sms', providerMessageId: sid }),
    ]);
    expect(log.join('')).not.toContain(CUSTOMER);
    expect(log.join('')).not.toContain('is waiting');
  });

  it('records signed status callbacks on the row, and refuses a bad signature without changing anything', async () => {
    const { id, sid } = await sentSms();
    const [sentCallback, deliveredCallback] = callbacks.sequence_delivered.map((c) => ({ ...c.form_params, MessageSid: sid, SmsSid: sid }));
    await post(STATUS_URL, sentCallback!).expect(204);
    expect(await outboxRow(pool, id)).toMatchObject({ delivery_status: 'sent', delivery_error: null });

    await post(STATUS_URL, deliveredCallback!, twilioSignature('another-token', STATUS_URL, deliveredCallback!)).expect(401);
    await post(STATUS_URL, deliveredCallback!, '').expect(401);
    expect((await outboxRow(pool, id)).delivery_status).toBe('sent');
    expect(await statusesOf(pool, id)).toEqual(['sent']);

    await post(STATUS_URL, deliveredCallback!).expect(204);
    await post(STATUS_URL, deliveredCallback!).expect(204); // Twilio may repeat itself
    expect(await outboxRow(pool, id)).toMatchObject({ delivery_status: 'delivered' });
    expect((await outboxRow(pool, id)).delivery_at).toBeInstanceOf(Date);
    expect(await statusesOf(pool, id)).toEqual(['sent', 'delivered']);
  });

  it('never lets an older status overwrite a later one; undelivered is final', async () => {
    const { id, sid } = await sentSms();
    const [sentCallback, deliveredCallback] = callbacks.sequence_delivered.map((c) => ({ ...c.form_params, MessageSid: sid, SmsSid: sid }));
    await post(STATUS_URL, deliveredCallback!).expect(204);
    await post(STATUS_URL, sentCallback!).expect(204);
    expect((await outboxRow(pool, id)).delivery_status).toBe('delivered');
    expect(await statusesOf(pool, id)).toEqual(['delivered', 'sent']);

    const second = await sentSms();
    await post(STATUS_URL, { ...callbacks.undelivered_30007.form_params, MessageSid: second.sid, SmsSid: second.sid }).expect(204);
    await post(STATUS_URL, { ...deliveredCallback!, MessageSid: second.sid, SmsSid: second.sid }).expect(204);
    expect(await outboxRow(pool, second.id)).toMatchObject({ delivery_status: 'undelivered', delivery_error: 'Twilio error 30007' });
  });

  it('answers 400 to a signed callback without a message, 204 to one about a message not ours, 413 above 1 MB', async () => {
    await post(STATUS_URL, { AccountSid: TWILIO.accountSid }).expect(400);
    await post(STATUS_URL, { ...callbacks.sequence_delivered[0]!.form_params, MessageSid: 'SM' + 'f'.repeat(32) }).expect(204);
    const huge = { Body: 'x'.repeat(1024 * 1024 + 1) };
    const res = await post(INBOUND_URL, huge).expect(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('fails a row Twilio refuses with 21610, withdraws SMS consent and tells the flow', async () => {
    twilio.optOut('+48500000002');
    const { id } = await queue(pool, { shopId, channel: 'sms', to: '+48500000002', enrollmentId: 11, step: 2 });
    expect(await runtime.dispatch(10)).toMatchObject({ claimed: 1, failed: 1 });
    const row = await outboxRow(pool, id);
    expect(row.status).toBe('failed');
    expect(row.last_error).toMatch(/^permanent opted_out: .*21610/);
    expect(await consentOf(pool, shopId, 'sms', '+48500000002')).toEqual({ status: 'withdrawn', source: 'provider-opt-out' });
    expect(undeliverable).toEqual([{ outboxId: id, shopId, enrollmentId: 11, step: 2, channel: 'sms', reason: row.last_error }]);
    // Logged with ids and the code, never the number or the provider's words.
    expect(logLines('message failed')).toEqual([
      expect.objectContaining({
        level: 40,
        outboxId: id,
        shopId,
        enrollmentId: 11,
        step: 2,
        channel: 'sms',
        permanent: true,
        code: 'opted_out',
      }),
    ]);
    expect(log.join('')).not.toContain('500000002');
    expect(log.join('')).not.toContain('21610');
  });

  it('fails a number that takes no SMS and tells the flow; retries Twilio’s own faults later', async () => {
    const bad = await queue(pool, { shopId, channel: 'sms', to: '500 000 001' });
    await runtime.dispatch(10);
    expect(await outboxRow(pool, bad.id)).toMatchObject({ status: 'failed' });
    expect(undeliverable.map((u) => [u.outboxId, u.reason])).toEqual([[bad.id, expect.stringMatching(/invalid_number/)]]);

    twilio.failNext(503);
    const flaky = await queue(pool, { shopId, channel: 'sms' });
    expect(await runtime.dispatch(10)).toMatchObject({ claimed: 1, retried: 1 });
    const row = await outboxRow(pool, flaky.id);
    expect(row).toMatchObject({ status: 'retry', attempts: 1 });
    expect((row.next_attempt_at as Date).getTime()).toBeGreaterThan(Date.now() + 30_000);
    expect(undeliverable).toHaveLength(1);
    expect(logLines('message send failed; retrying')).toEqual([
      expect.objectContaining({ level: 40, outboxId: flaky.id, shopId, channel: 'sms', permanent: false, attempts: 1 }),
    ]);
  });

  it('withdraws consent when a status callback reports 21610, once', async () => {
    const { id, sid } = await sentSms();
    const failed = {
      ...callbacks.undelivered_30007.form_params,
      MessageSid: sid,
      SmsSid: sid,
      MessageStatus: 'failed',
      SmsStatus: 'failed',
      ErrorCode: '21610',
    };
    await post(STATUS_URL, failed).expect(204);
    await post(STATUS_URL, failed).expect(204);
    expect(await consentOf(pool, shopId, 'sms')).toEqual({ status: 'withdrawn', source: 'provider-opt-out' });
    expect(undeliverable.map((u) => u.outboxId)).toEqual([id]);
    expect((await outboxRow(pool, id)).delivery_status).toBe('failed');
  });

  it('takes a STOP at once for every purpose and every shop that texted the number; START gives back what it took; answers empty TwiML', async () => {
    await sentSms(); // shopId has texted CUSTOMER; otherShop has not
    await pool.query('DELETE FROM consents'); // the 21610 above withdrew it
    await grantConsent(pool, shopId, { purpose: 'marketing', channel: 'sms', address: CUSTOMER });
    const res = await post(INBOUND_URL, inbound.stop!.form_params).expect(200);
    expect(res.type).toBe('text/xml');
    expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    for (const purpose of ['order', 'cart', 'marketing'])
      expect(await consentOf(pool, shopId, 'sms', CUSTOMER, purpose)).toEqual({ status: 'withdrawn', source: 'keyword' });
    expect(await consentOf(pool, otherShop, 'sms')).toBeUndefined();

    await post(INBOUND_URL, inbound.start!.form_params).expect(200);
    expect(await consentOf(pool, shopId, 'sms')).toEqual({ status: 'granted', source: 'keyword' });
    // Cart reminders were never agreed to: START does not grant them.
    expect(await consentOf(pool, shopId, 'sms', CUSTOMER, 'cart')).toEqual({ status: 'withdrawn', source: 'keyword' });
    // A repeated delivery of the old STOP changes nothing: each message counts once.
    await post(INBOUND_URL, inbound.stop!.form_params).expect(200);
    expect((await consentOf(pool, shopId, 'sms'))?.status).toBe('granted');

    await post(INBOUND_URL, inbound.start!.form_params, 'forged').expect(401);
    const [messages] = await pool.query<RowDataPacket[]>(
      `SELECT m.provider_message_id, m.kind, c.shop_id, c.last_inbound_at FROM inbound_messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = 'sms'`,
    );
    expect(messages.map((m) => [m.provider_message_id, m.kind, Number(m.shop_id)])).toEqual([
      [inbound.stop!.form_params.MessageSid, 'opt-out', shopId],
      [inbound.start!.form_params.MessageSid, 'opt-in', shopId],
    ]);
    expect(messages[0]!.last_inbound_at).toBeInstanceOf(Date);
  });

  it('knows every default keyword without Advanced Opt-Out, in any case, and leaves other replies alone', async () => {
    await sentSms();
    const base = inbound.plain_reply!.form_params;
    let n = 0;
    const reply = (body: string) =>
      post(INBOUND_URL, { ...base, Body: body, MessageSid: `SM${(++n).toString(16).padStart(32, 'c')}` }).expect(200);
    await pool.query('DELETE FROM consents');
    // A START with no STOP before it grants nothing.
    await reply('START');
    expect(await consentOf(pool, shopId, 'sms')).toBeUndefined();
    await grantConsent(pool, shopId, { purpose: 'marketing', channel: 'sms', address: CUSTOMER });
    for (const word of keywords.opt_out) {
      await reply('START');
      await reply(` ${word.toLowerCase()} `);
      expect((await consentOf(pool, shopId, 'sms'))?.status, word).toBe('withdrawn');
    }
    for (const word of keywords.opt_in) {
      await reply('STOP');
      await reply(word);
      expect((await consentOf(pool, shopId, 'sms'))?.status, word).toBe('granted');
    }
    await reply('STOP');
    await post(INBOUND_URL, inbound.not_a_keyword!.form_params).expect(200);
    await post(INBOUND_URL, inbound.plain_reply!.form_params).expect(200);
    expect((await consentOf(pool, shopId, 'sms'))?.status).toBe('withdrawn');
  });
});

describe('the channel runtime in development (no SMTP)', async () => {
  const { database } = await createTestDatabase('channel_runtime_dev');
  const pool = database.pool;
  const twilio = await startFakeTwilio({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken });
  const { runtime } = runtimeFor(database, { smtp: false });
  afterAll(async () => {
    await runtime.close();
    await twilio.close();
  });

  it('sends SMS and WhatsApp rows to the dev outbox: nothing leaves the machine', async () => {
    expect(runtime.configured).toEqual({ email: true, sms: true, whatsapp: true });
    expect(runtime.routers).toEqual([]);
    const shopId = await createShop(pool);
    const sms = await queue(pool, { shopId, channel: 'sms' });
    const whatsapp = await queue(pool, {
      shopId,
      channel: 'whatsapp',
      to: '+48500000003',
      payload: { template: { name: 'cart_reminder', language: 'en_US', parameters: ['Ada'] } },
    });
    expect(await runtime.dispatch(10)).toEqual({ claimed: 2, sent: 2, retried: 0, failed: 0 });
    expect(await outboxRow(pool, sms.id)).toMatchObject({
      status: 'sent',
      provider_message_id: expect.stringMatching(/^dev-[0-9a-f]{24}$/),
    });
    const row = await outboxRow(pool, whatsapp.id);
    expect(row).toMatchObject({ status: 'sent', provider_message_id: expect.stringMatching(/^dev-/) });
    expect(JSON.parse(String(row.payload))).toMatchObject({ sentAs: 'template' });
    expect(twilio.requests).toHaveLength(0);
  });
});
