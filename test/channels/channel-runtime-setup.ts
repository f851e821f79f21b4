import { randomUUID } from 'node:crypto';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { createChannelRuntime, type UndeliverableRow } from '../../sidecar/src/channels/channel-runtime.ts';
import { loadConfig } from '../../sidecar/src/config.ts';
import type { Database } from '../../sidecar/src/db/database.ts';
import { createLogger, type Logger } from '../../sidecar/src/logger.ts';
import { enqueueMessage } from '../../sidecar/src/messages/outbox.ts';
import { testApp } from '../helpers/app.ts';
import { CUSTOMER, sampleSms } from './sample-messages.ts';
import { PUBLIC_URL, TWILIO, WHATSAPP, type Http } from './webhook-requests.ts';

export { CUSTOMER, PUBLIC_URL, TWILIO, WHATSAPP };

/**
 * A channel runtime on a test database, its provider webhooks in the sidecar's app, and what it
 * told the flow about undeliverable messages. `providers` gives the fakes' base URLs; with
 * `smtp: false` the runtime is in development mode (everything to the dev outbox); `smtpUrl` is a
 * test SMTP server for tests that send email.
 */
export function runtimeFor(
  database: Database,
  options: { twilioUrl?: string; whatsAppUrl?: string; smtp?: boolean; smtpUrl?: string; logger?: Logger },
) {
  const env: Record<string, string> = { COMEBACK_PUBLIC_URL: PUBLIC_URL };
  // Port 9 is never reached: the tests without `smtpUrl` send no email.
  if (options.smtp !== false) env.COMEBACK_SMTP_URL = options.smtpUrl ?? 'smtp://127.0.0.1:9';
  if (options.twilioUrl) {
    Object.assign(env, {
      COMEBACK_TWILIO_ACCOUNT_SID: TWILIO.accountSid,
      COMEBACK_TWILIO_AUTH_TOKEN: TWILIO.authToken,
      COMEBACK_TWILIO_FROM: TWILIO.from,
      COMEBACK_TWILIO_BASE_URL: options.twilioUrl,
    });
  }
  if (options.whatsAppUrl) {
    Object.assign(env, {
      COMEBACK_WHATSAPP_TOKEN: WHATSAPP.accessToken,
      COMEBACK_WHATSAPP_PHONE_NUMBER_ID: WHATSAPP.phoneNumberId,
      COMEBACK_WHATSAPP_APP_SECRET: WHATSAPP.appSecret,
      COMEBACK_WHATSAPP_VERIFY_TOKEN: WHATSAPP.verifyToken,
      COMEBACK_WHATSAPP_BASE_URL: options.whatsAppUrl,
    });
  }
  const config = loadConfig(env, { workerName: 'test' });
  const undeliverable: UndeliverableRow[] = [];
  const runtime = createChannelRuntime({
    pool: database.pool,
    config,
    logger: options.logger ?? createLogger('silent'),
    publicUrl: () => PUBLIC_URL,
    onUndeliverable: async (row) => {
      undeliverable.push(row);
    },
  });
  const { app } = testApp(database, { routers: runtime.routers });
  const http: Http = () => request(app);
  return { runtime, undeliverable, http };
}

export async function createShop(pool: Pool, url = `https://shop-${randomUUID()}.example.test`): Promise<number> {
  const [r] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, webhook_secret) VALUES (?, ?)', [url, 'x']);
  return r.insertId;
}

/** An SMS or WhatsApp row as the flow engine queues it. */
export function queue(
  pool: Pool,
  message: {
    shopId: number;
    channel: 'sms' | 'whatsapp';
    to?: string;
    text?: string;
    payload?: Record<string, unknown>;
    enrollmentId?: number;
    step?: number;
  },
) {
  return enqueueMessage(pool, {
    idempotencyKey: `test:${randomUUID()}`,
    shopId: message.shopId,
    enrollmentId: message.enrollmentId ?? null,
    step: message.step ?? null,
    ...sampleSms(message.to),
    channel: message.channel,
    ...(message.text !== undefined ? { text: message.text } : {}),
    payload: message.payload ?? null,
  });
}

export async function outboxRow(pool: Pool, id: number): Promise<RowDataPacket> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT * FROM outbox WHERE id = ?', [id]);
  return rows[0]!;
}

export async function consentOf(
  pool: Pool,
  shopId: number,
  channel: string,
  address = CUSTOMER,
  purpose = 'marketing',
): Promise<{ status: string; source: string } | undefined> {
  const [rows] = await pool.query<RowDataPacket[]>(
    'SELECT status, source FROM consents WHERE shop_id = ? AND channel = ? AND address = ? AND purpose = ?',
    [shopId, channel, address, purpose],
  );
  return rows[0] ? { status: String(rows[0].status), source: String(rows[0].source) } : undefined;
}

export async function statusesOf(pool: Pool, outboxId: number): Promise<string[]> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT status FROM message_statuses WHERE outbox_id = ? ORDER BY id', [outboxId]);
  return rows.map((r) => String(r.status));
}
