import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** Reads a provider's fixture file (test/fixtures/providers/<provider>; sources in its README.md) as JSON. */
export function providerFixtures(provider: string) {
  const dir = join(import.meta.dirname, '../fixtures/providers', provider);
  return { dir, json: <T>(name: string): T => JSON.parse(readFileSync(join(dir, name), 'utf8')) as T };
}

/**
 * A fake provider endpoint on 127.0.0.1: the handler gets the raw body and a JSON reply helper;
 * the caller gets the URL and close().
 */
export async function startProviderServer(
  handle: (req: IncomingMessage, raw: string, reply: (status: number, body: unknown) => void) => void,
) {
  const respond = async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += (chunk as Buffer).toString('utf8');
    handle(req, raw, (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  };
  // A request the fake cannot read or answer gets a 500 with the reason, not an unhandled rejection.
  const server = createServer((req, res) => {
    respond(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
