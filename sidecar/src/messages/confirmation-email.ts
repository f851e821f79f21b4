import type { Pool } from 'mysql2/promise';
import { currentLocale, isRightToLeft, languageTag } from '../i18n/translations.ts';
import { loadShopProfile } from '../woo/shop-profile.ts';
import { escapeHtml } from './html-escape.ts';
import { enqueueMessage } from './outbox.ts';
import { messageSender } from './shop-email.ts';

export type ConfirmationEmailDeps = { pool: Pool; from: string; shopFrom?: boolean };

/**
 * A plain service email asking its reader to confirm something through a signed link (a marketing
 * subscription, an address for test messages): from the shop's sender, a paragraph, the link, and
 * what happens when it is ignored. `link` receives the shop's name; the outbox key keeps repeats out.
 * Its `lang` and `dir` are the locale it is written in (the caller's `inLocale`).
 */
export async function queueConfirmationEmail(
  deps: ConfirmationEmailDeps,
  shopId: number,
  email: {
    idempotencyKey: string;
    to: string;
    subject: (shop: string) => string;
    intro: (shop: string) => string;
    button: string;
    outro: string;
    link: string;
  },
): Promise<boolean> {
  const profile = await loadShopProfile(deps.pool, shopId);
  const sender = messageSender(profile.sender, { from: deps.from, shopFrom: deps.shopFrom });
  const intro = email.intro(profile.name);
  const queued = await enqueueMessage(deps.pool, {
    idempotencyKey: email.idempotencyKey,
    shopId,
    channel: 'email',
    to: email.to,
    from: sender.from,
    ...(sender.replyTo ? { replyTo: sender.replyTo } : {}),
    subject: email.subject(profile.name).replace(/[\r\n]+/g, ' '),
    html:
      `<!doctype html><html lang="${languageTag(currentLocale())}" dir="${isRightToLeft(currentLocale()) ? 'rtl' : 'ltr'}">` +
      `<body style="font-family:sans-serif;line-height:1.5;color:#1e1e1e">` +
      `<p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(email.link)}">${escapeHtml(email.button)}</a></p>` +
      `<p style="color:#555">${escapeHtml(email.outro)}</p></body></html>`,
    text: `${intro}\n\n${email.link}\n\n${email.outro}\n`,
  });
  return queued.created;
}
