import { providerFixtures, startProviderServer } from './provider-server.ts';

/** The Twilio wire-format fixtures (test/fixtures/providers/twilio-sms, sources in its README.md). */
const fixtures = providerFixtures('twilio-sms');
export const TWILIO_FIXTURES = fixtures.dir;
export const twilioFixture = fixtures.json;

type ErrorFixture = { http_status: number; body: Record<string, unknown> };

/**
 * Twilio's Messages API at the HTTP boundary, from the recorded formats: Basic auth checked (20003
 * otherwise), `To` plus `From` or `MessagingServiceSid` plus `Body` required, 201 with the message
 * resource shaped as create-message.201.json, 21610 for a number that replied STOP, 21211 for a
 * number that is not E.164. Every request is kept for assertions.
 */
export async function startFakeTwilio(options: {
  accountSid: string;
  authToken: string;
  /** Called the moment a message is accepted, before the 201 leaves (a test kills the sender there). */
  onAccepted?: () => void;
}) {
  const created = twilioFixture<Record<string, Record<string, unknown>>>('create-message.201.json');
  const errors = twilioFixture<Record<string, ErrorFixture>>('errors.json');
  const optedOut = new Set<string>();
  const requests: Array<{ path: string; authorization: string | undefined; form: URLSearchParams }> = [];
  /** The messages Twilio accepted (201), in order. */
  const accepted: Array<{ sid: string; to: string; body: string }> = [];
  let sequence = 0;
  const failNext: number[] = [];

  const server = await startProviderServer((req, raw, send) => {
    const form = new URLSearchParams(raw);
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization, form });
    const expectedAuth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
    if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${options.accountSid}/Messages.json`)
      return send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    if (req.headers.authorization !== expectedAuth) return send(errors['20003']!.http_status, errors['20003']!.body);
    const forced = failNext.shift();
    if (forced) return send(forced, { code: 20500, message: 'Internal Server Error', status: forced });
    const to = form.get('To') ?? '';
    if (!/^\+[1-9]\d{6,14}$/.test(to)) return send(errors['21211']!.http_status, errors['21211']!.body);
    if (optedOut.has(to)) return send(errors['21610']!.http_status, errors['21610']!.body);
    if (!form.get('Body') || (!form.get('From') && !form.get('MessagingServiceSid')))
      return send(400, { code: 21602, message: 'Message body is required.', status: 400 });
    const viaService = form.has('MessagingServiceSid');
    const template = viaService ? created.with_MessagingServiceSid! : created.with_From!;
    const sid = `SM${(++sequence).toString(16).padStart(32, '0')}`;
    accepted.push({ sid, to, body: form.get('Body')! });
    options.onAccepted?.();
    send(201, {
      ...template,
      sid,
      to,
      body: form.get('Body'),
      from: viaService ? null : form.get('From'),
      uri: `/2010-04-01/Accounts/${options.accountSid}/Messages/${sid}.json`,
    });
  });
  return {
    url: server.url,
    requests,
    accepted,
    /** The number replied STOP: Twilio refuses sends to it with 21610. */
    optOut: (number: string) => optedOut.add(number),
    /** The next requests fail with these HTTP statuses (Twilio's own faults). */
    failNext: (...statuses: number[]) => failNext.push(...statuses),
    close: server.close,
  };
}
