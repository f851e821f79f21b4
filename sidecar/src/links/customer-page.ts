import type { Response } from 'express';
import { currentLocale, isRightToLeft, languageTag } from '../i18n/translations.ts';
import { escapeHtml } from '../messages/html-escape.ts';

/**
 * A small page a customer can read (bad link, expired link, unsubscribe): escaped, never cached,
 * in the language of the work in hand (`inLocale`): its `lang`, and `dir="rtl"` for a script
 * written right to left (the layout's margins are logical, so they follow).
 */
export function customerPage(res: Response, status: number, title: string, text: string, trustedHtml = ''): void {
  const locale = currentLocale();
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .set('Content-Language', languageTag(locale))
    .send(
      `<!doctype html><html lang="${escapeHtml(languageTag(locale))}" dir="${isRightToLeft(locale) ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1e1e1e}h1{font-size:1.4rem}button{font:inherit;padding:.5rem 1rem}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${trustedHtml}</body></html>`,
    );
}
