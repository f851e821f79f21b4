import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toE164 } from '../../sidecar/src/customers/phone.ts';
import { createProvider } from '../../sidecar/src/channels/registry.ts';
import { createTwilioClient, TwilioError } from '../../sidecar/src/channels/twilio/client.ts';
import { smsKeyword } from '../../sidecar/src/channels/twilio/opt-out.ts';
import { twilioSignature, verifyTwilioSignature } from '../../sidecar/src/channels/twilio/signature.ts';
import { startFakeTwilio, TWILIO_FIXTURES, twilioFixture } from '../fakes/fake-twilio.ts';
import { providerSpec, type StatusCase } from './provider-spec.ts';
import { sampleSms } from './sample-messages.ts';
import { postTwilio, TWILIO, TWILIO_STATUS_URL } from './webhook-requests.ts';

// The fixtures' own fake credentials (twilio-sms/README.md).
const ACCOUNT = TWILIO.accountSid;
const TOKEN = TWILIO.authToken;
const SERVICE = 'MG00000000000000000000000000000001';

type Form = Record<string, string>;
const callbacks = twilioFixture<{
  sequence_delivered: Array<{ form_params: Form }>;
  undelivered_30007: { form_params: Form };
  failed_30008: { form_params: Form };
}>('status-callbacks.json');

/** A recorded status callback, about the message Twilio sent as `sid`. */
function statusCase(name: string, form: Form, expected: Pick<StatusCase, 'status' | 'error' | 'tellsFlow'>): StatusCase {
  return {
    name,
    post: (http, sid) => postTwilio(http, TWILIO_STATUS_URL, { ...form, MessageSid: sid, SmsSid: sid }).expect(204),
    ...expected,
  };
}

providerSpec('twilio', async (deps) => {
  const twilio = await startFakeTwilio({ accountSid: ACCOUNT, authToken: TOKEN });
  const [sent, delivered] = callbacks.sequence_delivered.map((c) => c.form_params);
  return {
    create: () => createProvider({ provider: 'twilio', settings: { ...TWILIO, baseUrl: twilio.url, perSecond: 2 } }, deps),
    message: () => sampleSms(),
    delivered: () => twilio.accepted.map((m) => m.sid),
    repeatedSend: 'delivered-again',
    permanent: [
      {
        name: 'the customer replied STOP (21610)',
        arrange: () => twilio.optOut('+48500000002'),
        message: { to: '+48500000002' },
        code: 'opted_out',
      },
      { name: 'not a number that takes SMS (refused before Twilio)', message: { to: '500 000 001' }, code: 'invalid_number' },
      { name: 'no text (refused before Twilio)', message: { text: '' }, code: 'rejected' },
    ],
    retryable: [
      { name: 'Twilio’s own fault (HTTP 503)', arrange: () => twilio.failNext(503), code: 'transient' },
      { name: 'Twilio throttles (HTTP 429)', arrange: () => twilio.failNext(429), code: 'transient' },
    ],
    statuses: [
      statusCase('sent', sent!, { status: 'sent', error: null, tellsFlow: false }),
      statusCase('delivered', delivered!, { status: 'delivered', error: null, tellsFlow: false }),
      statusCase('undelivered, 30007 (carrier filtering: the next message may pass)', callbacks.undelivered_30007.form_params, {
        status: 'undelivered',
        error: /^Twilio error 30007$/,
        tellsFlow: false,
      }),
      statusCase('failed, 30008 (unknown error)', callbacks.failed_30008.form_params, {
        status: 'failed',
        error: /^Twilio error 30008$/,
        tellsFlow: false,
      }),
      statusCase(
        'undelivered, 30006 (a landline: no SMS will arrive)',
        { ...callbacks.undelivered_30007.form_params, ErrorCode: '30006' },
        { status: 'undelivered', error: /^Twilio error 30006$/, tellsFlow: true },
      ),
    ],
    pacing: { perSecond: 2 },
    perRecipient: { notApplicable: 'Twilio queues per sender; it keeps no per-recipient limit' },
    close: twilio.close,
  };
});

