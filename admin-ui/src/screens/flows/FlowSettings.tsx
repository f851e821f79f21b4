import { Card, CardBody, CardHeader, CheckboxControl, SelectControl, TextControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import type { FieldError } from '../../api.ts';
import { errorsUnder } from './field-errors.ts';
import { FieldErrors, helpWith, ListField, NumberField } from './flow-fields.tsx';
import type { FlowDefinition, Gateways } from './flow-types.ts';
import { triggerInWords } from './flow-words.ts';

/** The paths FlowSettings shows errors for; anything else outside the steps goes to the summary. */
export const SETTINGS_PATHS = ['name', 'purpose', 'trigger', 'audience', 'sendWindow', 'holdOutPercent', 'exit'];

type Props = { flow: FlowDefinition; errors: FieldError[]; onChange: (change: Partial<FlowDefinition>, path: string) => void };

const GATEWAY_FIELDS: Array<{ key: keyof Gateways; label: string }> = [
  { key: 'online', label: __('Paid online: the reminder has a payment link', 'comeback') },
  { key: 'offline', label: __('Paid by bank transfer or cheque: the reminder has your bank details', 'comeback') },
  { key: 'never', label: __('Never reminded (e.g. cash on delivery)', 'comeback') },
];

/** Name and purpose, what starts the flow, who enters it, when messages may go, the control group and what ends it. */
export function FlowSettings({ flow, errors, onChange }: Props) {
  const at = (path: string) => errorsUnder(errors, path);
  const trigger = flow.trigger;
  const hours = flow.sendWindow;
  return (
    <>
      <Card className="comeback-flow-card" size="small">
        <CardBody className="comeback-form-grid">
          <TextControl __nextHasNoMarginBottom name="name" label={__('Name', 'comeback')} value={flow.name} aria-invalid={at('name').length > 0 || undefined} help={helpWith(null, at('name'))} onChange={(name) => onChange({ name }, 'name')} />
          <SelectControl
            __nextHasNoMarginBottom
            name="purpose"
            label={__('Purpose', 'comeback')}
            value={flow.purpose}
            options={[
              { label: __('Transactional: about the customer’s own order', 'comeback'), value: 'transactional' },
              { label: __('Marketing: needs the customer’s opt-in on every channel', 'comeback'), value: 'marketing' },
            ]}
            help={helpWith(null, at('purpose'))}
            onChange={(purpose) => onChange({ purpose: purpose as FlowDefinition['purpose'] }, 'purpose')}
          />
        </CardBody>
      </Card>

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
              min={5}
              max={10_080}
              value={trigger.afterMinutes}
              errors={at('trigger.afterMinutes')}
              onChange={(afterMinutes) => onChange({ trigger: { ...trigger, afterMinutes: Math.round(afterMinutes ?? 0) } }, 'trigger.afterMinutes')}
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
                  onChange={(list) => onChange({ trigger: { ...trigger, gateways: { ...trigger.gateways, [key]: list } } }, `trigger.gateways.${key}`)}
                />
              ))}
            </div>
          )}
          <FieldErrors errors={errors.filter((e) => e.field === 'trigger' || e.field === 'trigger.gateways')} />
        </CardBody>
      </Card>

      <Card className="comeback-flow-card" size="small">
        <CardHeader>
          <h3>{__('Who gets it', 'comeback')}</h3>
        </CardHeader>
        <CardBody className="comeback-form-grid">
          <NumberField
            name="audience.minTotal"
            label={__('Only when the order or cart is worth at least', 'comeback')}
            help={__('In the shop’s currency. Empty: any amount.', 'comeback')}
            optional
            min={0}
            step={0.01}
            value={flow.audience.minTotal}
            errors={at('audience.minTotal')}
            onChange={(minTotal) => onChange({ audience: { ...flow.audience, minTotal } }, 'audience.minTotal')}
          />
          <ListField
            name="audience.countries"
            label={__('Only customers billed in these countries', 'comeback')}
            help={__('Two-letter codes separated by commas (PL, DE). Empty: every country.', 'comeback')}
            placeholder="PL, DE"
            normalise={(c) => c.toUpperCase()}
            value={flow.audience.countries}
            errors={at('audience.countries')}
            onChange={(countries) => onChange({ audience: { ...flow.audience, countries } }, 'audience.countries')}
          />
          <NumberField
            name="holdOutPercent"
            label={__('Hold out (% of customers)', 'comeback')}
            help={__('This share of the customers who enter gets no messages at all: the control group that shows what the flow really brings. 0 to 50.', 'comeback')}
            min={0}
            max={50}
            value={flow.holdOutPercent}
            errors={at('holdOutPercent')}
            onChange={(holdOutPercent) => onChange({ holdOutPercent: Math.round(holdOutPercent ?? 0) }, 'holdOutPercent')}
          />
        </CardBody>
      </Card>

      <Card className="comeback-flow-card" size="small">
        <CardHeader>
          <h3>{__('When messages may go', 'comeback')}</h3>
        </CardHeader>
        <CardBody>
          <CheckboxControl
            __nextHasNoMarginBottom
            label={__('Only between certain hours, in the customer’s time zone', 'comeback')}
            help={__('A message due outside these hours waits until they begin.', 'comeback')}
            checked={hours !== null}
            onChange={(on) => onChange({ sendWindow: on ? { start: '09:00', end: '20:00' } : null }, 'sendWindow')}
          />
          {hours && (
            <div className="comeback-row">
              <TextControl __nextHasNoMarginBottom type="time" name="sendWindow.start" label={__('From', 'comeback')} value={hours.start} aria-invalid={at('sendWindow.start').length > 0 || undefined} help={helpWith(null, at('sendWindow.start'))} onChange={(start) => onChange({ sendWindow: { ...hours, start } }, 'sendWindow.start')} />
              <TextControl __nextHasNoMarginBottom type="time" name="sendWindow.end" label={__('Until', 'comeback')} value={hours.end} aria-invalid={at('sendWindow.end').length > 0 || undefined} help={helpWith(null, at('sendWindow.end'))} onChange={(end) => onChange({ sendWindow: { ...hours, end } }, 'sendWindow.end')} />
            </div>
          )}
          <FieldErrors errors={errors.filter((e) => e.field === 'sendWindow')} />
        </CardBody>
      </Card>

      <Card className="comeback-flow-card" size="small">
        <CardHeader>
          <h3>{__('When it stops early', 'comeback')}</h3>
        </CardHeader>
        <CardBody className="comeback-form-grid">
          <CheckboxControl
            __nextHasNoMarginBottom
            label={trigger.event === 'cart.abandoned' ? __('When the customer places a paid order (from the same email or phone)', 'comeback') : __('When the customer places a paid order', 'comeback')}
            checked={flow.exit.onPurchase}
            help={helpWith(null, at('exit.onPurchase'))}
            onChange={(onPurchase) => onChange({ exit: { ...flow.exit, onPurchase } }, 'exit.onPurchase')}
          />
          <ListField
            name="exit.events"
            label={__('When one of these events arrives for the customer', 'comeback')}
            help={__('Event names your shop sends to Comeback (POST /api/flows/events), separated by commas.', 'comeback')}
            placeholder="subscription.cancelled"
            normalise={(e) => e.toLowerCase()}
            value={flow.exit.events}
            errors={at('exit.events')}
            onChange={(events) => onChange({ exit: { ...flow.exit, events } }, 'exit.events')}
          />
        </CardBody>
      </Card>
    </>
  );
}
