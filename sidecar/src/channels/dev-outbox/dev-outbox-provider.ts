import { createHash } from 'node:crypto';
import { createPacer } from '../pacing.ts';
import type { ChannelProvider, OutboxRow, ProviderDeps, SendOutcome } from '../provider.ts';
import type { MessageChannel } from '../../messages/message-channel.ts';
import { smsSend } from '../sms-channel.ts';
import { whatsAppSend } from '../whatsapp-channel.ts';

export type DevOutboxSettings = {
  /** The channel whose rows this dev outbox takes in place of the real provider. */
  channel: MessageChannel;
  /** The real provider's pace, kept so that development shows the same timing. */
  perSecond?: number;
};

/**
 * The development provider: nothing leaves the machine. The outbox row is the record of what
 * would have been sent; /dev/outbox (dev-outbox-routes.ts) shows it. SMS and WhatsApp rows still
 * go through their channel's rules (a number that takes no SMS fails, a conversation opens, a
 * WhatsApp message goes as text or template, the pair rate postpones), so development behaves as
 * production does up to the provider's door. The message id derives from the idempotency key:
 * sending the same row again answers the same id.
 */
export function createDevOutboxProvider(settings: DevOutboxSettings, deps: Pick<ProviderDeps, 'pool'>): ChannelProvider {
  const pacer = createPacer(settings.perSecond);
  const senders: Record<MessageChannel, () => (row: OutboxRow) => Promise<SendOutcome>> = {
    email: () => async (row) => ({ providerMessageId: devMessageId(row.message.idempotencyKey) }),
    sms: () => smsSend({ pool: deps.pool, pace: pacer.pace, transport: async (message) => devMessageId(message.idempotencyKey) }),
    whatsapp: () =>
      whatsAppSend({
        pool: deps.pool,
        pace: pacer.pace,
        transport: { text: async (_to, _body, key) => devMessageId(key), template: async (_to, _template, key) => devMessageId(key) },
      }),
  };
  return {
    id: 'dev-outbox',
    repeatsSafely: true,
    channel: settings.channel,
    send: senders[settings.channel](),
    async close() {
      pacer.stop();
    },
  };
}

function devMessageId(idempotencyKey: string): string {
  return `dev-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24)}`;
}
