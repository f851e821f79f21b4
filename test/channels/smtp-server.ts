import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** `envelopes`: the SMTP MAIL FROM of each message received, in the order of `received`. */
export type TestSmtpServer = { port: number; received: string[]; envelopes: string[]; close: () => Promise<void> };

/**
 * An in-process SMTP server on 127.0.0.1 that keeps every raw message. `rcpt` may answer a
 * recipient with an SMTP code (e.g. 550) to reject it.
 */
export async function startSmtpServer(
  rcpt: (address: string) => number | undefined = () => undefined,
  /** plain: no TLS; starttls: upgraded on request; implicit: TLS from the first byte (port 465 style). */
  tls: 'plain' | 'starttls' | 'implicit' = 'plain',
): Promise<TestSmtpServer> {
  const received: string[] = [];
  const envelopes: string[] = [];
  // Without key and certificate, smtp-server uses its built-in self-signed test certificate.
  const server = new SMTPServer({
    authOptional: true,
    secure: tls === 'implicit',
    disabledCommands: tls === 'plain' ? ['STARTTLS'] : [],
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
    onData(stream, session, callback) {
      if (tls !== 'plain' && !session.secure) return callback(new Error('message sent in the clear'));
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        envelopes.push(session.envelope.mailFrom ? session.envelope.mailFrom.address : '');
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, envelopes, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
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

/** The text and HTML parts as the recipient's mail program shows them (MIME decoded by mailparser). */
export async function decodedBodies(raw: string): Promise<{ text: string; html: string }> {
  const mail = await simpleParser(raw);
  return { text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '' };
}
