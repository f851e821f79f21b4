import type { Queryable } from '../db/queryable.ts';
import { openConversation } from './conversations.ts';
import type { Pace } from './pacing.ts';
import { toE164 } from '../customers/phone.ts';
import { ChannelError, type OutboxRow, type SendOutcome } from './provider.ts';

/** Hands one SMS to the provider and answers its message id; throws ChannelError when it did not go. */
export type SmsTransport = (message: { to: string; body: string; idempotencyKey: string }) => Promise<string>;

/**
 * What every SMS provider does with an outbox row (`recipient` the number, `body_text` the text):
 * a row that is not a number that takes SMS, or has no text, fails for good (`invalid_number`,
 * `rejected`) before anything is sent; the conversation with the number is opened; then the
 * provider's transport sends it at the sender's pace.
 */
export function smsSend(deps: { pool: Queryable; transport: SmsTransport; pace: Pace }): (row: OutboxRow) => Promise<SendOutcome> {
  return async (row) => {
    const to = toE164(row.message.to);
    if (!to) throw ChannelError.permanent('not a phone number in E.164', 'invalid_number');
    if (!row.message.text.trim()) throw ChannelError.permanent('the SMS has no text', 'rejected');
    // Before the send: a reply must find the shops that wrote to this number (conversations.ts).
    await openConversation(deps.pool, row.shopId, 'sms', to);
    const providerMessageId = await deps.pace(() =>
      deps.transport({ to, body: row.message.text, idempotencyKey: row.message.idempotencyKey }),
    );
    return { providerMessageId };
  };
}
