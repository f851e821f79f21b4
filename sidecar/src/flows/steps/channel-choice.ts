import { singleEmailAddress } from '../../customers/email-address.ts';
import { toE164 } from '../../customers/phone.ts';
import { mayContact, type ConsentRecord, type Purpose } from '../../consent/consent.ts';
import type { MessageChannel } from '../../messages/message-channel.ts';
import type { FlowDefinition, FlowStep } from '../definition/flow-definition.ts';
import type { MessageSubject } from '../../messages/step-message.ts';

/** How a subject's customer is reached: their email, phone as typed, and billing country (for E.164 and the time zone). */
export type Contact = { email: string | null; phone: string | null; country: string | null };
export const NO_CONTACT: Contact = { email: null, phone: null, country: null };

export function contactOf(subject: MessageSubject): Contact {
  if (subject.kind === 'cart') return { email: subject.cart.email, phone: subject.cart.phone, country: subject.cart.country };
  if (subject.kind === 'customer')
    return { email: subject.customer.email, phone: subject.customer.phone, country: subject.customer.country };
  const billing = (subject.order.billing ?? {}) as Record<string, string | undefined>;
  return { email: billing.email || null, phone: billing.phone || null, country: billing.country || null };
}

/** The address on each channel: the email lower-cased, the phone in E.164 for SMS and WhatsApp. */
export function addressesOf(contact: Contact): Record<MessageChannel, string | null> {
  const e164 = toE164(contact.phone, contact.country);
  // Exactly one address or none: "a@x.com, b@y.com" would reach someone the order never named.
  return { email: singleEmailAddress(contact.email)?.toLowerCase() ?? null, sms: e164, whatsapp: e164 };
}

/** The consent of an address among those looked up (email addresses are keyed lower-cased, as stored). */
export function consentOf(consents: Map<string, ConsentRecord>, channel: MessageChannel, address: string): ConsentRecord | undefined {
  return consents.get(channel === 'email' ? address.toLowerCase() : address);
}

type Refusal = {
  channel: MessageChannel;
  outcome: 'no_address' | 'no_consent' | 'withdrawn' | 'bounced' | 'channel_not_configured' | 'no_template';
  detail: string;
};

/**
 * The first channel of the step's list (after those already tried) that can reach the customer:
 * a template for it, the channel set up, an address, and consent for the flow's purpose.
 */
export async function chooseChannel(
  deps: { channels: () => Record<MessageChannel, boolean> },
  batch: { consent(shopId: number, purpose: Purpose, channel: MessageChannel, address: string): Promise<ConsentRecord | undefined> },
  shopId: number,
  flow: FlowDefinition,
  step: FlowStep,
  addresses: Record<MessageChannel, string | null>,
  tried: MessageChannel[],
): Promise<{ channel: MessageChannel | null; refused: Refusal[] }> {
  const refused: Refusal[] = [];
  const configured = deps.channels();
  for (const channel of step.channels) {
    if (tried.includes(channel)) continue;
    if (!step[channel]) {
      refused.push({ channel, outcome: 'no_template', detail: `the step has no ${channel} text` });
      continue;
    }
    if (!configured[channel]) {
      refused.push({ channel, outcome: 'channel_not_configured', detail: `${channel} is not set up` });
      continue;
    }
    const address = addresses[channel];
    if (!address) {
      refused.push({
        channel,
        outcome: 'no_address',
        detail: channel === 'email' ? 'no email address' : 'no phone number that takes messages',
      });
      continue;
    }
    const consent = await batch.consent(shopId, flow.purpose, channel, address);
    const verdict = mayContact(channel, flow.purpose, consent);
    if (!verdict.ok) {
      refused.push({
        channel,
        outcome: verdict.reason,
        detail:
          verdict.reason === 'withdrawn'
            ? `opted out of ${flow.purpose} messages by ${channel} (${consent!.source}, ${consent!.changedAt.toISOString()})`
            : verdict.reason === 'bounced'
              ? `the address bounced (${consent!.changedAt.toISOString()})`
              : `no ${flow.purpose} consent for ${channel}${consent?.status === 'pending' ? ' (waiting for the double opt-in click)' : ''}`,
      });
      continue;
    }
    return { channel, refused };
  }
  return { channel: null, refused };
}
