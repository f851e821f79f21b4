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

/**
 * WhatsApp rows of the outbox. At send time the conversation decides: within 24 h of the
 * customer's last message the rendered text goes as free text, otherwise the approved template
 * from `payload.template`. The row's payload then records `sentAs: 'text' | 'template'`.
 *
 * Pair rate: a second message to a number within 6 s of the previous one sent by this sidecar is
 * not sent but postponed to 6 s after it. Another sidecar's recent send is not seen here; Meta
 * then answers 131056, retried no sooner than 6 s later.
 */
export function whatsAppSender(deps: { pool: Pool; transport: WhatsAppTransport; pace: <T>(send: () => Promise<T>) => Promise<T> }): RowSender {
  /** When this sidecar last sent (or is sending) to each number. */
  const lastSend = new Map<string, number>();
  let pruneAt = Date.now() + 60_000;

  return async (row) => {
    const to = toE164(row.message.to);
    if (!to) throw ChannelError.permanent('not a phone number in E.164', 'invalid_number');
    const now = Date.now();
    if (now > pruneAt) {
      for (const [number, at] of lastSend) if (now - at >= PAIR_GAP_MS) lastSend.delete(number);
      pruneAt = now + 60_000;
    }
    // Checked and taken before any await, so two rows to one number in one batch cannot both pass.
    const previous = lastSend.get(to);
    if (previous !== undefined && now - previous < PAIR_GAP_MS) {
      return { postponeUntil: new Date(previous + PAIR_GAP_MS), reason: 'postponed: WhatsApp allows about one message per 6 s to the same customer' };
    }
    lastSend.set(to, now);

    const lastInbound = await openConversation(deps.pool, row.shopId, 'whatsapp', to);
    const inWindow = lastInbound !== null && Date.now() - lastInbound.getTime() < SERVICE_WINDOW_MS - WINDOW_MARGIN_MS;
    const text = row.message.text.trim() ? row.message.text : null;
    const template = templatePayload.safeParse(row.payload ?? {});
    let sentAs: 'text' | 'template';
    let id: string;
    try {
      if (inWindow && text) {
        sentAs = 'text';
        id = await deps.pace(() => deps.transport.text(to, text, row.message.idempotencyKey));
      } else {
        if (!template.success) {
          throw ChannelError.permanent('outside the 24-hour service window and no approved template in the message payload', 'use_next_channel');
        }
        const t = template.data.template;
        sentAs = 'template';
        id = await deps.pace(() =>
          deps.transport.template(to, { name: t.name, language: t.language, bodyParameters: t.parameters, ...(t.urlButtonSuffix !== undefined ? { urlButtonSuffix: t.urlButtonSuffix } : {}) }, row.message.idempotencyKey),
        );
      }
    } catch (error) {
      if (!(error instanceof WhatsAppError)) throw error;
      if (error.code === 131056) {
        lastSend.set(to, Date.now());
        throw new RetryLaterError(error.message, 'pair_rate', PAIR_GAP_MS, error);
      }
      if (error.kind === 'transient') throw ChannelError.retryable(error.message, 'transient', error);
      const named = template.success && !(inWindow && text) ? `template "${template.data.template.name}" (${template.data.template.language}): ` : '';
      throw ChannelError.permanent(`${named}${error.message}`, error.kind, error);
    }
    lastSend.set(to, Math.max(lastSend.get(to) ?? 0, Date.now()));
    return { providerMessageId: id, payload: { ...(row.payload ?? {}), sentAs } };
  };
}
