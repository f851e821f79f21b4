import type { Pool } from 'mysql2/promise';
import type { RowSender } from '../messages/outbox.ts';
import { ChannelError } from './channel.ts';
import { openConversation } from './conversations.ts';
import { toE164 } from './phone.ts';
import { TwilioError, type TwilioClient } from './twilio/client.ts';

/** Hands one SMS to the provider (Twilio, or the dev outbox) and answers its message id. */
export type SmsTransport = (message: { to: string; body: string; idempotencyKey: string; statusCallback: string }) => Promise<string>;

export function twilioTransport(client: TwilioClient): SmsTransport {
  return async (message) => (await client.send({ to: message.to, body: message.body, statusCallback: message.statusCallback })).sid;
}

/**
 * SMS rows of the outbox: `recipient` is the E.164 number, `body_text` the text. Twilio's
 * refusals become the outbox's terms: a STOP (21610) or a number that takes no SMS fail the row
 * for good (code `opted_out` / `invalid_number`, which the runtime acts on); Twilio's own faults
 * and throttling are retried with the outbox's backoff. `pace` keeps the sender's rate.
 */
export function smsSender(deps: { pool: Pool; transport: SmsTransport; pace: <T>(send: () => Promise<T>) => Promise<T>; statusCallback: () => string }): RowSender {
  return async (row) => {
    const to = toE164(row.message.to);
    if (!to) throw ChannelError.permanent('not a phone number in E.164', 'invalid_number');
    if (!row.message.text.trim()) throw ChannelError.permanent('the SMS has no text', 'rejected');
    // Before the send: a reply must find the shops that wrote to this number (conversations.ts).
    await openConversation(deps.pool, row.shopId, 'sms', to);
    try {
      const id = await deps.pace(() => deps.transport({ to, body: row.message.text, idempotencyKey: row.message.idempotencyKey, statusCallback: deps.statusCallback() }));
      return { providerMessageId: id };
    } catch (error) {
      if (error instanceof TwilioError) throw new ChannelError(error.message, error.permanent, error.kind, { cause: error });
      throw error;
    }
  };
}