/** A recorded .http request: request line, headers, blank line, body. */
function httpFixture(name: string) {
  const text = readFileSync(join(TWILIO_FIXTURES, name), 'utf8');
  const [head, body = ''] = text.split(/\r?\n\r?\n/, 2);
  const [requestLine, ...headerLines] = head!.split(/\r?\n/);
  const headers = Object.fromEntries(
    headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
  );
  return { url: requestLine!.split(' ')[1]!, headers, body: body.trim() };
}

describe('X-Twilio-Signature', () => {
  it('reproduces the worked example and the value Twilio publishes in its docs', () => {
    const signed = httpFixture('status-callback-signed.http');
    expect(twilioSignature(TOKEN, signed.url, new URLSearchParams(signed.body))).toBe('aBNTFPau1JOLhPXRpbUI82aZOlc=');
    expect(
      twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', {
        CallSid: 'CA1234567890ABCDE',
        Caller: '+12349013030',
        Digits: '1234',
        From: '+12349013030',
        To: '+18005551212',
      }),
    ).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('accepts the recorded signed callback, also with an explicit default port, and refuses tampering', () => {
    const signed = httpFixture('status-callback-signed.http');
    const params = new URLSearchParams(signed.body);
    expect(verifyTwilioSignature(TOKEN, signed.url, params, signed.headers['x-twilio-signature'])).toBe(true);
    expect(verifyTwilioSignature(TOKEN, signed.url.replace('.test/', '.test:443/'), params, signed.headers['x-twilio-signature'])).toBe(
      true,
    );
    const changed = new URLSearchParams(params);
    changed.set('MessageStatus', 'failed');
    expect(verifyTwilioSignature(TOKEN, signed.url, changed, signed.headers['x-twilio-signature'])).toBe(false);
    expect(verifyTwilioSignature('another-token', signed.url, params, signed.headers['x-twilio-signature'])).toBe(false);
    expect(verifyTwilioSignature(TOKEN, signed.url, params, undefined)).toBe(false);
  });
});

describe('the Twilio Messages API client (a fake Twilio over HTTP)', async () => {
  const twilio = await startFakeTwilio({ accountSid: ACCOUNT, authToken: TOKEN });
  afterAll(() => twilio.close());
  const recorded = httpFixture('create-message-from.request.http');
  const recordedForm = new URLSearchParams(recorded.body);

  it('sends as the recorded request does: Basic auth, form fields, 201 with the message', async () => {
    const client = createTwilioClient({ accountSid: ACCOUNT, authToken: TOKEN, from: '+15550001000', baseUrl: twilio.url });
    const message = await client.send({
      to: recordedForm.get('To')!,
      body: recordedForm.get('Body')!,
      statusCallback: recordedForm.get('StatusCallback')!,
    });
    expect(message).toMatchObject({ status: 'queued', to: '+48500000001', from: '+15550001000' });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    const sent = twilio.requests.at(-1)!;
    expect(sent.authorization).toBe(recorded.headers.authorization);
    expect(Object.fromEntries(sent.form)).toEqual(Object.fromEntries(recordedForm));
  });

  it('sends through a Messaging Service instead of a number', async () => {
    const client = createTwilioClient({ accountSid: ACCOUNT, authToken: TOKEN, messagingServiceSid: SERVICE, baseUrl: twilio.url });
    const message = await client.send({ to: '+48500000001', body: 'Hi' });
    expect(message.from).toBeNull();
    const form = twilio.requests.at(-1)!.form;
    expect(form.get('MessagingServiceSid')).toBe(SERVICE);
    expect(form.has('From')).toBe(false);
  });

  it('tells a STOP (21610) and a bad number (21211) from Twilio’s own faults, by code', async () => {
    const client = createTwilioClient({ accountSid: ACCOUNT, authToken: TOKEN, from: '+15550001000', baseUrl: twilio.url });
    twilio.optOut('+48500000002');
    const refused = await client.send({ to: '+48500000002', body: 'x' }).catch((e: unknown) => e as TwilioError);
    expect(refused).toBeInstanceOf(TwilioError);
    expect(refused).toMatchObject({ kind: 'opted_out', code: 21610, httpStatus: 400, permanent: true });
    expect(await client.send({ to: '500000001', body: 'x' }).catch((e: TwilioError) => e.kind)).toBe('invalid_number');
    twilio.failNext(503);
    expect(await client.send({ to: '+48500000001', body: 'x' }).catch((e: TwilioError) => [e.kind, e.permanent])).toEqual([
      'transient',
      false,
    ]);
    const wrongToken = createTwilioClient({ accountSid: ACCOUNT, authToken: 'wrong', from: '+15550001000', baseUrl: twilio.url });
    expect(await wrongToken.send({ to: '+48500000001', body: 'x' }).catch((e: TwilioError) => [e.kind, e.code])).toEqual([
      'transient',
      20003,
    ]);
    const unreachable = createTwilioClient({ accountSid: ACCOUNT, authToken: TOKEN, from: '+15550001000', baseUrl: 'http://127.0.0.1:9' });
    expect(await unreachable.send({ to: '+48500000001', body: 'x' }).catch((e: TwilioError) => e.kind)).toBe('transient');
  });

  it('refuses a configuration Twilio would reject', () => {
    expect(() => createTwilioClient({ accountSid: 'AC1', authToken: TOKEN, from: '+15550001000' })).toThrow(/account SID/);
    expect(() => createTwilioClient({ accountSid: ACCOUNT, authToken: TOKEN })).toThrow(/sender/);
    expect(() => createTwilioClient({ accountSid: ACCOUNT, authToken: TOKEN, messagingServiceSid: 'MG1' })).toThrow(/Messaging Service/);
  });
});

