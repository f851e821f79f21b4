import { Button, TextControl, VisuallyHidden } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { FlowStep, Gateways, MessageChannel, TextTemplate, TriggerEvent, WhatsAppTemplate } from '@comeback/sidecar/api-contracts';
import type { FieldError } from '../../api.ts';
import { GatewayTexts } from '../../components/GatewayTexts.tsx';
import { TemplateEditor } from '../../components/TemplateEditor.tsx';
import { errorsUnder } from './field-errors.ts';
import { FieldErrors, helpWith } from './flow-fields.tsx';
import { MAX_PARAMETERS } from './flow-limits.ts';
import { createContext, useContext, type ReactNode } from 'react';
import { hasOfflineTexts, textContextOf } from '@comeback/sidecar/flow-texts';
import type { TextContext } from '@comeback/shortcodes';
import { CHANNEL_LABELS } from './flow-words.ts';
import { FilledSmsCount } from './FilledSmsCount.tsx';

type Props = {
  channel: MessageChannel;
  step: FlowStep;
  /** "steps.1": where this step's fields are in the definition (and in the API's errors). */
  at: string;
  event: TriggerEvent;
  configured: boolean;
  /** An unpaid-order flow's gateways: which orders its offline SMS text is counted for. */
  gateways?: Gateways;
  errors: FieldError[];
  /** The step with its change, and the path of what changed (its errors are cleared). */
  onChange: (step: FlowStep, path: string) => void;
  /** A language tab's texts: where they are ("steps.1.translations.pl_PL"), and the language. */
  translation?: { at: string; locale: string };
};

/** The templates of one channel of a step: email subject and body, SMS text, WhatsApp template and free text. */
/** A text's context and what its step's message will know (its coupon; the trigger's parcel, loyalty profile, voucher, survey). */
type ContextOf = (part: 'subject' | 'body' | 'offlineBody') => TextContext;

export function ChannelTexts({ channel, step, at, event, configured, gateways, errors, onChange, translation }: Props) {
  const path = `${translation?.at ?? at}.${channel}`;
  const contextOf: ContextOf = (part) => textContextOf(event, part, step);
  return (
    <fieldset className="comeback-channel-texts" data-channel={channel}>
      <legend>
        {/* The same labels repeat in every step: the legend says which step for a screen reader. */}
        {/^steps\.\d+$/.test(at) && <VisuallyHidden>{sprintf(__('Step %d:', 'comeback'), Number(at.split('.')[1]) + 1)} </VisuallyHidden>}
        {CHANNEL_LABELS[channel]}
        {!configured && <span className="comeback-not-configured">{__('not set up yet', 'comeback')}</span>}
      </legend>
      <FieldErrors errors={errors.filter((e) => e.field === path)} />
      {channel === 'email' && (
        <EmailTexts step={step} path={path} event={event} contextOf={contextOf} errors={errors} onChange={onChange} />
      )}
      {channel === 'sms' && (
        <TextPair
          text={step.sms ?? { body: '' }}
          path={path}
          event={event}
          contextOf={contextOf}
          errors={errors}
          smsCount={(part, value) => (
            <FilledSmsCount event={event} gateways={gateways} step={step} index={stepIndex(at)} part={part} value={value} />
          )}
          onChange={(sms, changed) => onChange({ ...step, sms }, changed)}
        />
      )}
      {channel === 'whatsapp' && (
        <WhatsAppTexts
          whatsapp={step.whatsapp ?? emptyWhatsApp()}
          translated={translation !== undefined}
          path={path}
          event={event}
          contextOf={contextOf}
          errors={errors}
          onChange={(whatsapp, changed) => onChange({ ...step, whatsapp }, changed)}
        />
      )}
    </fieldset>
  );
}

/**
 * The offline payment methods with an email text of their own in this flow (offlineTextGateways:
 * the shop's enabled ones the trigger classes offline), titled as at checkout; FlowEditor provides it.
 */
export const OfflineGateways = createContext<Array<{ id: string; title: string }>>([]);

