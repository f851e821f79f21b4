import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { RetryLaterError, type RowSender } from '../messages/outbox.ts';
import { ChannelError } from './channel.ts';
import { openConversation } from './conversations.ts';
import { toE164 } from './phone.ts';
import { WhatsAppError, type WhatsAppClient, type WhatsAppTemplate } from './whatsapp/client.ts';

/** Hands one WhatsApp message to Meta (or the dev outbox) and answers its message id. */
export type WhatsAppTransport = {
  text(to: string, body: string, idempotencyKey: string): Promise<string>;
  template(to: string, template: WhatsAppTemplate, idempotencyKey: string): Promise<string>;
};

export function cloudApiTransport(client: WhatsAppClient): WhatsAppTransport {
  return {
    text: async (to, body) => (await client.sendText(to, body)).id,
    template: async (to, template) => (await client.sendTemplate(to, template)).id,
  };
}

/** The customer-service window: free text only while the customer's last message is this recent. */
const SERVICE_WINDOW_MS = 24 * 60 * 60_000;
/** The window must still be open when Meta handles the message, not only when we decide. */
const WINDOW_MARGIN_MS = 60_000;
/** Meta's pair rate: about one message per 6 s from one business number to one customer (131056 beyond). */
export const PAIR_GAP_MS = 6_000;

const templatePayload = z.object({
  template: z.object({
    name: z.string().min(1),
    language: z.string().min(2),
    parameters: z.array(z.string()).default([]),
    urlButtonSuffix: z.string().optional(),
  }),
});

/** Slack on top of the gap: the previous row's sent_at is written a moment after its send returned. */
const PAIR_SLACK_MS = 250;

/** This sidecar's latest send to one number: `done` settles when the provider has answered. */
type LastSend = { at: number; inFlight: boolean; done: Promise<void> };

/**
 * WhatsApp rows of the outbox. At send time the conversation decides: within 24 h of the
 * customer's last message the rendered text goes as free text, otherwise the approved template
 * from `payload.template`. The row's payload then records `sentAs: 'text' | 'template'`.
 *
 * Pair rate: a message to a number that this sidecar messaged less than 6 s ago (or is messaging
 * right now) is not sent but postponed to 6 s after that send. Another sidecar's recent send is
 * not seen here; Meta then answers 131056, which is retried no sooner than 6 s later.
 */
export function whatsAppSender(deps: { pool: Pool; transport: WhatsAppTransport; pace: <T>(send: () => Promise<T>) => Promise<T> }): RowSender {
  const lastSend = new Map<string, LastSend>();
  let pruneAt = Date.now() + 60_000;

  return async (row) => {
    const to = toE164(row.message.to);
    if (!to) throw ChannelError.permanent('not a phone number in E.164', 'invalid_number');
    if (Date.now() > pruneAt) {
      for (const [number, last] of lastSend) if (!last.inFlight && Date.now() - last.at >= PAIR_GAP_MS) lastSend.delete(number);
      pruneAt = Date.now() + 60_000;
    }
    // A send to this number in flight: wait for its answer, then measure the gap from it.
    for (;;) {
      const previous = lastSend.get(to);
      if (!previous) break;
      await previous.done;
      if (lastSend.get(to) !== previous) continue;
      if (Date.now() - previous.at >= PAIR_GAP_MS) break;
      return { postponeUntil: new Date(previous.at + PAIR_GAP_MS + PAIR_SLACK_MS), reason: 'postponed: WhatsApp allows about one message per 6 s to the same customer' };
    }
    // Taken with no await since the check above, so two rows to one number cannot both pass.
    let settle!: () => void;
    const mine: LastSend = { at: Date.now(), inFlight: true, done: new Promise<void>((resolve) => (settle = resolve)) };
    lastSend.set(to, mine);
    let reachedMeta = false;
    try {
      const lastInbound = await openConversation(deps.pool, row.shopId, 'whatsapp', to);
      const inWindow = lastInbound !== null && Date.now() - lastInbound.getTime() < SERVICE_WINDOW_MS - WINDOW_MARGIN_MS;
      const text = row.message.text.trim() ? row.message.text : null;
      const template = templatePayload.safeParse(row.payload ?? {});
      const asText = inWindow && text !== null;
      if (!asText && !template.success) {
        throw ChannelError.permanent('outside the 24-hour service window and no approved template in the message payload', 'use_next_channel');
      }
      try {
        reachedMeta = true;
        const id = asText
          ? await deps.pace(() => deps.transport.text(to, text, row.message.idempotencyKey))
          : await deps.pace(() => deps.transport.template(to, toTemplate(template.data!.template), row.message.idempotencyKey));
        return { providerMessageId: id, payload: { ...(row.payload ?? {}), sentAs: asText ? 'text' : 'template' } };
      } catch (error) {
        if (!(error instanceof WhatsAppError)) throw error;
        if (error.code === 131056) throw new RetryLaterError(error.message, 'pair_rate', PAIR_GAP_MS, error);
        if (error.kind === 'transient') throw ChannelError.retryable(error.message, 'transient', error);
        const named = asText ? '' : `template "${template.data!.template.name}" (${template.data!.template.language}): `;
        throw ChannelError.permanent(`${named}${error.message}`, error.kind, error);
      }
    } finally {
      mine.at = Date.now();
      mine.inFlight = false;
      // Nothing went to Meta (a failure of ours): the next message need not wait for this one.
      if (!reachedMeta && lastSend.get(to) === mine) lastSend.delete(to);
      settle();
    }
  };
}

function toTemplate(t: z.infer<typeof templatePayload>['template']): WhatsAppTemplate {
  return { name: t.name, language: t.language, bodyParameters: t.parameters, ...(t.urlButtonSuffix !== undefined ? { urlButtonSuffix: t.urlButtonSuffix } : {}) };
}
