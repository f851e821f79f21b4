import { CheckboxControl, SelectControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { useState } from 'react';
import type { CouponExpiry, CouponOffer, StepCoupon } from '@comeback/sidecar/api-contracts';
import type { FieldError } from '../../api.ts';
import { moneyLabel } from '../../components/shop-format.ts';
import { errorsUnder } from './field-errors.ts';
import { FieldErrors, helpWith, NumberField } from './flow-fields.tsx';

type Props = {
  coupon: StepCoupon;
  /** "steps.1.coupon": where the coupon is in the definition (and in the API's errors). */
  path: string;
  errors: FieldError[];
  onChange: (coupon: StepCoupon, path: string) => void;
  /** Names the step for screen readers where the same fields repeat ("offer B"). */
  label?: string;
};

export const DEFAULT_COUPON: StepCoupon = { offer: { type: 'percent', amount: 10 }, expiry: { mode: 'days', days: 14 } };

function offerOfType(type: CouponOffer['type'], current: CouponOffer): CouponOffer {
  if (type === 'product') return { type, productId: current.type === 'product' ? current.productId : 1 };
  return { type, amount: current.type === 'product' ? 10 : current.amount };
}

const expiryOfMode = (mode: CouponExpiry['mode']): CouponExpiry =>
  mode === 'days' ? { mode, days: 14 } : { mode, minDays: 3, maxDays: 60 };

/**
 * A personal coupon: money off, percent off or a product free; valid N days, or until just
 * before the visit the customer's own rhythm says to expect next (bounded by min and max days).
 */
export function CouponFields({ coupon, path, errors, onChange, label }: Props) {
  const { offer, expiry } = coupon;
  const setOffer = (next: CouponOffer, field: string) => onChange({ ...coupon, offer: next }, `${path}.offer${field}`);
  const setExpiry = (next: CouponExpiry, field: string) => onChange({ ...coupon, expiry: next }, `${path}.expiry${field}`);
  const prefix = label ? `${label}: ` : '';
  return (
    <div className="comeback-coupon" role="group" aria-label={`${prefix}${__('Coupon', 'comeback')}`}>
      <div className="comeback-row">
        <SelectControl
          __nextHasNoMarginBottom
          name={`${path}.offer.type`}
          label={`${prefix}${__('The coupon gives', 'comeback')}`}
          value={offer.type}
          options={[
            {
              label: moneyLabel(__('An amount off the order', 'comeback')),
              value: 'fixed_cart',
            },
            { label: __('A percentage off', 'comeback'), value: 'percent' },
            { label: __('A product for free', 'comeback'), value: 'product' },
          ]}
          help={helpWith(
            null,
            errors.filter((e) => e.field === `${path}.offer.type` || e.field === `${path}.offer`),
          )}
          onChange={(type) => setOffer(offerOfType(type, offer), '')}
        />
        {offer.type === 'product' ? (
          <NumberField
            name={`${path}.offer.productId`}
            label={`${prefix}${__('Product id (in WooCommerce)', 'comeback')}`}
            min={1}
            value={offer.productId}
            errors={errorsUnder(errors, `${path}.offer.productId`)}
            onChange={(productId) => setOffer({ type: 'product', productId: productId ?? Number.NaN }, '.productId')}
          />
        ) : (
          <NumberField
            name={`${path}.offer.amount`}
            label={`${prefix}${offer.type === 'percent' ? __('Percent off', 'comeback') : moneyLabel(__('Amount off', 'comeback'))}`}
            min={0}
            max={offer.type === 'percent' ? 100 : undefined}
            step={offer.type === 'percent' ? 1 : 0.01}
            value={offer.amount}
            errors={errorsUnder(errors, `${path}.offer.amount`)}
            onChange={(amount) => setOffer({ type: offer.type, amount: amount ?? 0 }, '.amount')}
          />
        )}
      </div>
      <div className="comeback-row">
        <SelectControl
          __nextHasNoMarginBottom
          name={`${path}.expiry.mode`}
          label={`${prefix}${__('It stops working', 'comeback')}`}
          value={expiry.mode}
          options={[
            { label: __('After a number of days', 'comeback'), value: 'days' },
            { label: __('Before their next expected visit', 'comeback'), value: 'rhythm' },
          ]}
          help={
            expiry.mode === 'rhythm'
              ? __('A customer who buys every 30 days gets 29 days; one with a single purchase, the shop’s default interval.', 'comeback')
              : undefined
          }
          onChange={(mode) => setExpiry(expiryOfMode(mode), '')}
        />
        {expiry.mode === 'days' ? (
          <NumberField
            name={`${path}.expiry.days`}
            label={`${prefix}${__('Valid for (days)', 'comeback')}`}
            min={1}
            max={365}
            value={expiry.days}
            errors={errorsUnder(errors, `${path}.expiry.days`)}
            onChange={(days) => setExpiry({ mode: 'days', days: days ?? Number.NaN }, '.days')}
          />
        ) : (
          <>
            <NumberField
              name={`${path}.expiry.minDays`}
              label={`${prefix}${__('At least (days)', 'comeback')}`}
              min={1}
              value={expiry.minDays}
              errors={errorsUnder(errors, `${path}.expiry.minDays`)}
              onChange={(minDays) => setExpiry({ ...expiry, minDays: minDays ?? Number.NaN }, '.minDays')}
            />
            <NumberField
              name={`${path}.expiry.maxDays`}
              label={`${prefix}${__('At most (days)', 'comeback')}`}
              min={1}
              value={expiry.maxDays}
              errors={errorsUnder(errors, `${path}.expiry.maxDays`)}
              onChange={(maxDays) => setExpiry({ ...expiry, maxDays: maxDays ?? Number.NaN }, '.maxDays')}
            />
          </>
        )}
      </div>
      <FieldErrors errors={errors.filter((e) => e.field === path || e.field === `${path}.expiry`)} />
      <p className="comeback-muted">
        {__(
          'Single use, for the customer’s email only, created in WooCommerce when the message goes. Put [coupon_code] in the text to show it.',
          'comeback',
        )}
      </p>
    </div>
  );
}

/**
 * A message's optional coupon: a checkbox and, when ticked, its fields. Unticked and ticked again,
 * the coupon comes back as it was (not the default).
 */
export function CouponToggle(props: {
  label: string;
  coupon: StepCoupon | undefined;
  path: string;
  errors: FieldError[];
  fieldsLabel?: string;
  onChange: (coupon: StepCoupon | undefined, path: string) => void;
}) {
  const [kept, setKept] = useState<StepCoupon | undefined>(props.coupon);
  return (
    <div className="comeback-coupon-section">
      <CheckboxControl
        __nextHasNoMarginBottom
        label={props.label}
        checked={props.coupon !== undefined}
        onChange={(on) => {
          if (!on) setKept(props.coupon);
          props.onChange(on ? (kept ?? DEFAULT_COUPON) : undefined, props.path);
        }}
      />
      {props.coupon && (
        <CouponFields coupon={props.coupon} path={props.path} label={props.fieldsLabel} errors={props.errors} onChange={props.onChange} />
      )}
    </div>
  );
}