describe('inbound SMS keywords', () => {
  const inbound = twilioFixture<Record<string, { form_params: Record<string, string> }>>('inbound-messages.json');
  it('reads the recorded STOP, START, HELP and plain replies as Twilio does', () => {
    const kind = (name: string) => smsKeyword(inbound[name]!.form_params.Body, inbound[name]!.form_params.OptOutType);
    expect([kind('stop'), kind('start'), kind('help'), kind('plain_reply'), kind('not_a_keyword')]).toEqual([
      'opt-out',
      'opt-in',
      'help',
      null,
      null,
    ]);
  });
  it('knows every default opt-out keyword, whole message only, any case', () => {
    const keywords = twilioFixture<{ opt_out: string[]; opt_in: string[] }>('opt-out-keywords.json');
    for (const word of keywords.opt_out) expect(smsKeyword(` ${word.toLowerCase()}\n`), word).toBe('opt-out');
    for (const word of keywords.opt_in) expect(smsKeyword(word), word).toBe('opt-in');
    expect(smsKeyword('STOP it')).toBeNull();
    // Advanced Opt-Out names the keyword itself (a localised one included).
    expect(smsKeyword('NIE', 'STOP')).toBe('opt-out');
  });
});

describe('phone numbers to E.164', () => {
  it('reads numbers as customers type them, in the billing country or the shop’s', () => {
    expect(toE164('500 000 001', 'PL')).toBe('+48500000001');
    expect(toE164('0048 500-000-001')).toBe('+48500000001');
    expect(toE164('+48 500 000 001', 'DE')).toBe('+48500000001');
    expect(toE164('(201) 555-0123', null, 'US')).toBe('+12015550123');
    expect(toE164('030 123456', 'DE')).toBe('+4930123456');
  });
  it('answers null for what is not a reachable number', () => {
    expect(toE164('')).toBeNull();
    expect(toE164('12', 'PL')).toBeNull();
    expect(toE164('call me', 'PL')).toBeNull();
    expect(toE164('500 000 001')).toBeNull(); // no country to read it in
    expect(toE164('500 000 001', 'Poland')).toBeNull();
  });
});
