import type { AddressInfo } from 'node:net';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { SMTPServer } from 'smtp-server';
import type { Received } from './soak-counts.ts';

/**
 * The soak's SMTP sink (soak.ts): a real `smtp-server` on 127.0.0.1 that notes every message it
 * accepts by Message-ID, and a watcher that notes when each accepted message was first seen
 * recorded as sent (outbox.provider_message_id, written with status 'sent' in the dispatcher's
 * commit), polled every 25 ms: acceptance → that moment is the window in which a kill sends the
 * message again.
 */
export async function startSoakSink(pool: Pool) {
  const received: Received[] = [];
  const recordedAt = new Map<string, number>();
  const unrecorded = new Set<string>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      if (unrecorded.size) {
        const ids = [...unrecorded];
        const [rows] = await pool.query<RowDataPacket[]>('SELECT provider_message_id FROM outbox WHERE provider_message_id IN (?)', [ids]);
        const seen = Date.now();
        for (const row of rows) {
          recordedAt.set(String(row.provider_message_id), seen);
          unrecorded.delete(String(row.provider_message_id));
        }
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 64_000 && !head.includes('\r\n\r\n')) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        const headers = head.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ');
        const messageId = /^message-id:\s*(\S+)/im.exec(headers)?.[1] ?? `<none-${received.length}>`;
        // Accepted: the moment the sink answers 250 to the message, the sender's cue that it arrived.
        received.push({ messageId, to: session.envelope.rcptTo[0]?.address ?? '', acceptedAt: Date.now() });
        if (!recordedAt.has(messageId)) unrecorded.add(messageId);
        callback();
      });
    },
  });
  // A sidecar killed mid-conversation resets its connections: the message in flight is simply not accepted.
  smtp.on('error', () => undefined);
  await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', ok));
  return {
    received,
    recordedAt,
    port: (smtp.server.address() as AddressInfo).port,
    /** Stops watching the outbox (the counts read `recordedAt` after this). */
    async stopWatching(): Promise<void> {
      watching = false;
      await watcher;
    },
    close: () => new Promise<void>((ok) => smtp.close(() => ok())),
  };
}
