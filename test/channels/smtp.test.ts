import { createServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ChannelError } from '../../sidecar/src/channels/channel.ts';
import { createSmtpChannel } from '../../sidecar/src/channels/smtp.ts';
import { channelSpec, sampleMessage } from './channel-spec.ts';
import { startSmtpServer } from './smtp-server.ts';

channelSpec('smtp', async () => {
  const server = await startSmtpServer();
  const channel = createSmtpChannel({ host: '127.0.0.1', port: server.port, secure: false, user: 'u', pass: 'p', timeoutMs: 5_000 });
  return { channel, received: () => server.received, close: server.close };
}, { delivers: true });

describe('smtp channel error classification', async () => {
  const server = await startSmtpServer((address) => {
    if (address.startsWith('unknown@')) return 550;
    if (address.startsWith('greylisted@')) return 451;
    return undefined;
  });
  const channel = createSmtpChannel({ host: '127.0.0.1', port: server.port, secure: false, timeoutMs: 5_000 });
  afterAll(async () => {
    await channel.close?.();
    await server.close();
  });

  const failure = async (promise: Promise<unknown>): Promise<ChannelError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChannelError);
    return error as ChannelError;
  };

  it('a recipient rejected with 550 is permanent', async () => {
    const error = await failure(channel.send(sampleMessage({ to: 'unknown@example.test' })));
    expect(error.permanent).toBe(true);
    expect(error.message).toMatch(/550/);
  });

  it('a recipient deferred with 451 is retryable, and the pool still sends afterwards', async () => {
    const error = await failure(channel.send(sampleMessage({ to: 'greylisted@example.test' })));
    expect(error.permanent).toBe(false);
    expect(error.message).toMatch(/451/);
    await expect(channel.send(sampleMessage())).resolves.toHaveProperty('providerMessageId');
  });

  it('nothing listening is retryable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const nowhere = createSmtpChannel({ host: '127.0.0.1', port, secure: false, timeoutMs: 2_000 });
    const error = await failure(nowhere.send(sampleMessage()));
    expect(error.permanent).toBe(false);
    await nowhere.close?.();
  });

  it('a header that would span lines is refused as permanent before anything is sent', async () => {
    const before = server.received.length;
    const error = await failure(channel.send(sampleMessage({ headers: { 'X-Evil': 'a\r\nBcc: victim@example.test' } })));
    expect(error.permanent).toBe(true);
    expect(server.received.length).toBe(before);
  });
});

describe('smtp channel over TLS (our TCP_NODELAY sockets under nodemailer)', () => {
  for (const mode of ['starttls', 'implicit'] as const) {
    it(`sends over ${mode === 'implicit' ? 'implicit TLS (smtps, port 465 style)' : 'STARTTLS'}, never in the clear`, async () => {
      const server = await startSmtpServer(undefined, mode);
      const channel = createSmtpChannel({ host: '127.0.0.1', port: server.port, secure: mode === 'implicit', timeoutMs: 5_000, tls: { rejectUnauthorized: false } });
      try {
        await channel.send(sampleMessage());
        expect(server.received).toHaveLength(1);
      } finally {
        await channel.close?.();
        await server.close();
      }
    });
  }
});
