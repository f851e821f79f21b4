import { createHash } from 'node:crypto';
import type { EmailChannel } from './channel.ts';

/**
 * The development channel: nothing leaves the machine. The outbox row is the record of what
 * would have been sent; /dev/outbox (dev-outbox-routes.ts) shows it.
 */
export function createDevOutboxChannel(): EmailChannel {
  return {
    id: 'dev-outbox',
    async send(message) {
      const hash = createHash('sha256').update(message.idempotencyKey).digest('hex').slice(0, 24);
      return { providerMessageId: `dev-${hash}` };
    },
  };
}
