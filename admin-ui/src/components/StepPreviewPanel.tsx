import { Button, Notice, SelectControl, Spinner, TextControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { useEffect, useState } from 'react';
import type {
  FlowStep,
  Gateways,
  MessageChannel,
  PreviewSubjects,
  StepPreview,
  TestRecipientList,
  TriggerEvent,
} from '@comeback/sidecar/api-contracts';
import { subjectTypeOf } from '@comeback/sidecar/flow-texts';
import { api, currentHost, type ApiError } from '../api.ts';
import { asApiError, useLoad } from './async.tsx';
import { CHANNEL_LABELS } from './channel-words.ts';
import { type Status, StatusNotice } from './StatusNotice.tsx';
import { languageOnly, type PreviewLanguage } from './languages.ts';

const SAMPLE = 'sample';

export type PreviewGateways = Gateways;

type Props = {
  /** What starts the flow: what its messages are about (an order, a cart, a customer). */
  event: TriggerEvent;
  /** An unpaid-order flow's gateways: which orders get the bank-transfer text. */
  gateways?: Gateways;
  step: FlowStep;
  index: number;
  /** "Step 2", "Offer B", "The campaign's message". */
  name: string;
  /** The language tab shown (a WordPress locale), null for the default text. */
  language?: string | null;
};

/**
 * A step's message as the customer gets it, rendered by the sidecar through the path a real send
 * takes: for an order, cart or customer of the shop the merchant picks (or a labelled sample), on
 * each channel of the step; SMS and WhatsApp in a phone-like frame, counted after filling, with
 * WhatsApp's approved template and its filled parameters. "Send me a test" sends it once, marked [Test].
 */
export function StepPreviewPanel(props: Props) {
  const [open, setOpen] = useState(false);
  return (
    <div className="comeback-step-preview">
      <Button variant="secondary" size="small" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? sprintf(__('Hide the preview of %s', 'comeback'), props.name) : sprintf(__('Preview and test %s', 'comeback'), props.name)}
      </Button>
      {open && <OpenPreview {...props} />}
    </div>
  );
}

function OpenPreview({ event, gateways, step, index, name, language = null }: Props) {
  const kind = subjectTypeOf(event) === 'event' ? 'customer' : subjectTypeOf(event);
  const channels = step.channels;
  const [channel, setChannel] = useState<MessageChannel>(channels[0] ?? 'email');
  const shown = channels.includes(channel) ? channel : (channels[0] ?? 'email');
  const [subject, setSubject] = useState<string>('');
  const [gateway, setGateway] = useState<'online' | 'offline'>('online');
  const [options, setOptions] = useState<PreviewSubjects['options']>([]);

  useEffect(() => {
    api<PreviewSubjects>('GET', `/api/previews/subjects?kind=${kind}`).then(
      (list) => setOptions(list.options),
      () => setOptions([]),
    );
  }, [kind]);

  const request = {
    ...draftPreviewRequest(event, gateways, step, index, shown, language),
    ...(subject === SAMPLE ? { subject: SAMPLE } : subject ? { subject: { kind, id: subject } } : {}),
    ...(event === 'order.unpaid' ? { gateway } : {}),
  };
  const { preview, error, loading } = useStepPreview(request);
  const problem =
    error === null
      ? null
      : error.code === 'invalid_template' || error.code === 'invalid_body' || error.code === 'no_template'
        ? __('Fix the problems in this text to see it as the customer will.', 'comeback')
        : error.message;

  return (
    <div className="comeback-preview comeback-preview--step" aria-busy={loading} data-testid={`preview-${index}`}>
      <div className="comeback-preview__controls">
        <SelectControl
          __nextHasNoMarginBottom
          label={sprintf(__('Show %s for', 'comeback'), name)}
          value={subject}
          options={[
            { value: '', label: __('The newest suitable one of the shop', 'comeback') },
            ...options.map((o) => ({ value: o.id, label: o.label })),
            { value: SAMPLE, label: __('A sample (made up)', 'comeback') },
          ]}
          onChange={setSubject}
        />
        {channels.length > 1 && (
          <Segmented
            label={__('Channel', 'comeback')}
            value={shown}
            choices={channels.map((c) => [c, CHANNEL_LABELS[c]])}
            onChange={setChannel}
          />
        )}
        {event === 'order.unpaid' && (
          <Segmented
            label={__('Kind of order', 'comeback')}
            value={gateway}
            choices={[
              ['online', __('Paid online', 'comeback')],
              ['offline', __('Bank transfer', 'comeback')],
            ]}
            onChange={setGateway}
          />
        )}
        {loading && <Spinner />}
      </div>
      {problem && (
        <Notice status="warning" isDismissible={false}>
          {problem}
        </Notice>
      )}
      {preview && (
        <>
          <p className="comeback-preview__order" data-testid="preview-about">
            {preview.sample
              ? __('Shown with a sample (made up): the shop has none of its kind yet, or the sample was chosen.', 'comeback')
              : sprintf(__('Shown for %s.', 'comeback'), preview.subject?.label ?? '')}
          </p>
          <FellBack language={(preview as StepPreview & { language?: PreviewLanguage }).language} />
          <RenderedMessage preview={preview} />
        </>
      )}
      <TestSend channel={shown} disabled={!preview} send={(to) => api<{ to: string }>('POST', '/api/previews/test', { ...request, to })} />
    </div>
  );
}

