import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProvider } from '../../sidecar/src/channels/registry.ts';
import { createWhatsAppClient, WhatsAppError } from '../../sidecar/src/channels/whatsapp/client.ts';
import { parseWhatsAppEvents, verifyMetaSignature, verifySubscription } from '../../sidecar/src/channels/whatsapp/webhook.ts';
import { startFakeWhatsApp, WHATSAPP_FIXTURES, whatsAppFixture } from '../fakes/fake-whatsapp.ts';
import { providerSpec, type StatusCase } from './provider-spec.ts';
import { sampleWhatsApp } from './sample-messages.ts';
import { postWhatsApp, WHATSAPP, whatsAppDelivery } from './webhook-requests.ts';

// The fixtures' own fake values (whatsapp-cloud/README.md).
const PHONE_NUMBER_ID = WHATSAPP.phoneNumberId;
const TOKEN = WHATSAPP.accessToken;
const APP_SECRET = WHATSAPP.appSecret;

/** A recorded status delivery, about the message Meta sent as `wamid`. */
function statusCase(name: string, file: string, expected: Pick<StatusCase, 'status' | 'error' | 'tellsFlow'>): StatusCase {
  return { name, post: (http, wamid) => postWhatsApp(http, whatsAppDelivery(file, { id: wamid })).expect(200), ...expected };
}

providerSpec('whatsapp-cloud', async (deps) => {
  const meta = await startFakeWhatsApp({ phoneNumberId: PHONE_NUMBER_ID, accessToken: TOKEN });
  return {
    create: () => createProvider({ provider: 'whatsapp-cloud', settings: { ...WHATSAPP, baseUrl: meta.url, perSecond: 2 } }, deps),
    message: () => sampleWhatsApp(),
    delivered: () => meta.accepted.map((m) => m.id),
    repeatedSend: 'delivered-again',
    permanent: [
      { name: 'outside the 24-hour window with no template (refused before Meta)', message: { payload: null }, code: 'use_next_channel' },
      { name: 'Meta: outside the window (131047)', arrange: () => meta.failNext('131047_sync_variant'), code: 'use_next_channel' },
      { name: 'Meta refuses the template (132001)', arrange: () => meta.failNext('132001'), code: 'rejected' },
    ],
    retryable: [
      { name: 'Meta’s throughput limit (130429)', arrange: () => meta.failNext('130429'), code: 'transient' },
      {
        name: 'Meta’s pair rate (131056): not before the pair gap',
        arrange: () => meta.failNext('131056'),
        code: 'pair_rate',
        minWaitMs: 6_000,
      },
      { name: 'an expired token (190)', arrange: () => meta.failNext('190'), code: 'transient' },
    ],
    statuses: [
      statusCase('sent', 'webhook-status-sent.json', { status: 'sent', error: null, tellsFlow: false }),
      statusCase('delivered', 'webhook-status-delivered.json', { status: 'delivered', error: null, tellsFlow: false }),
      statusCase('read', 'webhook-status-read.json', { status: 'read', error: null, tellsFlow: false }),
      statusCase('failed, 131047 (outside the window)', 'webhook-status-failed-131047.json', {
        status: 'failed',
        error: /^131047 Re-engagement message$/,
        tellsFlow: true,
      }),
      statusCase('failed, 131026 (not on WhatsApp)', 'webhook-status-failed-131026.json', {
        status: 'failed',
        error: /^131026 Message Undeliverable$/,
        tellsFlow: true,
      }),
    ],
    pacing: { perSecond: 2 },
    perRecipient: { gapMs: 6_000 },
    close: meta.close,
  };
});

/** The JSON body of a recorded .http request. */
const requestBody = (name: string) =>
  JSON.parse(
    readFileSync(join(WHATSAPP_FIXTURES, name), 'utf8')
      .split(/\r?\n\r?\n/)
      .slice(1)
      .join('\n\n'),
  ) as Record<string, unknown>;

