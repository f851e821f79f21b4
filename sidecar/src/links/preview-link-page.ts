import { __, sprintf } from '@wordpress/i18n';
import type { Request, Response } from 'express';
import type { Queryable } from '../db/queryable.ts';
import { inLocale } from '../i18n/translations.ts';
import { customerPage } from './customer-page.ts';
import { messageByLinkRef } from './link-store.ts';
import { isPreviewLinkRef, type LinkKind } from './link-token.ts';
import { messagePageLocale } from './page-language.ts';

/** What each customer's link does in a real message (a sentence each: it reads whole in every language). */
const whatItDoes = (kind: LinkKind): string =>
  ({
    pay: () => __("In the real message this link opens the order's payment page, where the customer pays for their order.", 'comeback'),
    cart: () =>
      __('In the real message this link brings the customer back to the shop with their cart filled as they left it.', 'comeback'),
    unsubscribe: () => __('In the real message this link lets the customer stop these messages with one click.', 'comeback'),
    nps: () => __('In the real message this link opens the survey where the customer scores the shop from 0 to 10.', 'comeback'),
    connect: () => __('In the real message this link connects a shop.', 'comeback'),
    confirm: () => __("In the real message this link confirms the customer's subscription to offers and news by email.", 'comeback'),
  })[kind]();

/**
 * A link of an editor's preview or of a "send me a test" message (a `previewLinkRef`) belongs to
 * no customer: it answers a page saying what it does in a real message, and changes nothing; in
 * the test message's language (a preview has none: the browser's). True when it answered.
 */
export async function answeredPreviewLink(
  db: Queryable,
  req: Request,
  res: Response,
  claims: { kind: LinkKind; ref: string },
): Promise<boolean> {
  if (!isPreviewLinkRef(claims.ref)) return false;
  const message = await messageByLinkRef(db, claims.ref);
  inLocale(messagePageLocale(message, req), () =>
    customerPage(
      res,
      200,
      message ? __('This link is from a test message', 'comeback') : __('This is a preview', 'comeback'),
      // translators: %s: what the link does in a real message, a sentence.
      sprintf(__('%s Nothing was changed.', 'comeback'), whatItDoes(claims.kind)),
    ),
  );
  return true;
}