/** What POST /api/previews is asked for a step as the editor holds it (not yet saved): its trigger, texts and coupon, on one channel. */
export function draftPreviewRequest(
  event: TriggerEvent,
  gateways: Gateways | undefined,
  step: FlowStep,
  index: number,
  channel: MessageChannel,
  /** The language tab's locale: the step's text in it, or the default text said to be so. */
  language: string | null = null,
) {
  return {
    draft: {
      trigger: { event, ...(gateways ? { gateways } : {}) },
      step: { email: step.email, sms: step.sms, whatsapp: step.whatsapp, coupon: step.coupon, translations: step.translations },
    },
    step: index,
    channel,
    ...(language ? { language } : {}),
  };
}

/** Said plainly when the language asked for has no text on this channel yet: what is shown is the default text they get. */
export function FellBack({ language }: { language: PreviewLanguage | undefined }) {
  if (!language?.fellBack || !language.requested) return null;
  const name = languageOnly(language.requested);
  return (
    <Notice status="info" isDismissible={false} className="comeback-preview__fell-back">
      {/* translators: both %s are a language's name, e.g. "German" */}
      {sprintf(__('No %1$s text yet — this is the default text customers in %2$s get.', 'comeback'), name, name)}
    </Notice>
  );
}

/**
 * The sidecar's rendering of a preview request (POST /api/previews), asked again once typing has
 * settled for a moment; an answer to a request since changed is dropped. `loading` until the
 * answer to the current request is in; the last answer stays meanwhile.
 */
export function useStepPreview(request: object) {
  const [preview, setPreview] = useState<StepPreview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const key = JSON.stringify(request);
  useEffect(() => {
    let current = true;
    setLoading(true);
    const timer = setTimeout(() => {
      api<StepPreview>('POST', '/api/previews', request).then(
        (next) => {
          if (!current) return;
          setPreview(next);
          setError(null);
          setLoading(false);
        },
        (failure: unknown) => {
          if (!current) return;
          setPreview(null);
          setError(asApiError(failure));
          setLoading(false);
        },
      );
    }, 350);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the request (key) is what matters
  }, [key]);
  return { preview, error, loading };
}

/**
 * "Send me a test". In WordPress a test email goes to the signed-in merchant's own address, which
 * the plugin fills in (it refuses anyone else's), and a text to their own mobile. In the sidecar's
 * own admin a test goes only to an address or number confirmed under Test recipients (Connection
 * screen), so the field offers those alone.
 */
