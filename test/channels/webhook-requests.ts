import { createHmac } from 'node:crypto';
import type request from 'supertest';
import { twilioSignature } from '../../sidecar/src/channels/twilio/signature.ts';
import { whatsAppFixture } from '../fakes/fake-whatsapp.ts';

/** A supertest client of the app that mounts the providers' webhooks. */
export type Http = () => ReturnType<typeof request>;

/** The fixtures' own fake credentials (test/fixtures/providers/README.md). */
export const TWILIO = {
  accountSid: 'AC00000000000000000000000000000001',
  authToken: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  from: '+15550001000',
};
export const WHATSAPP = {
  phoneNumberId: '100000000000001',
  accessToken: 'EAAFIXTUREFAKETOKEN0000000000000000000000',
  appSecret: '0fa1c3e5d7b9f2a4c6e8d0b2f4a6c8e0',
  verifyToken: 'fixture-verify-token-01',
};
/** Where the tests' sidecar is reached from outside: what Twilio signs. */
export const PUBLIC_URL = 'https://reminders.example.test';
export const TWILIO_STATUS_URL = `${PUBLIC_URL}/webhooks/twilio/status`;
export const TWILIO_INBOUND_URL = `${PUBLIC_URL}/webhooks/twilio/inbound`;

/** A Twilio webhook POST to one of our public URLs, signed as Twilio signs it (or with the given header). */
export function postTwilio(
  http: Http,
  url: string,
  form: Record<string, string>,
  signature = twilioSignature(TWILIO.authToken, url, form),
) {
  return http().post(new URL(url).pathname).type('form').set('X-Twilio-Signature', signature).send(new URLSearchParams(form).toString());
}

/** X-Hub-Signature-256 over the raw bytes, as Meta signs them. */
export const metaSignature = (raw: string | Buffer, secret = WHATSAPP.appSecret) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

/** A Meta webhook delivery to /webhooks/whatsapp, signed (or with the given header). */
export function postWhatsApp(http: Http, body: unknown, signature?: string) {
  const raw = JSON.stringify(body);
  return http()
    .post('/webhooks/whatsapp')
    .set('content-type', 'application/json')
    .set('X-Hub-Signature-256', signature ?? metaSignature(raw))
    .send(raw);
}

export type WhatsAppDelivery = {
  entry: Array<{ changes: Array<{ value: { statuses?: Array<Record<string, unknown>>; messages?: Array<Record<string, unknown>> } }> }>;
};

/** A recorded WhatsApp webhook delivery with its first status or message changed. */
export function whatsAppDelivery(file: string, change: Record<string, unknown>): WhatsAppDelivery {
  const body = whatsAppFixture<WhatsAppDelivery>(file);
  const value = body.entry[0]!.changes[0]!.value;
  const list = value.statuses ?? value.messages!;
  list[0] = { ...list[0], ...change };
  return body;
}