describe('WhatsApp webhooks', () => {
  it('answers the subscription check with the challenge only for our verify token', () => {
    const query = Object.fromEntries(
      new URL(readFileSync(join(WHATSAPP_FIXTURES, 'webhook-verify.http'), 'utf8').match(/^GET (\S+)/m)![1]!).searchParams,
    );
    expect(verifySubscription(query, 'fixture-verify-token-01')).toBe('1158201444');
    expect(verifySubscription(query, 'another-token')).toBeNull();
    expect(verifySubscription({ ...query, 'hub.mode': 'unsubscribe' }, 'fixture-verify-token-01')).toBeNull();
  });

  it('checks X-Hub-Signature-256 over the raw bytes (the worked example), refusing any change', () => {
    const raw = readFileSync(join(WHATSAPP_FIXTURES, 'webhook-signed-body.json'));
    const header = 'sha256=96d9d6142807e34684cbc87861481159b7b21c7c4f1dc2d5aa0ad6210090c615';
    expect(raw.length).toBe(461);
    expect(verifyMetaSignature(APP_SECRET, raw, header)).toBe(true);
    // Re-serialised JSON is not the bytes Meta signed.
    expect(verifyMetaSignature(APP_SECRET, Buffer.from(JSON.stringify(JSON.parse(raw.toString()), null, 1)), header)).toBe(false);
    expect(verifyMetaSignature('another-secret', raw, header)).toBe(false);
    expect(verifyMetaSignature(APP_SECRET, raw, undefined)).toBe(false);
    expect(verifyMetaSignature(APP_SECRET, raw, 'sha1=abc')).toBe(false);
  });

  it('reads statuses (sent, delivered, read, failed with its code) and inbound messages', () => {
    const statuses = [
      'webhook-status-sent.json',
      'webhook-status-delivered.json',
      'webhook-status-read.json',
      'webhook-status-failed-131047.json',
      'webhook-status-failed-131026.json',
    ].flatMap((file) => parseWhatsAppEvents(whatsAppFixture(file)).statuses);
    expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read', 'failed', 'failed']);
    expect(statuses[3]).toMatchObject({ recipient: '48500000001', errors: [{ code: 131047, title: 'Re-engagement message' }] });
    expect(statuses[4]!.errors[0]!.code).toBe(131026);
    expect(statuses[0]!.at.toISOString()).toMatch(/^2025-06-01T/);
    const { inbound } = parseWhatsAppEvents(whatsAppFixture('webhook-inbound-text.json'));
    expect(inbound).toHaveLength(1);
    expect(inbound[0]).toMatchObject({ from: '48500000001', type: 'text', phoneNumberId: PHONE_NUMBER_ID });
    expect(inbound[0]!.text).toBeTruthy();
    expect(parseWhatsAppEvents({ object: 'page', entry: [] })).toEqual({ statuses: [], inbound: [] });
  });
});

describe('the WhatsApp send client (a fake Graph API over HTTP)', async () => {
  const meta = await startFakeWhatsApp({ phoneNumberId: PHONE_NUMBER_ID, accessToken: TOKEN });
  afterAll(() => meta.close());
  const client = createWhatsAppClient({ phoneNumberId: PHONE_NUMBER_ID, accessToken: TOKEN, baseUrl: meta.url });

  it('sends an approved template exactly as the recorded request', async () => {
    const sent = await client.sendTemplate('+48500000001', {
      name: 'order_payment_reminder',
      language: 'pl',
      bodyParameters: ['Anna', '1042', '129,00 zł'],
      urlButtonSuffix: '1042?k=7f3a9c',
    });
    expect(sent.id).toMatch(/^wamid\./);
    expect(sent.status).toBe('accepted');
    const request = meta.requests.at(-1)!;
    expect(request.path).toBe(`/v21.0/${PHONE_NUMBER_ID}/messages`);
    expect(request.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.body).toEqual(requestBody('send-template.request.http'));
  });

  it('sends free text inside the service window, and says to use the next channel outside it', async () => {
    const text = requestBody('send-text.request.http') as { text: { body: string; preview_url: boolean } };
    const outside = await client.sendText('+48500000001', text.text.body, false).catch((e: unknown) => e as WhatsAppError);
    expect(outside).toBeInstanceOf(WhatsAppError);
    expect(outside).toMatchObject({ kind: 'use_next_channel', code: 131047 });
    meta.openWindow('48500000001');
    const sent = await client.sendText('+48500000001', text.text.body, false);
    expect(sent.id).toMatch(/^wamid\./);
    expect(meta.requests.at(-1)!.body).toEqual(requestBody('send-text.request.http'));
  });

  it('tells rate limits and an expired token (later) from a wrong template (fix it), by code', async () => {
    const kinds: Array<[string, string]> = [
      ['130429', 'transient'],
      ['131056', 'transient'],
      ['190', 'transient'],
      ['132000', 'rejected'],
      ['132001', 'rejected'],
    ];
    for (const [code, kind] of kinds) {
      meta.failNext(code);
      const error = (await client
        .sendTemplate('+48500000001', { name: 'x', language: 'pl', bodyParameters: [] })
        .catch((e: unknown) => e)) as WhatsAppError;
      expect([error.code, error.kind], code).toEqual([Number(code), kind]);
    }
    const unreachable = createWhatsAppClient({ phoneNumberId: PHONE_NUMBER_ID, accessToken: TOKEN, baseUrl: 'http://127.0.0.1:9' });
    expect(await unreachable.sendText('+48500000001', 'x').catch((e: WhatsAppError) => e.kind)).toBe('transient');
    expect(() => createWhatsAppClient({ phoneNumberId: '+15550002000', accessToken: TOKEN })).toThrow(/numeric id/);
  });
});