export function TestSend(props: { channel: MessageChannel; disabled: boolean; send: (to: string) => Promise<{ to: string }> }) {
  const [to, setTo] = useState('');
  const [sent, setSent] = useState<Status | null>(null);
  const inWordPress = currentHost()?.kind === 'wordpress';
  const ownAddress = props.channel === 'email' && inWordPress;
  const pickAddress = !inWordPress;
  const recipients = useLoad(
    () => (pickAddress ? api<TestRecipientList>('GET', '/api/test-recipients') : Promise.resolve({ recipients: [] })),
    `test-recipients-${pickAddress}`,
  );
  const kind = props.channel === 'email' ? 'email' : 'phone';
  const confirmed = (recipients.data?.recipients ?? []).filter((r) => r.state !== 'pending' && r.channel === kind).map((r) => r.address);
  const chosen = pickAddress ? (confirmed.includes(to) ? to : (confirmed[0] ?? '')) : to.trim();
  async function sendTest() {
    setSent(null);
    try {
      const answer = await props.send(ownAddress ? '' : chosen);
      setSent({ kind: 'success', message: sprintf(__('A test was sent to %s.', 'comeback'), answer.to) });
    } catch (error) {
      setSent({ kind: 'error', message: asApiError(error).message });
    }
  }
  return (
    <>
      <div className="comeback-test-send">
        {pickAddress && confirmed.length > 0 && (
          <SelectControl
            __nextHasNoMarginBottom
            label={props.channel === 'email' ? __('Send a test to', 'comeback') : __('Send a test to the number', 'comeback')}
            value={chosen}
            options={confirmed.map((address) => ({ value: address, label: address }))}
            onChange={setTo}
          />
        )}
        {pickAddress && recipients.data && confirmed.length === 0 && (
          <p className="comeback-muted">
            {props.channel === 'email'
              ? __('Add and confirm an address under Test recipients (Connection) to send tests.', 'comeback')
              : __('Add and confirm a number under Test recipients (Connection) to send test texts.', 'comeback')}
          </p>
        )}
        {!ownAddress && !pickAddress && (
          <TextControl
            __nextHasNoMarginBottom
            type="tel"
            label={__('Send a test to the number', 'comeback')}
            value={to}
            onChange={setTo}
            placeholder="+48 500 000 001"
          />
        )}
        <Button variant="secondary" onClick={() => void sendTest()} disabled={props.disabled || (!ownAddress && chosen.length < 3)}>
          {__('Send me a test', 'comeback')}
        </Button>
      </div>
      <StatusNotice status={sent} onRemove={() => setSent(null)} />
    </>
  );
}

/** One choice of a few, as pressed buttons. */
function Segmented<T extends string>(props: { label: string; value: T; choices: Array<[T, string]>; onChange: (value: T) => void }) {
  return (
    <div className="comeback-segmented" role="group" aria-label={props.label}>
      {props.choices.map(([value, text]) => (
        <Button
          key={value}
          size="small"
          variant={value === props.value ? 'primary' : 'secondary'}
          aria-pressed={value === props.value}
          onClick={() => props.onChange(value)}
        >
          {text}
        </Button>
      ))}
    </div>
  );
}

/** An SMS's length and parts as the phone network carries it: "160 characters · 1 SMS (GSM-7)". */
export const smsCountWords = (count: NonNullable<StepPreview['count']>) =>
  sprintf(__('%1$d characters · %2$d SMS (%3$s)', 'comeback'), count.characters, count.segments, count.encoding);

/** The email in a sandboxed frame, or the text in a phone-like frame with what it costs. */
function RenderedMessage({ preview }: { preview: StepPreview }) {
  const message = preview.message;
  if (message.channel === 'email') {
    return (
      <div className="comeback-preview__message">
        <div className="comeback-preview__subject">
          <span>{__('Subject:', 'comeback')}</span> <strong data-testid="preview-subject">{message.subject}</strong>
        </div>
        {/* sandbox without allow-scripts: the message is shown, nothing in it runs. */}
        <iframe
          title={__('The email as the customer sees it', 'comeback')}
          className="comeback-preview__frame"
          sandbox="allow-popups"
          srcDoc={message.html}
        />
      </div>
    );
  }
  const count = preview.count;
  return (
    <div className="comeback-preview__message">
      <div className="comeback-phone" aria-label={__('The message as a phone shows it', 'comeback')}>
        <div className="comeback-phone__bubble" data-testid="preview-text">
          {message.text}
        </div>
      </div>
      {count && message.channel === 'sms' && (
        <p className="comeback-preview__count" data-testid="preview-count">
          {smsCountWords(count)}
        </p>
      )}
      {message.channel === 'whatsapp' && (
        <div className="comeback-preview__template" data-testid="preview-template">
          <p className="comeback-preview__count" data-testid="preview-count">
            {sprintf(__('%d characters, sent as one message inside the 24-hour window', 'comeback'), [...message.text].length)}
          </p>
          <p>
            {sprintf(
              __('Outside the 24-hour window the approved template %1$s (%2$s) goes, with:', 'comeback'),
              message.template.name,
              message.template.language,
            )}
          </p>
          <ol>
            {message.template.parameters.map((p, i) => (
              <li key={i}>
                <code>{`{{${i + 1}}}`}</code> {p}
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
