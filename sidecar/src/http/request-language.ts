import type { NextFunction, Request, Response } from 'express';
import { inLocale, languageTag, shippedLocales } from '../i18n/translations.ts';

/**
 * The merchant's language for one admin API request: the request's Accept-Language (the admin UI
 * sends its own; the plugin's proxy the WordPress user's) against the translations that ship
 * (`comeback-<locale>.po`), English when none fits. Everything after it (refusals, field
 * problems, alert titles) is worded in that locale: `next()` runs inside inLocale, whose
 * AsyncLocalStorage follows the handlers' awaits.
 */
export function requestLanguage() {
  const byTag = new Map<string, string>([['en-US', 'en_US']]);
  for (const locale of shippedLocales()) byTag.set(languageTag(locale), locale);
  const tags = [...byTag.keys()];
  return (req: Request, _res: Response, next: NextFunction): void => {
    const tag = req.headers['accept-language'] ? req.acceptsLanguages(tags) : false;
    inLocale(tag ? byTag.get(tag) : 'en_US', next);
  };
}
