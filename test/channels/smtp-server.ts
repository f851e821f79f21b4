import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export type TestSmtpServer = { port: number; received: string[]; close(): Promise<void> };

/**
 * An in-process SMTP server on 127.0.0.1 that keeps every raw message. `rcpt` may answer a
 * recipient with an SMTP code (e.g. 550) to reject it.
 */
export async function startSmtpServer(rcpt: (address: string) => number | undefined = () => undefined): Promise<TestSmtpServer> {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const code = rcpt(address.address);
      if (!code) return callback();
      const error = Object.assign(new Error(`${address.address} refused`), { responseCode: code });
      callback(error);
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Header block of a raw message: unfolded values by lower-case name, plus the raw lines. */
export function parseRaw(raw: string): { headers: Map<string, string[]>; headerLines: string[]; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headerLines = raw.slice(0, split).split('\r\n');
  const headers = new Map<string, string[]>();
  let last: { name: string; index: number } | undefined;
  for (const line of headerLines) {
    if (/^[ \t]/.test(line) && last) {
      const values = headers.get(last.name)!;
      values[last.index] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    const values = headers.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(name, values);
    last = { name, index: values.length - 1 };
  }
  return { headers, headerLines, body: decodeQuotedPrintable(raw.slice(split + 4)) };
}

function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