/** The step's place in its flow ("steps.2": 2); a campaign's one message is 0. */
const stepIndex = (at: string) => Number(/^steps\.(\d+)$/.exec(at)?.[1] ?? 0);

export const emptyWhatsApp = (): WhatsAppTemplate => ({ template: { name: '', language: 'en_US', parameters: [] }, text: { body: '' } });

const onlineLabel = (event: TriggerEvent, what: string) =>
  hasOfflineTexts(event) ? sprintf(__('%s for orders paid online (card, PayPal, PayU…)', 'comeback'), what) : what;

function EmailTexts({
  step,
  path,
  event,
  contextOf,
  errors,
  onChange,
}: {
  step: FlowStep;
  path: string;
  event: TriggerEvent;
  contextOf: ContextOf;
  errors: FieldError[];
  onChange: Props['onChange'];
}) {
  const gateways = useContext(OfflineGateways);
  const email = step.email ?? { subject: '', body: '' };
  const set = (change: Partial<typeof email>, field: string) => onChange({ ...step, email: { ...email, ...change } }, `${path}.${field}`);
  return (
    <>
      <TemplateEditor
        name={`${path}.subject`}
        label={__('Subject', 'comeback')}
        rows={2}
        context={contextOf('subject')}
        value={email.subject}
        onChange={(subject) => set({ subject }, 'subject')}
        errors={errorsUnder(errors, `${path}.subject`)}
      />
      <TemplateEditor
        name={`${path}.body`}
        label={onlineLabel(event, __('Email text', 'comeback'))}
        context={contextOf('body')}
        value={email.body}
        onChange={(body) => set({ body }, 'body')}
        errors={errorsUnder(errors, `${path}.body`)}
      />
      {hasOfflineTexts(event) && (
        <GatewayTexts
          gateways={gateways}
          bodies={email.offlineBodies}
          path={`${path}.offlineBodies`}
          label={(title) => sprintf(__('Email text for %s', 'comeback'), title)}
          context={contextOf('offlineBody')}
          errors={(field) => errorsUnder(errors, field)}
          onChange={(offlineBodies, gateway) => set({ offlineBodies }, `offlineBodies.${gateway}`)}
        />
      )}
      {hasOfflineTexts(event) && (
        <TemplateEditor
          name={`${path}.offlineBody`}
          label={__('Email text for other offline payments (cash on delivery…)', 'comeback')}
          context={contextOf('offlineBody')}
          value={email.offlineBody ?? ''}
          onChange={(offlineBody) => set({ offlineBody }, 'offlineBody')}
          errors={errorsUnder(errors, `${path}.offlineBody`)}
        />
      )}
    </>
  );
}

/** A text and, in unpaid-order flows, its bank-transfer variant. `path` is where `body` is, less ".body". */
function TextPair(props: {
  text: TextTemplate;
  path: string;
  event: TriggerEvent;
  contextOf: ContextOf;
  errors: FieldError[];
  label?: string;
  /** An SMS text's count, under it. */
  smsCount?: (part: 'body' | 'offlineBody', value: string) => ReactNode;
  onChange: (text: TextTemplate, path: string) => void;
}) {
  const { text, path, event, errors } = props;
  const what = props.label ?? __('Text', 'comeback');
  return (
    <>
      <TemplateEditor
        name={`${path}.body`}
        label={onlineLabel(event, what)}
        rows={3}
        context={props.contextOf('body')}
        value={text.body}
        onChange={(body) => props.onChange({ ...text, body }, `${path}.body`)}
        errors={errorsUnder(errors, `${path}.body`)}
        help={props.smsCount?.('body', text.body)}
      />
      {hasOfflineTexts(event) && (
        <TemplateEditor
          name={`${path}.offlineBody`}
          label={sprintf(__('%s for bank transfer and cheque orders', 'comeback'), what)}
          rows={3}
          context={props.contextOf('offlineBody')}
          value={text.offlineBody ?? ''}
          onChange={(offlineBody) => props.onChange({ ...text, offlineBody }, `${path}.offlineBody`)}
          errors={errorsUnder(errors, `${path}.offlineBody`)}
          help={props.smsCount?.('offlineBody', text.offlineBody ?? '')}
        />
      )}
    </>
  );
}

