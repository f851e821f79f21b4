import type { EmailChannel } from './channel.ts';
import { createDevOutboxChannel } from './dev-outbox.ts';
import { createSmtpChannel, type SmtpConfig } from './smtp.ts';

export type ChannelProviderId = 'smtp' | 'dev-outbox';

/** Any factory: `never` accepts each provider's own config type. */
type ChannelFactory = (config: never) => EmailChannel;

export const channelFactories = {
  smtp: (config: SmtpConfig) => createSmtpChannel(config),
  'dev-outbox': (_config: Record<string, never> = {}) => createDevOutboxChannel(),
} satisfies Record<ChannelProviderId, ChannelFactory>;

export type ChannelConfig = ({ provider: 'smtp' } & SmtpConfig) | { provider: 'dev-outbox' };

/** The channel a (validated) config names. */
export function createChannel(config: ChannelConfig): EmailChannel {
  switch (config.provider) {
    case 'smtp':
      return channelFactories.smtp(config);
    case 'dev-outbox':
      return channelFactories['dev-outbox']();
  }
}
