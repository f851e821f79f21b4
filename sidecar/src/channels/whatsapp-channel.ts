import { z } from 'zod';
import type { Queryable } from '../db/queryable.ts';
import { openConversation } from './conversations.ts';
import type { Pace } from './pacing.ts';
import { toE164 } from '../customers/phone.ts';
import { ChannelError, type OutboxRow, type SendOutcome } from './provider.ts';

/** An approved WhatsApp template, as the row's payload names it. */
export type WhatsAppTemplate = {
  name: string;
  /** Meta's language code of the approved template, e.g. "pl" or "en_US". */
  language: string;
  /** The template's {{1}}, {{2}}… in order. */
  bodyParameters: string[];
  /** Appended to the base URL of the template's first URL button (e.g. "1042?k=…"). */
  urlButtonSuffix?: string;
};

/**
 * Hands one WhatsApp message to the provider and answers its message id; throws ChannelError when
 * it did not go (RetryLaterError for the provider's own pair-rate answer).
 */
export type WhatsAppTransport = {
  text(to: string, body: string, idempotencyKey: string): Promise<string>;
  template(to: string, template: WhatsAppTemplate, idempotencyKey: string): Promise<string>;
};

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
 * What every WhatsApp provider does with an outbox row. At send time the conversation decides:
 * within 24 h of the customer's last message the rendered text goes as free text, otherwise the
 * approved template from `payload.template`. The row's payload then records `sentAs: 'text' |
 * 'template'`. Outside the window with no template the row fails for good (`use_next_channel`).
 *
 * Pair rate: a message to a number that this sidecar messaged less than 6 s ago (or is messaging
 * right now) is not sent but postponed to 6 s after that send. Another sidecar's recent send is
 * not seen here; Meta then answers 131056, which is retried no sooner than 6 s later.
 */
export function whatsAppSend(deps: {
  pool: Queryable;
  transport: WhatsAppTransport;
  pace: Pace;
}): (row: OutboxRow) => Promise<SendOutcome> {
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
      return {
        postponeUntil: new Date(previous.at + PAIR_GAP_MS + PAIR_SLACK_MS),
        reason: 'postponed: WhatsApp allows about one message per 6 s to the same customer',
      };
    }
    // Taken with no await since the check above, so two rows to one number cannot both pass.
    let settle!: () => void;
    const mine: LastSend = { at: Date.now(), inFlight: true, done: new Promise<void>((resolve) => (settle = resolve)) };
    lastSend.set(to, mine);
    let reachedProvider = false;
    try {
      const lastInbound = await openConversation(deps.pool, row.shopId, 'whatsapp', to);
      const inWindow = lastInbound !== null && Date.now() - lastInbound.getTime() < SERVICE_WINDOW_MS - WINDOW_MARGIN_MS;
      const text = row.message.text.trim() ? row.message.text : null;
      const template = templatePayload.safeParse(row.payload ?? {});
      const asText = inWindow && text !== null;
      if (!asText && !template.success) {
        throw ChannelError.permanent(
          'outside the 24-hour service window and no approved template in the message payload',
          'use_next_channel',
        );
      }
      reachedProvider = true;
      const id = asText
        ? await deps.pace(() => deps.transport.text(to, text, row.message.idempotencyKey))
        : await deps.pace(() => deps.transport.template(to, toTemplate(template.data!.template), row.message.idempotencyKey));
      return { providerMessageId: id, payload: { ...(row.payload ?? {}), sentAs: asText ? 'text' : 'template' } };
    } finally {
      mine.at = Date.now();
      mine.inFlight = false;
      // Nothing went to the provider (a failure of ours): the next message need not wait for this one.
      if (!reachedProvider && lastSend.get(to) === mine) lastSend.delete(to);
      settle();
    }
  };
}

function toTemplate(t: z.infer<typeof templatePayload>['template']): WhatsAppTemplate {
  return {
    name: t.name,
    language: t.language,
    bodyParameters: t.parameters,
    ...(t.urlButtonSuffix !== undefined ? { urlButtonSuffix: t.urlButtonSuffix } : {}),
  };
}
