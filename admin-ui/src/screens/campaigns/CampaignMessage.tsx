import { __ } from '@wordpress/i18n';
import { useContext } from 'react';
import { useConfirm } from '../../components/ConfirmDialog.tsx';
import { languageRemoval } from '../../components/LanguageTabs.tsx';
import { localesOf, ShopLanguages, withoutTranslation } from '../../components/languages.ts';
import type { ChannelsConfigured, FlowStep } from '@comeback/sidecar/api-contracts';
import type { FieldError } from '../../api.ts';
import { ChannelOrder } from '../flows/ChannelOrder.tsx';
import { CouponToggle } from '../flows/CouponFields.tsx';
import { errorsUnder, liveTemplateErrors } from '../flows/field-errors.ts';
import { FieldErrors } from '../flows/flow-fields.tsx';
import { withTemplate } from '../flows/StepEditor.tsx';
import { StepTexts } from '../flows/StepTexts.tsx';

/** The shortcode problems of the campaign's texts as typed, at the campaign's paths ("step.email.body"). */
export function liveStepErrors(step: FlowStep): FieldError[] {
  const flow = {
    name: 'campaign',
    purpose: 'marketing' as const,
    trigger: { event: 'campaign' as const },
    audience: { countries: [], tags: [], excludeTags: [] },
    steps: [step],
    exit: { onPurchase: false, events: [] },
    sendWindow: null,
    holdOutPercent: 0,
  };
  return liveTemplateErrors(flow).map((e) => ({ ...e, field: e.field?.replace(/^steps\.0\./, 'step.') }));
}

/** The campaign's one message: channels in order, a coupon if any, and the texts of each channel by language. */
export function CampaignMessage({
  step,
  configured,
  errors,
  onChange,
}: {
  step: FlowStep;
  configured: ChannelsConfigured;
  errors: FieldError[];
  onChange: (step: FlowStep, path: string) => void;
}) {
  const mine = errorsUnder(errors, 'step');
  const offered = useContext(ShopLanguages);
  const { confirm, dialog } = useConfirm();
  async function removeLanguage(locale: string) {
    if (await confirm(languageRemoval(locale, 'message'))) onChange(withoutTranslation(step, locale), 'step.translations');
  }
  return (
    <>
      <ChannelOrder
        label={__('Channels, in order of preference', 'comeback')}
        value={step.channels}
        configured={configured}
        onChange={(channels) =>
          onChange(
            channels.reduce((s, c) => withTemplate(s, c, 'campaign'), { ...step, channels }),
            'step.channels',
          )
        }
      />
      <FieldErrors errors={errorsUnder(mine, 'step.channels')} />
      <CouponToggle
        label={__('Give each customer a personal coupon', 'comeback')}
        coupon={step.coupon}
        path="step.coupon"
        errors={errorsUnder(mine, 'step.coupon')}
        onChange={(coupon, path) => onChange({ ...step, coupon }, path)}
      />
      <StepTexts
        step={step}
        at="step"
        index={0}
        event="campaign"
        configured={configured}
        errors={mine}
        onChange={onChange}
        label={__('Texts of the message by language', 'comeback')}
        name={__("the campaign's message", 'comeback')}
        locales={localesOf([step])}
        offered={offered}
        onRemoveLanguage={(locale) => void removeLanguage(locale)}
      />
      {dialog}
    </>
  );
}
