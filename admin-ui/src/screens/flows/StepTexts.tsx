import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { useState } from 'react';
import type { ChannelsConfigured, FlowStep, TriggerEvent } from '@comeback/sidecar/api-contracts';
import type { FieldError } from '../../api.ts';
import { DEFAULT_TAB, LanguageTabs } from '../../components/LanguageTabs.tsx';
import {
  copyOfDefault,
  isEmptyTranslation,
  missingChannels,
  noTextYet,
  translationView,
  withTranslation,
} from '../../components/languages.ts';
import { StepPreviewPanel, type PreviewGateways } from '../../components/StepPreviewPanel.tsx';
import { ChannelTexts } from './ChannelTexts.tsx';
import { errorsUnder } from './field-errors.ts';
import { FieldErrors } from './flow-fields.tsx';

type Props = {
  step: FlowStep;
  /** "steps.1", "step": where the step's fields are (and its errors). */
  at: string;
  /** The step's number in its flow (0 for a campaign's one message): the preview asks for it. */
  index: number;
  event: TriggerEvent;
  gateways?: PreviewGateways;
  configured: ChannelsConfigured;
  /** The step's errors. */
  errors: FieldError[];
  onChange: (step: FlowStep, path: string) => void;
  /** "Texts of step 2 by language": the tab list's name. */
  label: string;
  /** "step 2", "offer A": what the preview names. */
  name: string;
  /** The languages any step of the flow (or the campaign's message) has texts in: every step shows their tabs. */
  locales: string[];
  /** The languages to offer when adding one, the shop's first. */
  offered: string[];
  /** Removes a language's texts (the caller asks first). */
  onRemoveLanguage: (locale: string) => void;
};

/**
 * A step's texts by language: the Default tab edits the step's own texts, each language's tab its
 * `translations[locale]` with the same fields; the preview shows the tab's language. The flow
 * editor's steps, a campaign's message and the win-back's offers all edit their texts here.
 */
export function StepTexts(props: Props) {
  const { step, at, index, event, gateways, configured, errors, onChange } = props;
  const [tab, setTab] = useState(DEFAULT_TAB);
  const locale = tab !== DEFAULT_TAB && props.locales.includes(tab) ? tab : null;
  return (
    <LanguageTabs
      at={at}
      label={props.label}
      locales={props.locales}
      selected={tab}
      onSelect={setTab}
      missing={(l) => missingChannels(step, step.translations?.[l])}
      problems={(l) => errorsUnder(errors, `${at}.translations.${l}`).length > 0}
      offered={props.offered.filter((l) => !props.locales.includes(l))}
      onAdd={(l) => onChange({ ...step, translations: { ...step.translations, [l]: step.translations?.[l] ?? {} } }, `${at}.translations`)}
      onRemove={props.onRemoveLanguage}
    >
      {locale === null ? (
        step.channels.map((channel) => (
          <ChannelTexts
            key={channel}
            channel={channel}
            step={step}
            at={at}
            event={event}
            configured={configured[channel]}
            gateways={gateways}
            errors={errors}
            onChange={onChange}
          />
        ))
      ) : (
        <TranslationTexts {...props} locale={locale} />
      )}
      <FieldErrors errors={locale ? errors.filter((e) => e.field === `${at}.translations.${locale}`) : []} />
      <StepPreviewPanel event={event} gateways={gateways} step={step} index={index} name={props.name} language={locale} />
    </LanguageTabs>
  );
}

/**
 * One language's texts of a step: the default's fields, editing `translations[locale]`. Empty, it
 * says the default goes to these customers and offers to start from a copy of the default.
 */
function TranslationTexts({ step, at, locale, event, gateways, configured, errors, onChange }: Props & { locale: string }) {
  const view = translationView(step, locale);
  const translation = step.translations?.[locale];
  const where = `${at}.translations.${locale}`;
  return (
    <>
      {isEmptyTranslation(translation) && (
        <div className="comeback-languages__empty">
          <p>{noTextYet(locale)}</p>
          <Button
            variant="secondary"
            onClick={() => onChange({ ...step, translations: { ...step.translations, [locale]: copyOfDefault(step, locale) } }, where)}
          >
            {__('Copy the default text to start', 'comeback')}
          </Button>
        </div>
      )}
      {step.channels.map((channel) => (
        <ChannelTexts
          key={channel}
          channel={channel}
          step={view}
          at={at}
          translation={{ at: where, locale }}
          event={event}
          configured={configured[channel]}
          gateways={gateways}
          errors={errors}
          onChange={(next, path) => onChange(withTranslation(step, locale, next), path)}
        />
      ))}
    </>
  );
}
