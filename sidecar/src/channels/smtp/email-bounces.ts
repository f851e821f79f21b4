import { recordConsent } from '../../consent/consent.ts';
import type { Queryable } from '../../db/queryable.ts';
import { recordStatusOf, type DeliveredRow, type SentMessageRef } from '../channel-store.ts';

/** A message that bounced: the server's words, the enhanced status code, whether the address itself failed. */
export type Bounce = { reply: string; status: string | null; addressFailed: boolean; at: Date };

/**
 * Records an email as bounced (outbox delivery status 'bounced' with the server's reply, shown in
 * the Outbox and the queue's timeline) and, when the address itself failed, keeps it from
 * marketing (consent 'bounced', consent/consent.ts). A repeated report changes nothing.
 */
export async function recordBounce(db: Queryable, message: SentMessageRef, bounce: Bounce): Promise<DeliveredRow> {
  const recorded = await recordStatusOf(db, message, {
    status: 'bounced',
    errorCode: bounce.status,
    error: bounce.reply,
    at: bounce.at,
  });
  if (recorded.firstTime && bounce.addressFailed) {
    // Mail about the customer's order still goes to a bounced address (it may work again); cart and marketing mail do not.
    for (const purpose of ['cart', 'marketing'] as const)
      await recordConsent(db, {
        shopId: message.shopId,
        purpose,
        channel: 'email',
        address: message.recipient,
        status: 'bounced',
        source: 'bounce',
        outboxId: message.outboxId,
        claimedAt: bounce.at,
      });
  }
  return recorded;
}
