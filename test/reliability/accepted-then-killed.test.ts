import { fileURLToPath } from 'node:url';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueueMessage } from '../../sidecar/src/messages/outbox.ts';
import { createShop } from '../channels/channel-runtime-setup.ts';
import { sampleSms } from '../channels/sample-messages.ts';
import { TWILIO } from '../channels/webhook-requests.ts';
import { startFakeTwilio } from '../fakes/fake-twilio.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { startWorker, stopWorker, waitFor, type Worker } from '../helpers/processes.ts';

const WORKER = fileURLToPath(new URL('./sidecar-worker.ts', import.meta.url));

/**
 * A sidecar killed (SIGKILL) the moment Twilio accepted an SMS, before it could write the answer
 * down: Twilio has no idempotency key, so sending the row again would be a second SMS to the
 * customer. The sidecar that takes the row over must not send it again.
 */
describe('a sidecar killed right after the provider accepted a message', async () => {
  const { database, url } = await createTestDatabase('accepted_then_killed');
  const pool = database.pool;
  let sender: Worker | undefined;
  const twilio = await startFakeTwilio({
    ...TWILIO,
    onAccepted: () => {
      if (sender?.child.exitCode === null) sender.child.kill('SIGKILL');
    },
  });
  const workers: Worker[] = [];
  afterAll(async () => {
    for (const w of workers) await stopWorker(w, 'SIGTERM').catch(() => undefined);
    await twilio.close();
  });

  it('is not sent twice when another sidecar takes the row over', { timeout: 60_000 }, async () => {
    const env = {
      COMEBACK_DATABASE_URL: url,
      COMEBACK_WORK_POLL_MS: '200',
      COMEBACK_WORK_LEASE_MS: '3000',
      COMEBACK_TWILIO_ACCOUNT_SID: TWILIO.accountSid,
      COMEBACK_TWILIO_AUTH_TOKEN: TWILIO.authToken,
      COMEBACK_TWILIO_FROM: TWILIO.from,
      COMEBACK_TWILIO_BASE_URL: twilio.url,
      COMEBACK_PUBLIC_URL: 'https://reminders.example.test',
      // With a relay configured, SMS leave through Twilio (without one everything stays in the dev outbox); no email is sent here.
      COMEBACK_SMTP_URL: 'smtp://u:p@127.0.0.1:9',
    };
    const shopId = await createShop(pool);
    sender = await startWorker(WORKER, env);
    workers.push(sender);
    const { id } = await enqueueMessage(pool, { ...sampleSms(), shopId, idempotencyKey: `killed:${shopId}` });
    await waitFor(
      async () => sender!.child.exitCode !== null || sender!.child.signalCode !== null,
      (dead) => dead,
      20_000,
      `the sender killed as Twilio accepted (${twilio.requests.length} requests)`,
    );
    expect(twilio.accepted).toHaveLength(1);

    // Another sidecar: the row's lease runs out and it takes the row over.
    workers.push(await startWorker(WORKER, env));
    const row = await waitFor(
      async () => (await pool.query<RowDataPacket[]>('SELECT status, last_error FROM outbox WHERE id = ?', [id]))[0][0]!,
      (r) => r.status !== 'sending',
      20_000,
      'the row taken over',
    );
    expect(twilio.accepted).toHaveLength(1);
    expect(row.status).toBe('failed');
    expect(String(row.last_error)).toMatch(/^permanent outcome_unknown: .*not sent again/);
  });
});
