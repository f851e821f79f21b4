import type { Response } from 'express';
import type { Queryable } from '../db/queryable.ts';
import { customerPage } from './customer-page.ts';
import { messageByLinkRef } from './link-store.ts';
import { isPreviewLinkRef, type LinkKind } from './link-token.ts';

/** What each customer's link does in a real message. */
const WHAT_IT_DOES: Record<LinkKind, string> = {
  pay: "opens the order's payment page, where the customer pays for their order",
  cart: 'brings the customer back to the shop with their cart filled as they left it',
  unsubscribe: 'lets the customer stop these messages with one click',
  nps: 'opens the survey where the customer scores the shop from 0 to 10',
  connect: 'connects a shop',
  confirm: 'confirms the customer’s subscription to offers and news by email',
};

/**
 * A link of an editor's preview or of a "send me a test" message (a `previewLinkRef`) belongs to
 * no customer: it answers a page saying what it does in a real message, and changes nothing.
 * True when it answered.
 */
export async function answeredPreviewLink(db: Queryable, res: Response, claims: { kind: LinkKind; ref: string }): Promise<boolean> {
  if (!isPreviewLinkRef(claims.ref)) return false;
  const test = (await messageByLinkRef(db, claims.ref)) !== null;
  customerPage(
    res,
    200,
    test ? 'This link is from a test message' : 'This is a preview',
    `In the real message this link ${WHAT_IT_DOES[claims.kind]}. Nothing was changed.`,
  );
  return true;
}
