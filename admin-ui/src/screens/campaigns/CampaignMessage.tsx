import { __ } from '@wordpress/i18n';
import { StepPreviewPanel } from '../../components/StepPreviewPanel.tsx';
import type { ChannelsConfigured, FlowStep } from '@comeback/sidecar/api-contracts';
import type { FieldError } from '../../api.ts';
import { ChannelOrder } from '../flows/ChannelOrder.tsx';
import { ChannelTexts } from '../flows/ChannelTexts.tsx';
import { CouponToggle } from '../flows/CouponFields.tsx';
import { errorsUnder, liveTemplateErrors } from '../flows/field-errors.ts';
import { FieldErrors } from '../flows/flow-fields.tsx';
import { withTemplate } from '../flows/StepEditor.tsx';

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

/** The campaign's one message: channels in order, a coupon if any, and the texts of each channel. */
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
      {step.channels.map((channel) => (
        <ChannelTexts
          key={channel}
          channel={channel}
          step={step}
          at="step"
          event="campaign"
          configured={configured[channel]}
          errors={mine}
          onChange={onChange}
        />
      ))}
      <StepPreviewPanel event="campaign" step={step} index={0} name={__("the campaign's message", 'comeback')} />
    </>
  );
}
