import { providerFixtures, startProviderServer } from './provider-server.ts';

/** The WhatsApp Cloud API wire-format fixtures (test/fixtures/providers/whatsapp-cloud, sources in its README.md). */
const fixtures = providerFixtures('whatsapp-cloud');
export const WHATSAPP_FIXTURES = fixtures.dir;
export const whatsAppFixture = fixtures.json;

type ErrorFixture = { http_status: number; body: Record<string, unknown> };

/**
 * Meta's Graph send endpoint at the HTTP boundary, from the recorded formats: bearer token
 * checked (190 otherwise), messaging_product/to/type required, 200 shaped as send.200.json with a
 * fresh wamid; a recipient outside the service window gets 131047 for free text (sync variant),
 * and the next answers can be forced to any recorded error code. Requests are kept.
 */
export async function startFakeWhatsApp(options: { phoneNumberId: string; accessToken: string }) {
  const ok = whatsAppFixture<Record<string, Record<string, unknown>>>('send.200.json');
  const errors = whatsAppFixture<Record<string, ErrorFixture>>('errors-sync.json');
  const inWindow = new Set<string>();
  const forced: string[] = [];
  const requests: Array<{ path: string; authorization: string | undefined; body: Record<string, unknown> }> = [];
  /** The messages Meta accepted (200), in order. */
  const accepted: Array<{ id: string; to: string; type: string }> = [];
  let sequence = 0;
  const server = await startProviderServer((req, raw, send) => {
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
    const fail = (code: string) => send(errors[code]!.http_status, errors[code]!.body);
    if (req.method !== 'POST' || !new RegExp(`^/v\\d+\\.0/${options.phoneNumberId}/messages$`).test(req.url ?? ''))
      return send(404, { error: { message: 'Unsupported post request', code: 100 } });
    if (req.headers.authorization !== `Bearer ${options.accessToken}`) return fail('190');
    const next = forced.shift();
    if (next) return fail(next);
    if (body.messaging_product !== 'whatsapp' || typeof body.to !== 'string' || typeof body.type !== 'string' || !body.type)
      return send(400, { error: { message: '(#100) Invalid parameter', code: 100 } });
    const to = body.to.replace(/^\+/, '');
    if (body.type === 'text' && !inWindow.has(to)) return fail('131047_sync_variant');
    const template = body.type === 'template' ? ok.template_send! : ok.text_send!;
    const id = `wamid.${Buffer.from(`FIXTURE:${to}:${String(++sequence).padStart(4, '0')}`).toString('base64')}`;
    accepted.push({ id, to, type: body.type });
    send(200, {
      ...template,
      contacts: [{ input: body.to, wa_id: to }],
      messages: [{ ...(template.messages as Array<Record<string, unknown>>)[0], id }],
    });
  });
  return {
    url: server.url,
    requests,
    accepted,
    /** The customer wrote to us: free text is allowed for 24 hours. */
    openWindow: (waId: string) => inWindow.add(waId.replace(/^\+/, '')),
    /** The next answers are these recorded errors (keys of errors-sync.json). */
    failNext: (...codes: string[]) => forced.push(...codes),
    close: server.close,
  };
}
