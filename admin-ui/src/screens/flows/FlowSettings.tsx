import { Card, CardBody, CardHeader, CheckboxControl, SelectControl, TextControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import type { FlowDefinition } from '@comeback/sidecar/api-contracts';
import type { FieldError } from '../../api.ts';
import { errorsUnder } from './field-errors.ts';
import { FieldErrors, helpWith, HoldOutField, ListField, NumberField } from './flow-fields.tsx';
import { SegmentPicker, useSegments } from '../../components/segments.tsx';
import { moneyLabel } from '../../components/shop-format.ts';
import { TriggerSettings } from './TriggerSettings.tsx';

/** The paths FlowSettings shows errors for; anything else outside the steps goes to the summary. */
export const SETTINGS_PATHS = ['name', 'purpose', 'trigger', 'audience', 'sendWindow', 'holdOutPercent', 'exit'];

type Props = { flow: FlowDefinition; errors: FieldError[]; onChange: (change: Partial<FlowDefinition>, path: string) => void };

/** Name and purpose, what starts the flow, who enters it, when messages may go, the control group and what ends it. */
export function FlowSettings({ flow, errors, onChange }: Props) {
  const at = (path: string) => errorsUnder(errors, path);
  const trigger = flow.trigger;
  const hours = flow.sendWindow;
  return (
    <>
      <Card className="comeback-flow-card" size="small">
        <CardBody className="comeback-form-grid">
          <TextControl
            __nextHasNoMarginBottom
            name="name"
            label={__('Name', 'comeback')}
            value={flow.name}
            aria-invalid={at('name').length > 0 || undefined}
            help={helpWith(null, at('name'))}
            onChange={(name) => onChange({ name }, 'name')}
          />
          <SelectControl
            __nextHasNoMarginBottom
            name="purpose"
            label={__('Purpose', 'comeback')}
            value={flow.purpose}
            options={[
              { label: __('Order: about an order the customer placed (email needs no opt-in)', 'comeback'), value: 'order' },
              { label: __('Cart: cart reminders (needs the customer’s cart opt-in)', 'comeback'), value: 'cart' },
              { label: __('Marketing: offers and news (needs the customer’s marketing opt-in)', 'comeback'), value: 'marketing' },
            ]}
            help={helpWith(null, at('purpose'))}
            onChange={(purpose) => onChange({ purpose: purpose }, 'purpose')}
          />
        </CardBody>
      </Card>

      <TriggerSettings trigger={trigger} errors={errors} onChange={(next, path) => onChange({ trigger: next }, path)} />

      <Card className="comeback-flow-card" size="small">
        <CardHeader>
          <h3>{__('Who gets it', 'comeback')}</h3>
        </CardHeader>
        <CardBody className="comeback-form-grid">
          <NumberField
            name="audience.minTotal"
            label={moneyLabel(__('Only when the order or cart is worth at least', 'comeback'))}
            help={__('Empty: any amount.', 'comeback')}
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
          <AudienceTags flow={flow} errors={errors} onChange={onChange} />
          <HoldOutField
            label={__('Hold out (% of customers)', 'comeback')}
            help={__(
              'This share of the customers who enter gets no messages at all: the control group that shows what the flow really brings. 0 to 50.',
              'comeback',
            )}
            value={flow.holdOutPercent}
            errors={at('holdOutPercent')}
            onChange={(holdOutPercent) => onChange({ holdOutPercent }, 'holdOutPercent')}
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
              <TextControl
                __nextHasNoMarginBottom
                type="time"
                name="sendWindow.start"
                label={__('From', 'comeback')}
                value={hours.start}
                aria-invalid={at('sendWindow.start').length > 0 || undefined}
                help={helpWith(null, at('sendWindow.start'))}
                onChange={(start) => onChange({ sendWindow: { ...hours, start } }, 'sendWindow.start')}
              />
              <TextControl
                __nextHasNoMarginBottom
                type="time"
                name="sendWindow.end"
                label={__('Until', 'comeback')}
                value={hours.end}
                aria-invalid={at('sendWindow.end').length > 0 || undefined}
                help={helpWith(null, at('sendWindow.end'))}
                onChange={(end) => onChange({ sendWindow: { ...hours, end } }, 'sendWindow.end')}
              />
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
            label={
              trigger.event === 'cart.abandoned'
                ? __('When the customer places a paid order (from the same email or phone)', 'comeback')
                : __('When the customer places a paid order', 'comeback')
            }
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

/** Segments the customer must have one of, and segments that keep them out. */
function AudienceTags({ flow, errors, onChange }: Props) {
  const segments = useSegments().data?.segments ?? [];
  const audience = flow.audience;
  const tags = audience.tags ?? [];
  const excluded = audience.excludeTags ?? [];
  return (
    <>
      <SegmentPicker
        name="audience.tags"
        label={__('Only customers in one of these segments', 'comeback')}
        help={__('None ticked: any customer.', 'comeback')}
        segments={segments}
        value={tags}
        disabled={excluded}
        errors={errorsUnder(errors, 'audience.tags')}
        onChange={(next) => onChange({ audience: { ...audience, tags: next, excludeTags: excluded } }, 'audience.tags')}
      />
      <SegmentPicker
        name="audience.excludeTags"
        label={__('Never customers in these segments', 'comeback')}
        segments={segments}
        value={excluded}
        disabled={tags}
        errors={errorsUnder(errors, 'audience.excludeTags')}
        onChange={(next) => onChange({ audience: { ...audience, tags, excludeTags: next } }, 'audience.excludeTags')}
      />
    </>
  );
}
