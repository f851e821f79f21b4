import { Button, Card, CardBody, CardHeader, SelectControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { ChannelsConfigured, DelayUnit, FlowStep, MessageChannel, StepCondition, TriggerEvent } from '@comeback/sidecar/api-contracts';
import type { FieldError } from '../../api.ts';
import { ChannelOrder } from './ChannelOrder.tsx';
import { emptyWhatsApp } from './ChannelTexts.tsx';
import { CouponToggle } from './CouponFields.tsx';
import { errorsOutside, errorsUnder } from './field-errors.ts';
import { DelayValueField, FieldErrors, NumberField } from './flow-fields.tsx';
import { MAX_CONDITIONS } from './flow-limits.ts';
import { hasOfflineTexts } from '@comeback/sidecar/flow-texts';
import type { PreviewGateways } from '../../components/StepPreviewPanel.tsx';
import { moneyLabel } from '../../components/shop-format.ts';
import { delayAnchor, stepInWords } from './flow-words.ts';
import { StepTexts } from './StepTexts.tsx';

type Props = {
  step: FlowStep;
  index: number;
  count: number;
  event: TriggerEvent;
  /** An unpaid-order flow's gateways: its preview shows the bank-transfer text for offline ones. */
  gateways?: PreviewGateways;
  configured: ChannelsConfigured;
  errors: FieldError[];
  onChange: (step: FlowStep, path: string) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
  /** The languages any step of the flow has texts in: every step shows their tabs. */
  locales: string[];
  /** The languages to offer when adding one, the shop's first. */
  offered: string[];
  /** Removes a language's texts from every step of the flow (FlowEditor asks first). */
  onRemoveLanguage: (locale: string) => void;
};

const UNITS: Array<{ label: string; value: DelayUnit }> = [
  { label: __('minutes', 'comeback'), value: 'minutes' },
  { label: __('hours', 'comeback'), value: 'hours' },
  { label: __('days', 'comeback'), value: 'days' },
];

/** A channel added to a step starts from the text another channel of the step has, if any. */
export function withTemplate(step: FlowStep, channel: MessageChannel, event: TriggerEvent): FlowStep {
  if (step[channel]) return step;
  const offline = hasOfflineTexts(event) ? { offlineBody: '' } : {};
  const text = step.sms?.body ?? step.whatsapp?.text.body ?? '';
  // offlineBodies, even empty: an email with an offline text and none is read as one saved before per-method texts.
  if (channel === 'email')
    return { ...step, email: { subject: '', body: '', ...offline, ...(hasOfflineTexts(event) ? { offlineBodies: {} } : {}) } };
  if (channel === 'sms') return { ...step, sms: { body: text, ...offline } };
  const whatsapp = emptyWhatsApp();
  return { ...step, whatsapp: { ...whatsapp, text: { body: text, ...offline } } };
}

/** One step: when (after the trigger), the channels in order of preference, their texts, and its conditions. */
export function StepEditor(props: Props) {
  const { step, index, count, event, gateways, configured, errors, onChange, onMove, onRemove } = props;
  const at = `steps.${index}`;
  const number = index + 1;
  const set = (change: Partial<FlowStep>, path: string) => onChange({ ...step, ...change }, `${at}.${path}`);
  const mine = errorsUnder(errors, at);

  function setCondition(j: number, condition: StepCondition) {
    set({ conditions: step.conditions.map((c, k) => (k === j ? condition : c)) }, `conditions.${j}`);
  }

  return (
    <Card className="comeback-step" size="small" id={`comeback-step-${index}`}>
      <CardHeader>
        <h3 className="comeback-step__title">
          {sprintf(__('Step %d', 'comeback'), number)} <span className="comeback-muted">{stepInWords(step)}</span>
        </h3>
        <div className="comeback-step__actions">
          <Button
            variant="tertiary"
            size="small"
            disabled={index === 0}
            onClick={() => onMove(-1)}
            accessibleWhenDisabled
            aria-label={sprintf(__('Move up (step %d)', 'comeback'), number)}
          >
            {__('Move up', 'comeback')}
          </Button>
          <Button
            variant="tertiary"
            size="small"
            disabled={index === count - 1}
            onClick={() => onMove(1)}
            accessibleWhenDisabled
            aria-label={sprintf(__('Move down (step %d)', 'comeback'), number)}
          >
            {__('Move down', 'comeback')}
          </Button>
          <Button
            variant="tertiary"
            size="small"
            isDestructive
            disabled={count === 1}
            onClick={onRemove}
            accessibleWhenDisabled
            aria-label={sprintf(__('Remove step %d', 'comeback'), number)}
          >
            {__('Remove', 'comeback')}
          </Button>
        </div>
      </CardHeader>
      <CardBody>
        <FieldErrors
          errors={errorsOutside(mine, [
            `${at}.delay`,
            `${at}.channels`,
            `${at}.conditions`,
            `${at}.coupon`,
            `${at}.translations`,
            ...step.channels.map((c) => `${at}.${c}`),
          ])}
        />
        <div className="comeback-delay">
          <DelayValueField
            name={`${at}.delay.value`}
            min={0}
            value={step.delay.value}
            errors={errorsUnder(mine, `${at}.delay`)}
            errorsAt={`comeback-step-${index}-delay-errors`}
            onChange={(value) => set({ delay: { ...step.delay, value } }, 'delay')}
          />
          <SelectControl
            __nextHasNoMarginBottom
            name={`${at}.delay.unit`}
            label={__('Unit', 'comeback')}
            value={step.delay.unit}
            options={UNITS}
            onChange={(unit) => set({ delay: { ...step.delay, unit: unit } }, 'delay')}
          />
          <span className="comeback-delay__after">{delayAnchor(event)}</span>
        </div>
        <FieldErrors id={`comeback-step-${index}-delay-errors`} errors={errorsUnder(mine, `${at}.delay`)} />

        <ChannelOrder
          label={sprintf(__('Channels of step %d, in order of preference', 'comeback'), number)}
          step={number}
          value={step.channels}
          configured={configured}
          onChange={(channels) =>
            onChange(
              channels.reduce((s, c) => withTemplate(s, c, event), { ...step, channels }),
              `${at}.channels`,
            )
          }
        />
        <FieldErrors errors={errorsUnder(mine, `${at}.channels`)} />

        <StepTexts
          step={step}
          at={at}
          index={index}
          event={event}
          gateways={gateways}
          configured={configured}
          errors={mine}
          onChange={onChange}
          label={sprintf(__('Texts of step %d by language', 'comeback'), number)}
          name={sprintf(__('step %d', 'comeback'), number)}
          locales={props.locales}
          offered={props.offered}
          onRemoveLanguage={props.onRemoveLanguage}
        />

        <CouponToggle
          label={sprintf(__('Give a personal coupon with the message of step %d', 'comeback'), number)}
          coupon={step.coupon}
          path={`${at}.coupon`}
          errors={errorsUnder(mine, `${at}.coupon`)}
          onChange={(coupon, path) => onChange({ ...step, coupon }, path)}
        />

        <div className="comeback-conditions" role="group" aria-label={sprintf(__('Conditions of step %d', 'comeback'), number)}>
          <span className="comeback-label">{__('Only send this step if', 'comeback')}</span>
          {step.conditions.length === 0 && <p className="comeback-muted">{__('No conditions: the step always goes.', 'comeback')}</p>}
          {step.conditions.map((condition, j) => (
            <div key={j} className="comeback-row comeback-condition">
              <SelectControl
                __nextHasNoMarginBottom
                label={sprintf(__('Condition %d', 'comeback'), j + 1)}
                value={condition.kind}
                options={[
                  { label: __('an item is low in stock', 'comeback'), value: 'low_stock' },
                  { label: __('the total is at least', 'comeback'), value: 'min_total' },
                ]}
                onChange={(kind) =>
                  setCondition(j, kind === 'low_stock' ? { kind: 'low_stock', below: 5 } : { kind: 'min_total', amount: 0 })
                }
              />
              {condition.kind === 'low_stock' ? (
                <NumberField
                  name={`${at}.conditions.${j}.below`}
                  label={__('Fewer than (in stock)', 'comeback')}
                  min={1}
                  value={condition.below}
                  errors={errorsUnder(mine, `${at}.conditions.${j}`)}
                  onChange={(below) => setCondition(j, { kind: 'low_stock', below: below ?? Number.NaN })}
                />
              ) : (
                <NumberField
                  name={`${at}.conditions.${j}.amount`}
                  label={moneyLabel(__('Amount', 'comeback'))}
                  min={0}
                  step={0.01}
                  value={condition.amount}
                  errors={errorsUnder(mine, `${at}.conditions.${j}`)}
                  onChange={(amount) => setCondition(j, { kind: 'min_total', amount: amount ?? 0 })}
                />
              )}
              <Button
                variant="tertiary"
                isDestructive
                size="small"
                onClick={() => set({ conditions: step.conditions.filter((_, k) => k !== j) }, 'conditions')}
                aria-label={sprintf(__('Remove condition %1$d of step %2$d', 'comeback'), j + 1, number)}
              >
                {__('Remove', 'comeback')}
              </Button>
            </div>
          ))}
          <FieldErrors errors={mine.filter((e) => e.field === `${at}.conditions`)} />
          {step.conditions.length < MAX_CONDITIONS && (
            <Button
              variant="secondary"
              size="small"
              onClick={() =>
                set(
                  {
                    conditions: [
                      ...step.conditions,
                      step.conditions.some((c) => c.kind === 'low_stock')
                        ? { kind: 'min_total', amount: 0 }
                        : { kind: 'low_stock', below: 5 },
                    ],
                  },
                  'conditions',
                )
              }
            >
              {__('Add a condition', 'comeback')}
            </Button>
          )}
        </div>
      </CardBody>
    </Card>
  );
}
