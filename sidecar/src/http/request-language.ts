import type { NextFunction, Request, Response } from 'express';
import { browserLocale, inLocale } from '../i18n/translations.ts';

/**
 * The merchant's language for one admin API request: the request's Accept-Language (the admin UI
 * sends its own; the plugin's proxy the WordPress user's) against the translations that ship
 * (`comeback-<locale>.po`), English when none fits — the same match the customer pages make
 * (browserLocale). Everything after it (refusals, field problems, alert titles) is worded in that
 * locale: `next()` runs inside inLocale, whose AsyncLocalStorage follows the handlers' awaits.
 */
export function requestLanguage() {
  return (req: Request, _res: Response, next: NextFunction): void => inLocale(browserLocale(req) ?? 'en_US', next);
}
