import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWhatsAppClient, WhatsAppError } from '../../sidecar/src/channels/whatsapp/client.ts';
import { parseWhatsAppEvents, verifyMetaSignature, verifySubscription } from '../../sidecar/src/channels/whatsapp/webhook.ts';
import { startFakeWhatsApp, WHATSAPP_FIXTURES, whatsAppFixture } from '../fakes/fake-whatsapp.ts';

// The fixtures' own fake values (whatsapp-cloud/README.md).
const PHONE_NUMBER_ID = '100000000000001';
const TOKEN = 'EAAFIXTUREFAKETOKEN0000000000000000000000';
const APP_SECRET = '0fa1c3e5d7b9f2a4c6e8d0b2f4a6c8e0';

/** The JSON body of a recorded .http request. */
const requestBody = (name: string) => JSON.parse(readFileSync(join(WHATSAPP_FIXTURES, name), 'utf8').split(/\r?\n\r?\n/).slice(1).join('\n\n')) as Record<string, unknown>;

describe('WhatsApp webhooks', () => {
  it('answers the subscription check with the challenge only for our verify token', () => {
    const query = Object.fromEntries(new URL(readFileSync(join(WHATSAPP_FIXTURES, 'webhook-verify.http'), 'utf8').match(/^GET (\S+)/m)![1]!).searchParams);
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
    const statuses = ['webhook-status-sent.json', 'webhook-status-delivered.json', 'webhook-status-read.json', 'webhook-status-failed-131047.json', 'webhook-status-failed-131026.json']
      .flatMap((file) => parseWhatsAppEvents(whatsAppFixture(file)).statuses);
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
    const sent = await client.sendTemplate('+48500000001', { name: 'order_payment_reminder', language: 'pl', bodyParameters: ['Anna', '1042', '129,00 zł'], urlButtonSuffix: '1042?k=7f3a9c' });
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
    const kinds: Array<[string, string]> = [['130429', 'transient'], ['131056', 'transient'], ['190', 'transient'], ['132000', 'rejected'], ['132001', 'rejected']];
    for (const [code, kind] of kinds) {
      meta.failNext(code);
      const error = (await client.sendTemplate('+48500000001', { name: 'x', language: 'pl', bodyParameters: [] }).catch((e: unknown) => e)) as WhatsAppError;
      expect([error.code, error.kind], code).toEqual([Number(code), kind]);
    }
    const unreachable = createWhatsAppClient({ phoneNumberId: PHONE_NUMBER_ID, accessToken: TOKEN, baseUrl: 'http://127.0.0.1:9' });
    expect(await unreachable.sendText('+48500000001', 'x').catch((e: WhatsAppError) => e.kind)).toBe('transient');
    expect(() => createWhatsAppClient({ phoneNumberId: '+15550002000', accessToken: TOKEN })).toThrow(/numeric id/);
  });
});
