import type { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { recordForEveryPurpose } from '../consent/consent.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { dispatchDue, type ProvidersByChannel } from './dispatch.ts';
import {
  BouncedError,
  type ChannelError,
  type OnUndeliverable,
  type OutboxRow,
  type ProviderDeps,
  type UndeliverableRow,
} from './provider.ts';
import { enhancedStatusOf } from './smtp/bounce-codes.ts';
import { recordBounce } from './smtp/email-bounces.ts';
import { plannedProviders } from './provider-config.ts';
import { limitedSenders } from './send-limits.ts';
import { createProvider, type ProviderChoice } from './registry.ts';
import type { MessageChannel } from '../messages/message-channel.ts';
import type { Metrics } from '../metrics/metrics.ts';

export type { UndeliverableRow };

/** Who sends a channel's messages: its provider, and whether they reach customers (the dev outbox keeps them on this machine). */
export type ChannelSender = { provider: ProviderChoice['provider']; reachesCustomers: boolean };

export type ChannelRuntime = {
  configured: { email: true; sms: boolean; whatsapp: boolean };
  /** Per channel, who sends it; null: nobody (its messages wait in the outbox). */
  senders: Record<MessageChannel, ChannelSender | null>;
  /** Claims and sends due rows of every configured channel; returns how many were claimed (postponed rows count as retried). */
  dispatch(limit: number): Promise<{ claimed: number; sent: number; retried: number; failed: number }>;
  /** The providers' webhooks (/webhooks/twilio/*, /webhooks/whatsapp), for the public routes. */
  routers: Router[];
  /** Hands a message that will not arrive to the flow (which carries the step on another channel); never throws. */
  onUndeliverable: OnUndeliverable;
  close(): Promise<void>;
};

/**
 * Every sending channel behind the one outbox: the providers the config asks for
 * (provider-config.ts), built from the registry, each sending its channel's rows and taking its
 * webhooks. The flow hears of every message that will not arrive.
 */
export function createChannelRuntime(deps: {
  pool: Pool;
  config: Config;
  logger: Logger;
  publicUrl: () => string;
  onUndeliverable(row: UndeliverableRow): Promise<void>;
  metrics?: Metrics;
}): ChannelRuntime {
  const { pool, logger } = deps;
  const planned = plannedProviders(deps.config);
  if (planned.some((p) => !p.sends))
    logger.warn('COMEBACK_SMTP_URL is not set: SMS and WhatsApp go to the dev outbox as well (nothing leaves this machine)');

  // A failure while handling an undeliverable message must not stop the batch or the webhook.
  const onUndeliverable: OnUndeliverable = async (row) => {
    try {
      await deps.onUndeliverable(row);
    } catch (error) {
      logger.error({ err: error, outboxId: row.outboxId }, 'handling an undeliverable message failed');
    }
  };
  const providerDeps: ProviderDeps = { pool, logger, publicUrl: deps.publicUrl, onUndeliverable };
  const built = planned.map((p) => ({ provider: createProvider(p, providerDeps), sends: p.sends }));
  const createdChannel = new Map(planned.map((p, i) => [p, built[i]!.provider.channel]));
  // SMS and WhatsApp within each shop's daily budget and destination countries (send-limits.ts).
  const senders: ProvidersByChannel = limitedSenders(
    pool,
    Object.fromEntries(built.filter((b) => b.sends).map((b) => [b.provider.channel, b.provider])),
  );
  const routers = built.flatMap((b) => (b.provider.routes ? [b.provider.routes] : []));

  async function onFailed(row: OutboxRow, reason: string, error: ChannelError): Promise<void> {
    if (error.code === 'opted_out') {
      // The provider refused because the customer opted out with it (Twilio 21610 after a STOP):
      // the same fact as the STOP itself, which we may have missed.
      await recordForEveryPurpose(pool, {
        shopId: row.shopId,
        channel: row.channel,
        address: row.message.to,
        status: 'withdrawn',
        source: 'provider-opt-out',
        outboxId: row.id,
      }).catch((e: unknown) => logger.error({ err: e, outboxId: row.id }, 'recording a provider opt-out failed'));
    }
    if (error instanceof BouncedError) {
      // The recipient's server refused it for good: bounced, with its reply, as a later report would say.
      await recordBounce(
        pool,
        { outboxId: row.id, shopId: row.shopId, enrollmentId: row.enrollmentId, step: row.step, recipient: row.message.to },
        { reply: error.reply, status: enhancedStatusOf(error.reply), addressFailed: error.addressFailed, at: new Date() },
      ).catch((e: unknown) => logger.error({ err: e, outboxId: row.id }, 'recording a bounce failed'));
    }
    await onUndeliverable({
      outboxId: row.id,
      shopId: row.shopId,
      enrollmentId: row.enrollmentId,
      step: row.step,
      channel: row.channel,
      reason,
    });
  }

  const senderOf = (channel: MessageChannel): ChannelSender | null => {
    const choice = planned.find((p) => p.sends && createdChannel.get(p) === channel);
    return choice ? { provider: choice.provider, reachesCustomers: choice.provider !== 'dev-outbox' } : null;
  };
  return {
    configured: { email: true, sms: senders.sms !== undefined, whatsapp: senders.whatsapp !== undefined },
    senders: { email: senderOf('email'), sms: senderOf('sms'), whatsapp: senderOf('whatsapp') },
    async dispatch(limit) {
      const { claimed, sent, retried, failed } = await dispatchDue(pool, senders, {
        limit,
        leaseMs: deps.config.work.leaseMs,
        onFailed,
        logger,
        metrics: deps.metrics,
      });
      return { claimed, sent, retried, failed };
    },
    routers,
    onUndeliverable,
    async close() {
      await Promise.all(built.map((b) => b.provider.close()));
    },
  };
}