function WhatsAppTexts({
  whatsapp,
  translated,
  path,
  event,
  contextOf,
  errors,
  onChange,
}: {
  whatsapp: WhatsAppTemplate;
  /** A language's texts: its template may be left out (the default template then goes). */
  translated: boolean;
  path: string;
  event: TriggerEvent;
  contextOf: ContextOf;
  errors: FieldError[];
  onChange: (whatsapp: WhatsAppTemplate, path: string) => void;
}) {
  const template = whatsapp.template;
  const setTemplate = (change: Partial<WhatsAppTemplate['template']>, field: string) =>
    onChange({ ...whatsapp, template: { ...template, ...change } }, `${path}.template.${field}`);
  const parameters = template.parameters;
  return (
    <>
      <p className="comeback-muted">
        {__(
          'Outside the 24 hours after the customer last wrote to you, WhatsApp only lets a template approved in WhatsApp Manager go; inside them, the free text below goes.',
          'comeback',
        )}
        {translated && ' '}
        {translated &&
          __(
            'Leave the template name empty if no template is approved in this language: these customers then get the default template.',
            'comeback',
          )}
      </p>
      <div className="comeback-row">
        <TextControl
          __nextHasNoMarginBottom
          name={`${path}.template.name`}
          label={__('Approved template name', 'comeback')}
          value={template.name}
          aria-invalid={errorsUnder(errors, `${path}.template.name`).length > 0 || undefined}
          help={helpWith(__('As in WhatsApp Manager, e.g. cart_reminder.', 'comeback'), errorsUnder(errors, `${path}.template.name`))}
          onChange={(name) => setTemplate({ name }, 'name')}
        />
        <TextControl
          __nextHasNoMarginBottom
          name={`${path}.template.language`}
          label={__('Template language', 'comeback')}
          value={template.language}
          aria-invalid={errorsUnder(errors, `${path}.template.language`).length > 0 || undefined}
          help={helpWith(__('e.g. en_US or pl', 'comeback'), errorsUnder(errors, `${path}.template.language`))}
          onChange={(language) => setTemplate({ language }, 'language')}
        />
      </div>
      <div className="comeback-parameters" role="group" aria-label={__('Template parameters', 'comeback')}>
        <span className="comeback-label">{__('Template parameters', 'comeback')}</span>
        <FieldErrors errors={errors.filter((e) => e.field === `${path}.template.parameters`)} />
        {parameters.length === 0 && <p className="comeback-muted">{__('This template has no parameters.', 'comeback')}</p>}
        {parameters.map((value, j) => (
          <div className="comeback-parameter" key={j}>
            <TemplateEditor
              name={`${path}.template.parameters.${j}`}
              label={sprintf(__('Parameter {{%d}}', 'comeback'), j + 1)}
              rows={1}
              palette={false}
              context={contextOf('body')}
              value={value}
              onChange={(next) => setTemplate({ parameters: parameters.map((p, k) => (k === j ? next : p)) }, `parameters.${j}`)}
              errors={errorsUnder(errors, `${path}.template.parameters.${j}`)}
            />
            <Button
              variant="tertiary"
              isDestructive
              size="small"
              onClick={() => setTemplate({ parameters: parameters.filter((_, k) => k !== j) }, 'parameters')}
              aria-label={sprintf(__('Remove parameter {{%d}}', 'comeback'), j + 1)}
            >
              {__('Remove', 'comeback')}
            </Button>
          </div>
        ))}
        {parameters.length < MAX_PARAMETERS && (
          <Button
            variant="secondary"
            size="small"
            onClick={() => setTemplate({ parameters: [...parameters, '[customer_first_name]'] }, 'parameters')}
          >
            {__('Add a parameter', 'comeback')}
          </Button>
        )}
      </div>
      <TextPair
        text={whatsapp.text}
        path={`${path}.text`}
        event={event}
        contextOf={contextOf}
        errors={errors}
        label={__('Free text', 'comeback')}
        onChange={(text, changed) => onChange({ ...whatsapp, text }, changed)}
      />
    </>
  );
}
