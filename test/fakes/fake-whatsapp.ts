import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** The WhatsApp Cloud API wire-format fixtures (../shared/fixtures/providers/whatsapp-cloud). */
export const WHATSAPP_FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/providers/whatsapp-cloud');
export const whatsAppFixture = <T>(name: string): T => JSON.parse(readFileSync(join(WHATSAPP_FIXTURES, name), 'utf8')) as T;

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
  let sequence = 0;
  const server = createServer(async (req, res) => {
    const raw = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString('utf8')));
      req.on('end', () => resolve(data));
    });
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const fail = (code: string) => send(errors[code]!.http_status, errors[code]!.body);
    if (req.method !== 'POST' || !new RegExp(`^/v\\d+\\.0/${options.phoneNumberId}/messages$`).test(req.url ?? '')) return send(404, { error: { message: 'Unsupported post request', code: 100 } });
    if (req.headers.authorization !== `Bearer ${options.accessToken}`) return fail('190');
    const next = forced.shift();
    if (next) return fail(next);
    if (body.messaging_product !== 'whatsapp' || typeof body.to !== 'string' || !body.type) return send(400, { error: { message: '(#100) Invalid parameter', code: 100 } });
    const to = body.to.replace(/^\+/, '');
    if (body.type === 'text' && !inWindow.has(to)) return fail('131047_sync_variant');
    const template = body.type === 'template' ? ok.template_send! : ok.text_send!;
    const id = `wamid.${Buffer.from(`FIXTURE:${to}:${String(++sequence).padStart(4, '0')}`).toString('base64')}`;
    send(200, { ...template, contacts: [{ input: body.to, wa_id: to }], messages: [{ ...(template.messages as Array<Record<string, unknown>>)[0], id }] });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** The customer wrote to us: free text is allowed for 24 hours. */
    openWindow: (waId: string) => inWindow.add(waId.replace(/^\+/, '')),
    /** The next answers are these recorded errors (keys of errors-sync.json). */
    failNext: (...codes: string[]) => forced.push(...codes),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
