import type { Request } from 'express';
import { browserLocale, shippedLocales } from '../i18n/translations.ts';

/**
 * The language of a page a customer opens from a message: the message's own language, else the
 * shop's locale, else English. A page shows the product's own catalogue, so a locale counts only
 * when the product speaks it (English, the source, or a shipped translation): a customer whose
 * language has no translation reads the shop's language, the one the shop itself speaks to them,
 * and the page's `lang` always names the language its words are in.
 */
export function pageLocale(...candidates: Array<string | null | undefined>): string {
  return candidates.find((locale): locale is string => Boolean(locale) && speaks(locale!)) ?? 'en_US';
}

/** Whether the product's pages can be shown in the locale (English, or a shipped translation). */
export function speaks(locale: string): boolean {
  return /^en(?:_[A-Z]{2})?$/.test(locale) || shippedLocales().includes(locale);
}

/** The locale of a page about a message: the message's language, else the shop's, else the browser's, else English. */
export function messagePageLocale(message: { language: string | null; shopLocale: string | null } | null, req: Request): string {
  return pageLocale(message?.language, message?.shopLocale, browserLocale(req));
}
