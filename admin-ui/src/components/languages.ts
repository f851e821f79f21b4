import { __, sprintf } from '@wordpress/i18n';
import { createContext } from 'react';
import type { FlowStep, MessageChannel, ShopConnection } from '@comeback/sidecar/api-contracts';

/** A step's texts in other languages, by WordPress locale (the flow definition's `translations`). */
export type Translations = NonNullable<FlowStep['translations']>;

/** One language's texts of a step (any channel may be left out: its customers get the default text). */
export type TextTranslation = Translations[string];

/** What the preview answers about the language it rendered (POST /api/previews and /api/recovery/preview with `language`). */
export type PreviewLanguage = { requested: string | null; used: string | null; fellBack: boolean };

/** The languages offered after the shop's own: those Comeback's shops sell in most. */
export const COMMON_LOCALES = [
  'pl_PL',
  'de_DE',
  'en_GB',
  'fr_FR',
  'es_ES',
  'it_IT',
  'nl_NL',
  'cs_CZ',
  'sk_SK',
  'uk',
  'lt_LT',
  'pt_PT',
  'pt_BR',
  'ar',
  'he_IL',
] as const;

const WORDPRESS_LOCALE = /^[a-z]{2,3}(_[A-Z]{2})?(_[a-z0-9]+)?$/;

/** The admin's own language as a BCP 47 tag: WordPress writes it on <html lang>, the sidecar's /admin too. */
const uiTag = () => (typeof document !== 'undefined' && document.documentElement.lang) || 'en';

/** "Polish" for pl_PL, in the merchant's own language (Intl.DisplayNames), the locale itself where the browser has no name. */
export function languageOnly(locale: string): string {
  const language = locale.split('_')[0]!;
  // Portuguese of Portugal and of Brazil are two languages to a shop: named as such.
  const tag = /^(pt|zh)_/.test(locale) ? locale.split('_').slice(0, 2).join('-') : language;
  try {
    return new Intl.DisplayNames([uiTag(), 'en'], { type: 'language' }).of(tag) ?? locale;
  } catch {
    return locale;
  }
}

/** "Polish (pl_PL)": a language as the merchant reads it, with the WordPress locale that names it. */
export const languageName = (locale: string) => `${languageOnly(locale)} (${locale})`;

/**
 * The languages to offer when adding one: the shop's own (GET /api/shop/connection: its locale and,
 * when a multilingual plugin reports them, its `languages`), then the common ones; none twice, and
 * none the step already has.
 */
export function offeredLocales(shop: ShopConnection | null | undefined, taken: string[]): string[] {
  // `languages` may come at the top or beside the shop's formats: whichever a multilingual shop's report fills.
  const loose = shop as { languages?: unknown; shop?: { languages?: unknown } } | null | undefined;
  const reported = [loose?.languages, loose?.shop?.languages].flatMap((l) => (Array.isArray(l) ? (l as unknown[]) : []));
  const shopLocales = [shop?.shop.formats.locale, ...reported].filter(
    (l): l is string => typeof l === 'string' && WORDPRESS_LOCALE.test(l) && l !== 'en_US',
  );
  return [...new Set([...shopLocales, ...COMMON_LOCALES])].filter((l) => !taken.includes(l));
}

/** The languages to offer when adding one (offeredLocales of the shop's connection): the app provides it. */
export const ShopLanguages = createContext<string[]>([...COMMON_LOCALES]);

/** The languages any of the steps has texts in, in the order they were added. */
export function localesOf(steps: ReadonlyArray<{ translations?: Record<string, unknown> }>): string[] {
  return [...new Set(steps.flatMap((s) => Object.keys(s.translations ?? {})))];
}

/**
 * WhatsApp's own code for a template's language: WordPress's pl_PL is WhatsApp's "pl"; the
 * regional English, Portuguese, Spanish and Chinese templates keep their region.
 */
export function whatsAppLanguage(locale: string): string {
  const regional = ['en_GB', 'en_US', 'pt_BR', 'pt_PT', 'es_AR', 'es_ES', 'es_MX', 'zh_CN', 'zh_HK', 'zh_TW'];
  return regional.includes(locale) ? locale : locale.split('_')[0]!;
}

