import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { PaymentGateway, RecoveryView, Reminder } from '@comeback/sidecar/api-contracts';
import { offlineTextGateways, reminderTextErrors, textContextOf } from '@comeback/sidecar/flow-texts';
import type { FieldError } from '../api.ts';
import { GatewayTexts } from '../components/GatewayTexts.tsx';
import { TemplateEditor } from '../components/TemplateEditor.tsx';
import { noTextYet, type TextTranslation, type Translations } from '../components/languages.ts';

/**
 * A reminder as the Recovery form holds it: with its texts in other languages, by WordPress locale,
 * as its step of the unpaid-order flow has them (each language's email: subject, body, offline texts).
 */
export type LocalizedReminder = Reminder & { translations?: Translations };

/** A reminder's four texts: the default's fields, or one language's. */
type Texts = Pick<Reminder, 'subject' | 'onlineBody' | 'offlineBody' | 'offlineBodies'>;

/** A language's email as the reminder's fields (empty where it has none yet). */
export function reminderTexts(reminder: LocalizedReminder, locale: string | null): Texts {
  if (locale === null) return reminder;
  const email = reminder.translations?.[locale]?.email;
  return {
    subject: email?.subject ?? '',
    onlineBody: email?.body ?? '',
    offlineBody: email?.offlineBody ?? '',
    offlineBodies: email?.offlineBodies,
  };
}

/** The reminder with one language's fields written into its translation (all emptied: the language keeps no email). */
export function withReminderTexts(reminder: LocalizedReminder, locale: string, texts: Texts): LocalizedReminder {
  const bodies = Object.fromEntries(Object.entries(texts.offlineBodies ?? {}).filter(([, body]) => body !== ''));
  const empty = !texts.subject && !texts.onlineBody && !texts.offlineBody && Object.keys(bodies).length === 0;
  const { email: _old, ...rest } = reminder.translations?.[locale] ?? {};
  const email = {
    subject: texts.subject,
    body: texts.onlineBody,
    ...(texts.offlineBody ? { offlineBody: texts.offlineBody } : {}),
    ...(Object.keys(bodies).length ? { offlineBodies: bodies } : {}),
  };
  const translation: TextTranslation = empty ? rest : { ...rest, email };
  return { ...reminder, translations: { ...reminder.translations, [locale]: translation } };
}

/** The default texts copied into a language, to start its translation from. */
export const copyReminder = (reminder: LocalizedReminder, locale: string) =>
  withReminderTexts(reminder, locale, structuredClone(reminderTexts(reminder, null)));

/** A reminder's email in a language lacks its subject or text: those customers get the default email. */
export function reminderMissing(reminder: LocalizedReminder, locale: string): boolean {
  const email = reminder.translations?.[locale]?.email;
  return !email?.subject.trim() || !email.body.trim();
}

/** Where a language's reminder field is in the API's errors: "reminders.0.translations.pl_PL.email.body". */
const translatedField = (field: string, locale: string) =>
  field.replace(
    /^(reminders\.\d+)\.(subject|onlineBody|offlineBody|offlineBodies)/,
    (_, at: string, part: string) => `${at}.translations.${locale}.email.${part === 'onlineBody' ? 'body' : part}`,
  );

/**
 * The shortcode problems of each language's reminder texts, by the rules of the default's (its
 * step's coupon, the shop's bank accounts), at their place in the translation. A text the language
 * leaves empty is not checked: the default's goes.
 */
export function reminderTranslationErrors(reminders: LocalizedReminder[], locales: string[], view: RecoveryView): FieldError[] {
  return locales.flatMap((locale) =>
    reminderTextErrors(
      reminders.map((r) => reminderTexts(r, r.translations?.[locale]?.email ? locale : null)),
      view.reminderCoupons,
      view.textFacts,
    )
      .filter((e) => e.field && reminders[Number(e.field.split('.')[1])]?.translations?.[locale]?.email)
      .map((e) => ({ ...e, field: translatedField(e.field, locale) })),
  );
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
  const at = locale === null ? `reminders.${i}` : `reminders.${i}.translations.${locale}.email`;
  const name = (part: 'subject' | 'onlineBody' | 'offlineBody' | 'offlineBodies') =>
    `${at}.${locale !== null && part === 'onlineBody' ? 'body' : part}`;
  const set = (change: Partial<Texts>) =>
    props.onChange(locale === null ? change : { translations: withReminderTexts(reminder, locale, { ...texts, ...change }).translations });
  const context = (part: 'subject' | 'body' | 'offlineBody') => textContextOf('order.unpaid', part, props.step);
  return (
    <>
      {locale !== null && !reminder.translations?.[locale]?.email && (
        <div className="comeback-languages__empty">
          <p>{noTextYet(locale)}</p>
          <Button variant="secondary" onClick={() => props.onChange({ translations: copyReminder(reminder, locale).translations })}>
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
