import { Card, CardBody, CardHeader } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import type { Gateways, Trigger } from '@comeback/sidecar/api-contracts';
import { NUMBER_RANGES } from '@comeback/sidecar/flow-texts';
import type { FieldError } from '../../api.ts';
import { errorsUnder } from './field-errors.ts';
import { FieldErrors, ListField, NumberField } from './flow-fields.tsx';
import { triggerInWords } from './flow-words.ts';

const GATEWAY_FIELDS: Array<{ key: keyof Gateways; label: string }> = [
  { key: 'online', label: __('Paid online: the reminder has a payment link', 'comeback') },
  { key: 'offline', label: __('Paid offline (bank transfer, cheque…): the reminder says how to pay, no payment link', 'comeback') },
  { key: 'never', label: __('Never reminded (e.g. cash on delivery)', 'comeback') },
];

/** What starts the flow, in words, and the trigger's own settings. */
export function TriggerSettings({
  trigger,
  errors,
  onChange,
}: {
  trigger: Trigger;
  errors: FieldError[];
  onChange: (trigger: Trigger, path: string) => void;
}) {
  const at = (path: string) => errorsUnder(errors, path);
  return (
    <Card className="comeback-flow-card" size="small">
      <CardHeader>
        <h3>{__('When it starts', 'comeback')}</h3>
      </CardHeader>
      <CardBody>
        <p data-testid="trigger-words">{triggerInWords(trigger)}</p>
        {trigger.event === 'cart.abandoned' && (
          <NumberField
            name="trigger.afterMinutes"
            label={__('A cart counts as abandoned after (minutes without an order)', 'comeback')}
            range={NUMBER_RANGES.afterMinutes}
            value={trigger.afterMinutes}
            errors={at('trigger.afterMinutes')}
            onChange={(afterMinutes) => onChange({ ...trigger, afterMinutes: afterMinutes ?? Number.NaN }, 'trigger.afterMinutes')}
          />
        )}
        {trigger.event === 'order.unpaid' && (
          <div className="comeback-form-grid">
            {GATEWAY_FIELDS.map(({ key, label }) => (
              <ListField
                key={key}
                name={`trigger.gateways.${key}`}
                label={label}
                value={trigger.gateways[key]}
                help={__('Payment method ids, separated by commas; a prefix ending in * matches several (payu*).', 'comeback')}
                errors={at(`trigger.gateways.${key}`)}
                onChange={(list) => onChange({ ...trigger, gateways: { ...trigger.gateways, [key]: list } }, `trigger.gateways.${key}`)}
              />
            ))}
          </div>
        )}
        {trigger.event === 'customer.lapsed' && <LapsedFields trigger={trigger} errors={errors} onChange={onChange} />}
        {trigger.event === 'voucher.expiring' && (
          <NumberField
            name="trigger.daysBefore"
            label={__('Days before the voucher expires', 'comeback')}
            range={NUMBER_RANGES.daysBefore}
            value={trigger.daysBefore}
            errors={at('trigger.daysBefore')}
            onChange={(daysBefore) => onChange({ ...trigger, daysBefore: daysBefore ?? Number.NaN }, 'trigger.daysBefore')}
          />
        )}
        <FieldErrors errors={errors.filter((e) => e.field === 'trigger' || e.field === 'trigger.gateways')} />
      </CardBody>
    </Card>
  );
}

/** Win-back: how late, against the customer's own rhythm, counts as lapsed. */
export function LapsedFields({
  trigger,
  errors,
  onChange,
}: {
  trigger: Extract<Trigger, { event: 'customer.lapsed' }>;
  errors: FieldError[];
  onChange: (trigger: Trigger, path: string) => void;
}) {
  return (
    <div className="comeback-row">
      <NumberField
        name="trigger.factor"
        label={__('Times their usual interval', 'comeback')}
        help={__('A customer who buys every 40 days lapses at day 50 with 1.25. 1 to 10.', 'comeback')}
        range={NUMBER_RANGES.lapseFactor}
        step={0.05}
        value={trigger.factor}
        errors={errorsUnder(errors, 'trigger.factor')}
        onChange={(factor) => onChange({ ...trigger, factor: factor ?? 0 }, 'trigger.factor')}
      />
      <NumberField
        name="trigger.minDays"
        label={__('At least (days without a purchase)', 'comeback')}
        range={NUMBER_RANGES.lapseMinDays}
        value={trigger.minDays}
        errors={errorsUnder(errors, 'trigger.minDays')}
        onChange={(minDays) => onChange({ ...trigger, minDays: minDays ?? Number.NaN }, 'trigger.minDays')}
      />
      <NumberField
        name="trigger.perMinute"
        label={__('At most a minute (customers)', 'comeback')}
        help={__(
          'The most recently lapsed first; the rest follow at this pace, also in the next days’ sending hours. Empty: no limit.',
          'comeback',
        )}
        range={NUMBER_RANGES.perMinute}
        optional
        value={trigger.perMinute ?? undefined}
        errors={errorsUnder(errors, 'trigger.perMinute')}
        onChange={(perMinute) => onChange({ ...trigger, perMinute: perMinute === undefined ? null : perMinute }, 'trigger.perMinute')}
      />
    </div>
  );
}
