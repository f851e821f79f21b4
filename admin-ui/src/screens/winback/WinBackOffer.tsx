import { Button, Card, CardBody, CardHeader } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';
import { useState } from 'react';
import type { ChannelsConfigured, FlowStep } from '@comeback/sidecar/api-contracts';
import type { FieldError } from '../../api.ts';
import { StepPreviewPanel } from '../../components/StepPreviewPanel.tsx';
import { CouponToggle } from '../flows/CouponFields.tsx';
import { errorsOutside, errorsUnder } from '../flows/field-errors.ts';
import { FieldErrors, NumberField } from '../flows/flow-fields.tsx';
import { CHANNEL_LABELS, expiryInWords, offerInWords } from '../flows/flow-words.ts';
import { StepTexts } from '../flows/StepTexts.tsx';

/** A, B, C…: how the merchant names the offers. */
export const offerLetter = (index: number) => String.fromCharCode(65 + index);

type Props = {
  step: FlowStep;
  index: number;
  configured: ChannelsConfigured;
  errors: FieldError[];
  onChange: (step: FlowStep, path: string) => void;
  /** The languages any offer has texts in: every offer shows their tabs. */
  locales: string[];
  /** The languages to offer when adding one, the shop's first. */
  offered: string[];
  /** Removes a language's texts from every offer (the screen asks first). */
  onRemoveLanguage: (locale: string) => void;
};

/** One offer of the win-back: when (days after the lapse), its coupon and expiry, and its texts. */
export function WinBackOffer(props: Props) {
  const { step, index, configured, errors, onChange } = props;
  const at = `steps.${index}`;
  const name = sprintf(__('Offer %s', 'comeback'), offerLetter(index));
  const mine = errorsUnder(errors, at);
  // Texts fold away (each has its shortcode palette); a problem in them opens them.
  const [showTexts, setShowTexts] = useState(false);
  const textErrors = [...step.channels, 'translations'].reduce((n, c) => n + errorsUnder(mine, `${at}.${c}`).length, 0);
  const textsShown = showTexts || textErrors > 0;
  const days = step.delay.unit === 'days' ? step.delay.value : Math.round(step.delay.value / (step.delay.unit === 'hours' ? 24 : 1440));
  const summary = [
    days === 0
      ? __('when they lapse', 'comeback')
      : sprintf(_n('%d day after they lapse', '%d days after they lapse', days, 'comeback'), days),
    step.coupon ? `${offerInWords(step.coupon.offer)}, ${expiryInWords(step.coupon.expiry)}` : __('no coupon', 'comeback'),
  ].join(' · ');
  return (
    <Card className="comeback-step comeback-offer" size="small" id={`comeback-step-${index}`} data-offer={offerLetter(index)}>
      <CardHeader>
        <h3 className="comeback-step__title">
          {name}{' '}
          <span className="comeback-muted" data-testid={`offer-summary-${offerLetter(index)}`}>
            {summary}
          </span>
        </h3>
      </CardHeader>
      <CardBody>
        <FieldErrors
          errors={errorsOutside(mine, [`${at}.delay`, `${at}.coupon`, `${at}.translations`, ...step.channels.map((c) => `${at}.${c}`)])}
        />
        <div className="comeback-delay">
          <NumberField
            name={`${at}.delay.value`}
            label={sprintf(__('%s: days after they lapse', 'comeback'), name)}
            min={0}
            value={days}
            errors={errorsUnder(mine, `${at}.delay`)}
            onChange={(value) => onChange({ ...step, delay: { value: value ?? Number.NaN, unit: 'days' } }, `${at}.delay`)}
          />
        </div>
        <CouponToggle
          label={sprintf(__('%s comes with a personal coupon', 'comeback'), name)}
          fieldsLabel={name}
          coupon={step.coupon}
          path={`${at}.coupon`}
          errors={errorsUnder(mine, `${at}.coupon`)}
          onChange={(coupon, path) => onChange({ ...step, coupon }, path)}
        />
        <div className="comeback-offer__texts">
          <Button
            variant="secondary"
            size="small"
            aria-expanded={textsShown}
            aria-controls={`comeback-offer-${index}-texts`}
            onClick={() => setShowTexts(!textsShown)}
            disabled={textErrors > 0 && textsShown}
            accessibleWhenDisabled
          >
            {textsShown
              ? sprintf(__('Hide the texts of %s', 'comeback'), name)
              : sprintf(__('Edit the texts of %1$s (%2$s)', 'comeback'), name, step.channels.map((c) => CHANNEL_LABELS[c]).join(', '))}
          </Button>
          {!textsShown && step.email && <span className="comeback-muted"> “{step.email.subject}”</span>}
        </div>
        {textsShown ? (
          <div id={`comeback-offer-${index}-texts`}>
            <StepTexts
              step={step}
              at={at}
              index={index}
              event="customer.lapsed"
              configured={configured}
              errors={mine}
              onChange={onChange}
              label={sprintf(__('Texts of %s by language', 'comeback'), name)}
              name={name}
              locales={props.locales}
              offered={props.offered}
              onRemoveLanguage={props.onRemoveLanguage}
            />
          </div>
        ) : (
          <StepPreviewPanel event="customer.lapsed" step={step} index={index} name={name} />
        )}
      </CardBody>
    </Card>
  );
}
