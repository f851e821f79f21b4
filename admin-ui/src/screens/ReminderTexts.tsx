import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { PaymentGateway, RecoveryView, Reminder } from '@comeback/sidecar/api-contracts';
import { offlineTextGateways, textContextOf } from '@comeback/sidecar/flow-texts';
import type { FieldError } from '../api.ts';
import { GatewayTexts } from '../components/GatewayTexts.tsx';
import { TemplateEditor } from '../components/TemplateEditor.tsx';
import { noTextYet } from '../components/languages.ts';

/** A reminder's four texts: the default's fields, or one language's (GET/PUT /api/settings/recovery `translations`). */
type Texts = Pick<Reminder, 'subject' | 'onlineBody' | 'offlineBody' | 'offlineBodies'>;

/**
 * A reminder as the Recovery form holds it: with its texts in other languages, by WordPress locale,
 * each the same four fields as its default texts (its step's email translation in the flow).
 */
export type LocalizedReminder = Reminder & { translations?: Record<string, Texts> };

const NO_TEXTS: Texts = { subject: '', onlineBody: '', offlineBody: '' };

/** A language's texts of the reminder (empty where it has none yet), or the default's. */
export function reminderTexts(reminder: LocalizedReminder, locale: string | null): Texts {
  const { subject, onlineBody, offlineBody, offlineBodies } = locale === null ? reminder : (reminder.translations?.[locale] ?? NO_TEXTS);
  return { subject, onlineBody, offlineBody, ...(offlineBodies ? { offlineBodies } : {}) };
}

/** The reminder's translations with one language's texts changed; all emptied, the language has no texts in it. */
export function withReminderTexts(reminder: LocalizedReminder, locale: string, texts: Texts): LocalizedReminder['translations'] {
  const { [locale]: _old, ...others } = reminder.translations ?? {};
  const bodies = Object.fromEntries(Object.entries(texts.offlineBodies ?? {}).filter(([, body]) => body !== ''));
  const empty = !texts.subject && !texts.onlineBody && !texts.offlineBody && Object.keys(bodies).length === 0;
  return empty ? others : { ...others, [locale]: { ...texts, offlineBodies: bodies } };
}

/** A reminder's text in a language lacks its subject or its text: those customers get the default email. */
export function reminderMissing(reminder: LocalizedReminder, locale: string): boolean {
  const texts = reminder.translations?.[locale];
  return !texts?.subject.trim() || !texts.onlineBody.trim();
}

/** The translations a preview can render: those with every text the form requires (the others preview the default, said so). */
export function previewableTranslations(reminder: LocalizedReminder): LocalizedReminder['translations'] {
  return Object.fromEntries(Object.entries(reminder.translations ?? {}).filter(([, t]) => t.subject && t.onlineBody && t.offlineBody));
}

/**
 * A reminder's subject and texts (online, each offline method's own, other offline payments), in
 * the default or in one language; an empty language says the default goes and offers to copy it.
 */
export function ReminderTexts(props: {
  index: number;
  reminder: LocalizedReminder;
  locale: string | null;
  gateways: RecoveryView['gateways'];
  paymentGateways: PaymentGateway[];
  /** What the reminder's step gives its texts to print (its coupon). */
  step: Parameters<typeof textContextOf>[2];
  fieldErrors: (field: string) => FieldError[];
  /** What changed: the default's fields, or the reminder's translations. */
  onChange: (change: Partial<LocalizedReminder>) => void;
}) {
  const { index: i, reminder, locale } = props;
  const texts = reminderTexts(reminder, locale);
  const at = locale === null ? `reminders.${i}` : `reminders.${i}.translations.${locale}`;
  const name = (part: 'subject' | 'onlineBody' | 'offlineBody' | 'offlineBodies') => `${at}.${part}`;
  const set = (change: Partial<Texts>) =>
    props.onChange(locale === null ? change : { translations: withReminderTexts(reminder, locale, { ...texts, ...change }) });
  const context = (part: 'subject' | 'body' | 'offlineBody') => textContextOf('order.unpaid', part, props.step);
  return (
    <>
      {locale !== null && !reminder.translations?.[locale] && (
        <div className="comeback-languages__empty">
          <p>{noTextYet(locale)}</p>
          <Button
            variant="secondary"
            onClick={() =>
              props.onChange({ translations: withReminderTexts(reminder, locale, structuredClone(reminderTexts(reminder, null))) })
            }
          >
            {__('Copy the default text to start', 'comeback')}
          </Button>
        </div>
      )}
      <TemplateEditor
        name={name('subject')}
        label={__('Subject', 'comeback')}
        rows={2}
        context={context('subject')}
        value={texts.subject}
        onChange={(subject) => set({ subject })}
        errors={props.fieldErrors(name('subject'))}
      />
      <TemplateEditor
        name={name('onlineBody')}
        label={__('Text for orders paid online (card, PayPal, PayU…)', 'comeback')}
        context={context('body')}
        value={texts.onlineBody}
        onChange={(onlineBody) => set({ onlineBody })}
        errors={props.fieldErrors(name('onlineBody'))}
      />
      <GatewayTexts
        gateways={offlineTextGateways(props.paymentGateways, texts.offlineBodies, props.gateways)}
        bodies={texts.offlineBodies}
        path={name('offlineBodies')}
        label={(title) => sprintf(__('Text for %s', 'comeback'), title)}
        context={context('offlineBody')}
        errors={(field) => props.fieldErrors(field)}
        onChange={(offlineBodies) => set({ offlineBodies })}
      />
      <TemplateEditor
        name={name('offlineBody')}
        label={__('Text for other offline payments (cash on delivery…)', 'comeback')}
        context={context('offlineBody')}
        value={texts.offlineBody}
        onChange={(offlineBody) => set({ offlineBody })}
        errors={props.fieldErrors(name('offlineBody'))}
      />
    </>
  );
}
