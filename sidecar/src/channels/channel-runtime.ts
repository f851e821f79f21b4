import type { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import pThrottle from 'p-throttle';
import { recordConsent } from '../consent/consent.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { dispatchDue, emailSender, type OutboxRow, type OutboxSenders } from '../messages/outbox.ts';
import type { ChannelError, EmailChannel } from './channel.ts';
import type { OnUndeliverable, UndeliverableRow } from './delivery-status.ts';
import { createDevOutboxChannel } from './dev-outbox.ts';
import { createChannel } from './registry.ts';
import { smsSender, twilioTransport, type SmsTransport } from './sms-sender.ts';
import { createTwilioClient } from './twilio/client.ts';
import { TWILIO_STATUS_PATH, twilioWebhookRouter } from './twilio/twilio-routes.ts';
import { createWhatsAppClient } from './whatsapp/client.ts';
import { whatsAppWebhookRouter } from './whatsapp/whatsapp-routes.ts';
import { cloudApiTransport, whatsAppSender, type WhatsAppTransport } from './whatsapp-sender.ts';

export type { UndeliverableRow };

export type ChannelRuntime = {
  configured: { email: true; sms: boolean; whatsapp: boolean };
  /** Claims and sends due rows of every configured channel; returns how many were claimed (postponed rows count as retried). */
  dispatch(limit: number): Promise<{ claimed: number; sent: number; retried: number; failed: number }>;
  /** The providers' webhooks (/webhooks/twilio/*, /webhooks/whatsapp), for the public routes. */
  routers: Router[];
  close(): Promise<void>;
};

/**
 * Every sending channel behind the one outbox. Without COMEBACK_SMTP_URL (development) email,
 * SMS and WhatsApp all go to the dev outbox: nothing leaves the machine, and /dev/outbox shows
 * them. Otherwise SMS and WhatsApp are sent when their providers are configured; rows of a
 * channel that is not configured wait in the outbox. A provider's webhooks are mounted whenever
 * its keys are set (they are checked with them).
 */
export function createChannelRuntime(deps: {
  pool: Pool;
  config: Config;
  logger: Logger;
  publicUrl: () => string;
  onUndeliverable(row: UndeliverableRow): Promise<void>;
}): ChannelRuntime {
  const { pool, config, logger } = deps;
  const dev = !config.mail.smtpUrl;
  const twilio = config.sms.twilio;
  const cloudApi = config.whatsapp.cloudApi;
  const email: EmailChannel = createChannel(config.mail.smtpUrl ? { provider: 'smtp', ...smtpConfigFromUrl(config.mail.smtpUrl) } : { provider: 'dev-outbox' });
  if (dev && (twilio || cloudApi)) logger.warn('COMEBACK_SMTP_URL is not set: SMS and WhatsApp go to the dev outbox as well (nothing leaves this machine)');

  // One pace per sender for this sidecar: Twilio's number throughput, Meta's per business number.
  const stop = new AbortController();
  const pace = (perSecond: number) => {
    const throttle = pThrottle({ limit: perSecond, interval: 1_000, strict: true, signal: stop.signal });
    const paced = throttle((send: () => Promise<unknown>) => send());
    return <T>(send: () => Promise<T>) => paced(send) as Promise<T>;
  };

  const devOutbox = createDevOutboxChannel();
  const devId = async (idempotencyKey: string) => (await devOutbox.send({ to: '', from: '', subject: '', html: '', text: '', headers: {}, idempotencyKey })).providerMessageId;
  const smsTransport: SmsTransport | undefined = dev ? (m) => devId(m.idempotencyKey) : twilio ? twilioTransport(createTwilioClient(twilio)) : undefined;
  const whatsAppTransport: WhatsAppTransport | undefined = dev
    ? { text: (_to, _body, key) => devId(key), template: (_to, _template, key) => devId(key) }
    : cloudApi
      ? cloudApiTransport(createWhatsAppClient({ phoneNumberId: cloudApi.phoneNumberId, accessToken: cloudApi.accessToken, ...(cloudApi.baseUrl ? { baseUrl: cloudApi.baseUrl } : {}) }))
      : undefined;

  const senders: OutboxSenders = { email: emailSender(email) };
  if (smsTransport) {
    senders.sms = smsSender({ pool, transport: smsTransport, pace: pace(config.sms.perSecond), statusCallback: () => `${deps.publicUrl()}${TWILIO_STATUS_PATH}` });
  }
  if (whatsAppTransport) senders.whatsapp = whatsAppSender({ pool, transport: whatsAppTransport, pace: pace(config.whatsapp.perSecond) });

  // The flow hears of every message that will not arrive; a failure there must not stop the batch.
  const onUndeliverable: OnUndeliverable = async (row) => {
    try {
      await deps.onUndeliverable(row);
    } catch (error) {
      logger.error({ err: error, outboxId: row.outboxId }, 'handling an undeliverable message failed');
    }
  };

  async function onFailed(row: OutboxRow, reason: string, error: ChannelError): Promise<void> {
    if (row.channel === 'sms' && error.code === 'opted_out') {
      // Twilio refused because the customer replied STOP to this sender (21610): the same fact as
      // the STOP itself, which we may have missed.
      await recordConsent(pool, { shopId: row.shopId, channel: 'sms', address: row.message.to, status: 'withdrawn', source: 'provider-opt-out', outboxId: row.id }).catch((e: unknown) =>
        logger.error({ err: e, outboxId: row.id }, 'recording an SMS opt-out failed'),
      );
    }
    await onUndeliverable({ outboxId: row.id, shopId: row.shopId, enrollmentId: row.enrollmentId, step: row.step, channel: row.channel, reason });
  }

  const routers: Router[] = [];
  if (twilio) routers.push(twilioWebhookRouter({ pool, authToken: twilio.authToken, publicUrl: deps.publicUrl, logger, onUndeliverable }));
  if (cloudApi) routers.push(whatsAppWebhookRouter({ pool, appSecret: cloudApi.appSecret, verifyToken: cloudApi.verifyToken, logger, onUndeliverable }));

  return {
    configured: { email: true, sms: senders.sms !== undefined, whatsapp: senders.whatsapp !== undefined },
    async dispatch(limit) {
      const { claimed, sent, retried, failed } = await dispatchDue(pool, senders, { limit, leaseMs: config.work.leaseMs, onFailed });
      return { claimed, sent, retried, failed };
    },
    routers,
    async close() {
      stop.abort(new Error('the channel runtime is closing'));
      await email.close?.();
    },
  };
}

/** nodemailer's settings from COMEBACK_SMTP_URL (smtp:// for STARTTLS on 587, smtps:// on 465). */
export function smtpConfigFromUrl(url: string) {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: Number(u.port || (secure ? 465 : 587)),
    secure,
    ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}),
  };
}
