import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type GatedSmtpServer = {
  port: number;
  /** Message-ID of every message received in full, in order (a resend appears again). */
  received: string[];
  /** Messages received in full but never acknowledged: their sender's connection closed first. */
  cutOff: Set<string>;
  /** Messages received and waiting for the gate to open. */
  held(): number;
  /** From now on messages are received but not acknowledged (the sender waits for its 250). */
  close(): void;
  /** Acknowledges the held messages and every later one at once. */
  open(): void;
  stop(): Promise<void>;
};

/**
 * An SMTP server that can hold its answer to DATA. A sender killed while it waits has handed
 * over the whole message without hearing it was accepted: the message counts as received (a real
 * relay would deliver it) and as cut off (the sender's row stays 'sending'); a resend of it after
 * a lease takeover is the one duplicate a crash allows.
 */
export async function startGatedSmtpServer(): Promise<GatedSmtpServer> {
  const received: string[] = [];
  const cutOff = new Set<string>();
  const waiting = new Map<string, { messageId: string; accept: () => void }>();
  let gateOpen = true;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const messageId = /^message-id:\s*(\S+)/im.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? '(none)';
        received.push(messageId);
        if (gateOpen) return callback();
        waiting.set(session.id, { messageId, accept: () => callback() });
      });
    },
    onClose(session) {
      const held = waiting.get(session.id);
      if (!held) return;
      waiting.delete(session.id);
      cutOff.add(held.messageId);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    cutOff,
    held: () => waiting.size,
    close() {
      gateOpen = false;
    },
    open() {
      gateOpen = true;
      const held = [...waiting.values()];
      waiting.clear();
      for (const h of held) h.accept();
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
