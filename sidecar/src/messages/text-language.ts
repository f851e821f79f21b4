import type { MessageChannel } from './message-channel.ts';
import type { MessageTemplates, TextTranslation } from './message-templates.ts';

/**
 * Which of a step's texts a message in the customer's language is written with, one channel at a
 * time: the step's translation for that locale when it has the channel's text, else the default
 * text. Pure: the step queuer, the preview and the test send all choose here.
 */

/** The language part of a WordPress locale or WhatsApp language code: `pl` of `pl_PL`, `de` of `de_DE_formal`. */
export function baseLanguage(locale: string): string {
  return locale.split('_')[0]!.toLowerCase();
}

/**
 * The step's translation for a locale: its own (`de_DE`), else one in the same language
 * (`de_DE_formal`, `de_AT`; the first by name, so the choice is stable), else none. An Austrian
 * customer reads the German text rather than the default.
 */
export function translationFor(
  definition: MessageTemplates,
  locale: string | null | undefined,
): { locale: string; translation: TextTranslation } | null {
  const translations = definition.translations;
  if (!locale || !translations) return null;
  if (Object.hasOwn(translations, locale)) return { locale, translation: translations[locale]! };
  const same = Object.keys(translations)
    .sort()
    .find((key) => baseLanguage(key) === baseLanguage(locale));
  return same ? { locale: same, translation: translations[same]! } : null;
}

/** The texts one channel's message is written with, and the translation they came from (null: the default text). */
export type ChannelTexts = {
  texts: Omit<MessageTemplates, 'translations'>;
  /** The locale of the translation used; null when the default text goes. */
  textLanguage: string | null;
  /**
   * WhatsApp: the customer's language has no approved template of its own, so the default one goes
   * (the language asked is named). Absent when the template is in the customer's language.
   */
  templateFallback?: { language: string };
};

/**
 * The texts of `channel` for a message in `locale`. Email takes the translation's subject and
 * bodies together; SMS its text; WhatsApp its free text and its approved template each when given,
 * the default's otherwise. A default template already in the customer's language is no fallback.
 */
export function textsIn(definition: MessageTemplates, channel: MessageChannel, locale: string | null | undefined): ChannelTexts {
  const { translations, ...defaults } = definition;
  const found = translationFor(definition, locale);
  const translation = found?.translation;
  if (channel === 'email') {
    return translation?.email
      ? { texts: { ...defaults, email: translation.email }, textLanguage: found!.locale }
      : { texts: defaults, textLanguage: null };
  }
  if (channel === 'sms') {
    return translation?.sms
      ? { texts: { ...defaults, sms: translation.sms }, textLanguage: found!.locale }
      : { texts: defaults, textLanguage: null };
  }
  const whatsapp = defaults.whatsapp;
  if (!whatsapp) return { texts: defaults, textLanguage: null };
  const own = translation?.whatsapp;
  const texts = { ...defaults, whatsapp: { text: own?.text ?? whatsapp.text, template: own?.template ?? whatsapp.template } };
  const textLanguage = own?.text || own?.template ? found!.locale : null;
  const fallsBack = locale && !own?.template && baseLanguage(whatsapp.template.language) !== baseLanguage(locale);
  return fallsBack ? { texts, textLanguage, templateFallback: { language: locale } } : { texts, textLanguage };
}

/**
 * The language the step's default text is taken to be written in: the shop's, unless the step has
 * a translation in the shop's language — then the default is the text the product shipped, English
 * (a Polish shop with the presets' Polish translations sends their English default to a German
 * customer, and its dates, link words and direction must be English too).
 */
export function defaultTextLanguage(definition: MessageTemplates, shopLocale: string): string {
  return translationFor(definition, shopLocale) ? 'en_US' : shopLocale;
}
