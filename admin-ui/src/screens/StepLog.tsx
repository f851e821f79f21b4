import { __, sprintf } from '@wordpress/i18n';
import type { StepLogEntry } from '@comeback/sidecar/api-contracts';
import { when } from '../components/async.tsx';

const CHANNEL: Record<string, string> = {
  email: __('email', 'comeback'),
  sms: __('SMS', 'comeback'),
  whatsapp: __('WhatsApp', 'comeback'),
};
const ADDRESS: Record<string, string> = {
  email: __('email address', 'comeback'),
  sms: __('mobile number', 'comeback'),
  whatsapp: __('WhatsApp number', 'comeback'),
};

const PURPOSE: Record<string, string> = {
  order: __('messages about their orders', 'comeback'),
  cart: __('cart reminders', 'comeback'),
  marketing: __('offers and news', 'comeback'),
};

/** The engine's outcome codes, as a sentence the merchant understands. */
export function outcomeInWords(entry: StepLogEntry): string {
  const channel = entry.channel ? (CHANNEL[entry.channel] ?? entry.channel) : __('any channel', 'comeback');
  switch (entry.outcome) {
    case 'queued':
      return sprintf(__('Sent by %s (queued in the outbox).', 'comeback'), channel);
    case 'held_out':
      return __('Not sent: this customer is in the control group (hold-out), who get no messages.', 'comeback');
    case 'no_consent':
      // The engine's detail names the purpose that was missing ("no cart consent for sms").
      return sprintf(
        __('Not sent by %1$s: the customer has not agreed to %2$s there.', 'comeback'),
        channel,
        PURPOSE[/^no (order|cart|marketing) consent/.exec(entry.detail ?? '')?.[1] ?? 'marketing'] ?? '',
      );
    case 'withdrawn':
      return sprintf(__('Not sent by %s: the customer opted out (unsubscribed or replied STOP).', 'comeback'), channel);
    case 'bounced':
      return sprintf(__('Not sent by %s: mail to this address bounced, so it gets no marketing.', 'comeback'), channel);
    case 'capped':
      return __('Not sent: the customer already had as many messages as allowed for now.', 'comeback');
    case 'quiet_hours':
      return __('Held back: outside the hours messages may go; moved to when they begin.', 'comeback');
    case 'condition_not_met':
      return __('Skipped: the step’s condition was not met.', 'comeback');
    case 'no_address':
      return sprintf(
        __('Not sent by %1$s: the customer left no %2$s.', 'comeback'),
        channel,
        entry.channel ? (ADDRESS[entry.channel] ?? channel) : channel,
      );
    case 'channel_not_configured':
      return sprintf(__('Not sent by %s: that channel is not set up.', 'comeback'), channel);
    case 'fallback':
      return sprintf(
        __('%s did not work out: the next channel of the step was tried.', 'comeback'),
        channel.charAt(0).toUpperCase() + channel.slice(1),
      );
    case 'undeliverable':
      return sprintf(__('Could not be delivered by %s.', 'comeback'), channel);
    case 'no_template':
      return sprintf(__('Not sent by %s: the step has no text for it.', 'comeback'), channel);
    case 'not_sent':
      return __('Not sent: no channel of the step could reach the customer.', 'comeback');
    case 'exited':
      return __('Left the flow.', 'comeback');
    default:
      return sprintf(__('%1$s (%2$s).', 'comeback'), entry.outcome, channel);
  }
}

/** The engine's detail, its times (ISO, UTC) in the merchant's own clock. */
const readableDetail = (detail: string) => detail.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z/g, (iso) => when(iso));

/** "Why not sent": each step's decisions in order, in plain words, with the engine's detail. */
export function StepLog({ log }: { log: StepLogEntry[] }) {
  if (log.length === 0) return <p className="comeback-muted">{__('No step has been run yet.', 'comeback')}</p>;
  const steps = [...new Set(log.map((e) => e.step))].sort((a, b) => a - b);
  return (
    <div className="comeback-steplog" data-testid="step-log">
      {steps.map((step) => (
        <section key={step} aria-labelledby={`comeback-steplog-${step}`}>
          <h4 id={`comeback-steplog-${step}`}>{sprintf(__('Step %d', 'comeback'), step + 1)}</h4>
          <ol className="comeback-timeline">
            {log
              .filter((e) => e.step === step)
              .map((e, i) => (
                <li key={i} className={`comeback-steplog__entry comeback-steplog__entry--${e.outcome}`} data-outcome={e.outcome}>
                  <time>{when(e.at)}</time> {outcomeInWords(e)}
                  {e.detail && <span className="comeback-muted"> ({readableDetail(e.detail)})</span>}
                </li>
              ))}
          </ol>
        </section>
      ))}
    </div>
  );
}
