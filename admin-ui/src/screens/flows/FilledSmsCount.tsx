import { __, _n, sprintf } from '@wordpress/i18n';
import type { FlowStep, Gateways, TriggerEvent } from '@comeback/sidecar/api-contracts';
import { draftPreviewRequest, smsCountWords, useStepPreview } from '../../components/StepPreviewPanel.tsx';

/**
 * What an SMS text costs as the customer gets it: its length and parts after the shortcodes are
 * filled ([shop_name] becomes the shop's name, [coupon_code] a code…), counted by the sidecar's
 * preview (POST /api/previews, messages/sms-segments.ts) for the newest suitable order, cart or
 * customer of the shop, or the sample, and named. While that answer is on its way, or when the
 * text cannot be filled yet, the text as typed is counted and said to be so.
 */
export function FilledSmsCount(props: {
  event: TriggerEvent;
  gateways?: Gateways;
  step: FlowStep;
  index: number;
  /** The online text, or in an unpaid-order flow the one for offline payments. */
  part: 'body' | 'offlineBody';
  value: string;
}) {
  const { event, step, part } = props;
  // The SMS alone: an edit of the step's email or WhatsApp text does not ask again.
  const smsOnly: FlowStep = { ...step, email: undefined, whatsapp: undefined };
  const request = {
    ...draftPreviewRequest(event, props.gateways, smsOnly, props.index, 'sms'),
    ...(event === 'order.unpaid' ? { gateway: part === 'offlineBody' ? 'offline' : 'online' } : {}),
  };
  const { preview, loading } = useStepPreview(request);
  const count = preview?.count;
  if (loading || !preview || !count) {
    const raw = [...props.value].length;
    return (
      <span className="comeback-sms-count" data-testid="sms-count" data-filled="false">
        {sprintf(
          _n(
            '%d character as typed, before the shortcodes are filled in; over 160 goes as several SMS.',
            '%d characters as typed, before the shortcodes are filled in; over 160 goes as several SMS.',
            raw,
            'comeback',
          ),
          raw,
        )}
      </span>
    );
  }
  const who = preview.sample ? __('a sample (made up)', 'comeback') : (preview.subject?.label ?? '');
  return (
    <span className="comeback-sms-count" data-testid="sms-count" data-filled="true">
      {/* translators: 1: "160 characters · 1 SMS (GSM-7)", 2: the order, cart or customer the text was filled in for */}
      {sprintf(__('%1$s after filling in for %2$s.', 'comeback'), smsCountWords(count), who)}
    </span>
  );
}
