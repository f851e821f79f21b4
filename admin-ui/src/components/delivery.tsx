import { __, sprintf } from '@wordpress/i18n';

/**
 * What the provider last reported about a sent message, in a shop owner's words: the SMS and
 * WhatsApp providers' statuses, and for email a bounce (the relay's refusal, or a delivery status
 * notification) or a delivery report. channels/channel-store.ts recordStatusOf keeps the furthest
 * one on the outbox row; a status we do not know is shown as the provider wrote it.
 */
const WORDS: Record<string, string> = {
  accepted: __('Accepted by the provider', 'comeback'),
  scheduled: __('Accepted by the provider', 'comeback'),
  queued: __('Accepted by the provider', 'comeback'),
  sending: __('On its way', 'comeback'),
  sent: __('Handed to the network', 'comeback'),
  delivered: __('Delivered', 'comeback'),
  read: __('Read', 'comeback'),
  undelivered: __('Not delivered', 'comeback'),
  failed: __('Not delivered', 'comeback'),
  canceled: __('Cancelled by the provider', 'comeback'),
  bounced: __('Bounced', 'comeback'),
};

/** The status in words, with the provider's reason after a colon when there is one ("Not delivered: Unreachable handset"). */
export function deliveryInWords(status: string, error: string | null): string {
  const words = WORDS[status] ?? status;
  return error ? sprintf(__('%1$s: %2$s', 'comeback'), words, error) : words;
}

/** good: it reached the customer; bad: it never will; else on its way. */
const tone = (status: string) =>
  status === 'delivered' || status === 'read'
    ? 'good'
    : ['undelivered', 'failed', 'canceled', 'bounced'].includes(status)
      ? 'bad'
      : 'waiting';

/** The delivery status as a badge, or nothing before a provider has reported. */
export function DeliveryStatus({ status, error }: { status: string | null; error: string | null }) {
  if (!status) return null;
  return (
    <span className={`comeback-delivery comeback-delivery--${tone(status)}`} data-delivery={status}>
      {deliveryInWords(status, error)}
    </span>
  );
}
