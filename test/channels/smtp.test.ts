import { createServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ChannelError } from '../../sidecar/src/channels/provider.ts';
import { createProvider } from '../../sidecar/src/channels/registry.ts';
import { createSmtpProvider as smtpProvider } from '../../sidecar/src/channels/smtp/smtp-provider.ts';
import { smtpConfigFromUrl } from '../../sidecar/src/channels/smtp/smtp-url.ts';
import { providerSpec, rowOf } from './provider-spec.ts';
import { sampleEmail, UNSUBSCRIBE } from './sample-messages.ts';
import { decodedBodies, parseRaw, startSmtpServer } from './smtp-server.ts';

providerSpec('smtp', async (deps) => {
  // A greylisting relay: the first RCPT for these addresses is deferred with 451, later ones pass.
  const greylisted = new Set<string>();
  const server = await startSmtpServer((address) => {
    if (address.startsWith('unknown@')) return 550;
    if (greylisted.delete(address)) return 451;
    return undefined;
  });
  return {
    create: () =>
      createProvider(
        { provider: 'smtp', settings: { host: '127.0.0.1', port: server.port, secure: false, user: 'u', pass: 'p', timeoutMs: 5_000 } },
        deps,
      ),
    message: () => sampleEmail(),
    delivered: () => server.received.map((raw) => parseRaw(raw).headers.get('message-id')![0]!),
    repeatedSend: 'same-message-id',
    permanent: [
      { name: 'a recipient the relay rejects with 550', message: { to: 'unknown@example.test' }, code: 'EENVELOPE' },
      {
        name: 'an address field naming two recipients (nodemailer would send to both)',
        message: { to: 'a@x.com, b@y.com' },
        code: 'bad_recipient',
      },
      {
        name: 'a header that would span lines (refused before anything is sent)',
        message: { headers: { 'X-Evil': 'a\r\nBcc: victim@example.test' } },
        code: 'bad_header',
      },
    ],
    retryable: [
      {
        name: 'a recipient the relay defers with 451',
        arrange: () => greylisted.add('later@example.test'),
        message: { to: 'later@example.test' },
        code: 'EENVELOPE',
      },
    ],
    statuses: { notApplicable: 'SMTP reports nothing after the relay’s answer (bounces come back as mail), so there are no webhooks' },
    pacing: { notApplicable: 'no rate is configured; the pool’s connections pace the relay' },
    perRecipient: { notApplicable: 'a relay keeps no per-recipient limit we could know of' },
    close: server.close,
  };
});

describe('the smtp provider on the wire', async () => {
  const server = await startSmtpServer();
  const provider = smtpProvider({ host: '127.0.0.1', port: server.port, secure: false, timeoutMs: 5_000 });
  afterAll(async () => {
    await provider.close();
    await server.close();
  });

  it('delivers what the customer should see, with one-line unsubscribe headers and the Message-ID it answers', async () => {
    const row = rowOf(sampleEmail());
    const before = server.received.length;
    const outcome = await provider.send(row);
    const [raw] = server.received.slice(before);
    const parsed = parseRaw(raw!);
    expect(parsed.headers.get('subject')).toEqual([row.message.subject]);
    expect(parsed.headers.get('to')).toEqual([row.message.to]);
    expect(parsed.headers.get('from')).toEqual([row.message.from]);
    expect(parsed.headers.get('reply-to')).toEqual([row.message.replyTo]);
    const bodies = await decodedBodies(raw!);
    expect(bodies.text.trim()).toBe(row.message.text.trim());
    expect(bodies.html).toContain(row.message.html);
    expect(parsed.body).toMatch(/Content-Type: text\/plain/i);
    expect(parsed.body).toMatch(/Content-Type: text\/html/i);
    expect(parsed.headerLines).toContain(`List-Unsubscribe: ${UNSUBSCRIBE['List-Unsubscribe']}`);
    expect(parsed.headerLines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(parsed.headers.get('message-id')).toEqual([(outcome as { providerMessageId: string }).providerMessageId]);
  });

  it('sends to exactly one address: a field naming several reaches nobody', async () => {
    const recipients: string[] = [];
    const recording = await startSmtpServer((address) => void recipients.push(address));
    const sender = smtpProvider({ host: '127.0.0.1', port: recording.port, secure: false, timeoutMs: 5_000 });
    try {
      for (const to of ['a@x.com, b@y.com', 'a@x.com;b@y.com', 'a@x.com b@y.com', '"b@y.com" <a@x.com>']) {
        await expect(sender.send(rowOf(sampleEmail({ to }))), to).rejects.toMatchObject({ code: 'bad_recipient', permanent: true });
      }
      expect(recipients).toEqual([]);
      expect(recording.received).toEqual([]);
      await sender.send(rowOf(sampleEmail({ to: 'a@x.com' })));
      expect(recipients).toEqual(['a@x.com']);
    } finally {
      await sender.close();
      await recording.close();
    }
  });

  it('gives another Message-ID for another idempotency key', async () => {
    const first = await provider.send(rowOf(sampleEmail()));
    const other = await provider.send(rowOf(sampleEmail()));
    expect(other).not.toEqual(first);
  });

  it('finds nothing listening retryable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const nowhere = smtpProvider({ host: '127.0.0.1', port, secure: false, timeoutMs: 2_000 });
    const error = await nowhere.send(rowOf(sampleEmail())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect((error as ChannelError).permanent).toBe(false);
    await nowhere.close();
  });

  it('reads its settings from COMEBACK_SMTP_URL', () => {
    expect(smtpConfigFromUrl('smtps://user%40x:p%3Ass@relay.example.test')).toEqual({
      host: 'relay.example.test',
      port: 465,
      secure: true,
      user: 'user@x',
      pass: 'p:ss',
    });
    expect(smtpConfigFromUrl('smtp://relay.example.test:2525')).toEqual({ host: 'relay.example.test', port: 2525, secure: false });
  });
});

describe('the smtp provider over TLS (our TCP_NODELAY sockets under nodemailer)', () => {
  for (const mode of ['starttls', 'implicit'] as const) {
    it(`sends over ${mode === 'implicit' ? 'implicit TLS (smtps, port 465 style)' : 'STARTTLS'}, never in the clear`, async () => {
      const server = await startSmtpServer(undefined, mode);
      const provider = smtpProvider({
        host: '127.0.0.1',
        port: server.port,
        secure: mode === 'implicit',
        timeoutMs: 5_000,
        tls: { rejectUnauthorized: false },
      });
      try {
        await provider.send(rowOf(sampleEmail()));
        expect(server.received).toHaveLength(1);
      } finally {
        await provider.close();
        await server.close();
      }
    });
  }
});