/** The channels the step sends by that have no text (or only part of it) in this language: their customers get the default. */
export function missingChannels(step: Pick<FlowStep, 'channels'>, translation: TextTranslation | undefined): MessageChannel[] {
  return step.channels.filter((channel) => {
    if (channel === 'email') return !translation?.email?.subject.trim() || !translation.email.body.trim();
    if (channel === 'sms') return !translation?.sms?.body.trim();
    return !translation?.whatsapp?.text?.body.trim();
  });
}

/** Whether a translation holds no text at all (a language just added). */
export const isEmptyTranslation = (translation: TextTranslation | undefined) =>
  !translation?.email && !translation?.sms && !translation?.whatsapp?.text && !translation?.whatsapp?.template;

/**
 * A language's texts started from the default's: every channel the step has, with its offline
 * texts; WhatsApp's free text, and its template under the same name with the language's code (an
 * approved template exists once per language under one name).
 */
export function copyOfDefault(step: Pick<FlowStep, 'email' | 'sms' | 'whatsapp'>, locale: string): TextTranslation {
  return structuredClone({
    ...(step.email ? { email: step.email } : {}),
    ...(step.sms ? { sms: step.sms } : {}),
    ...(step.whatsapp
      ? { whatsapp: { text: step.whatsapp.text, template: { ...step.whatsapp.template, language: whatsAppLanguage(locale) } } }
      : {}),
  });
}

/** "No Polish text yet: customers in Polish get the default text." */
export const noTextYet = (locale: string) =>
  // translators: both %s are a language's name, e.g. "Polish"
  sprintf(__('No %1$s text yet: customers in %2$s get the default text.', 'comeback'), languageOnly(locale), languageOnly(locale));

/**
 * A step as one language's tab shows it: the language's texts where the default's are, so the
 * default's fields edit them; a channel without a translation shows empty. WhatsApp's template
 * is offered empty, with the language's code: left so, the default template goes.
 */
export function translationView(step: FlowStep, locale: string): FlowStep {
  const translation = step.translations?.[locale];
  const whatsapp = translation?.whatsapp;
  return {
    ...step,
    email: translation?.email,
    sms: translation?.sms,
    whatsapp: whatsapp
      ? { template: whatsapp.template ?? emptyTemplate(locale), text: whatsapp.text ?? { body: '' } }
      : { template: emptyTemplate(locale), text: { body: '' } },
  };
}

const emptyTemplate = (locale: string) => ({ name: '', language: whatsAppLanguage(locale), parameters: [] as string[] });

/** The step with a language tab's edited view written back into its translation (what the default holds is kept). */
export function withTranslation(step: FlowStep, locale: string, view: FlowStep): FlowStep {
  const empty = emptyTemplate(locale);
  const template = view.whatsapp?.template;
  const templateSet = template && (template.name !== '' || template.parameters.length > 0 || template.language !== empty.language);
  const text = view.whatsapp?.text;
  const textSet = text && (text.body !== '' || (text.offlineBody ?? '') !== '');
  const translation: TextTranslation = {
    ...(view.email && !allEmpty(view.email) ? { email: view.email } : {}),
    ...(view.sms && !allEmpty(view.sms) ? { sms: view.sms } : {}),
    ...(templateSet || textSet ? { whatsapp: { ...(textSet ? { text } : {}), ...(templateSet ? { template } : {}) } } : {}),
  };
  return { ...step, translations: { ...step.translations, [locale]: translation } };
}

/** A channel's texts all emptied: the channel is dropped from the translation, its customers get the default again. */
const allEmpty = (texts: { subject?: string; body: string; offlineBody?: string; offlineBodies?: Record<string, string> }) =>
  [texts.subject, texts.body, texts.offlineBody, ...Object.values(texts.offlineBodies ?? {})].every((t) => !t);

/** The step without a language's texts. */
export function withoutTranslation<T extends { translations?: Record<string, unknown> }>(step: T, locale: string): T {
  if (!step.translations?.[locale]) return step;
  const { [locale]: _gone, ...others } = step.translations;
  return { ...step, translations: others };
}
