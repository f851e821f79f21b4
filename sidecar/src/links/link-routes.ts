import { __ } from '@wordpress/i18n';
import { Router, type Response } from 'express';
import type { Pool } from 'mysql2/promise';
import { browserLocale, inLocale } from '../i18n/translations.ts';
import { customerPage } from './customer-page.ts';
import { answeredPreviewLink } from './preview-link-page.ts';
import { verifyLinkToken, type VerifyResult } from './link-token.ts';
import { insertClick, payLinkTarget } from './link-store.ts';
import { messagePageLocale, pageLocale } from './page-language.ts';
import { PAID_STATUSES } from '../events/order-status.ts';

/**
 * GET /r/:token — a customer's payment link. The click is recorded, then the customer goes to the
 * order's pay-for-order page, or to its order-received page if it is already paid (WooCommerce's
 * pay page answers 200 even for a paid order). Bad or expired links get a page a person can read,
 * in the browser's language (the message cannot be read); the others in the message's;
 * a preview's or test message's link (payment or cart) a page saying what it does in a real message.
 */
export function linkRoutes(deps: { pool: Pool; secret: string; clock?: () => Date }): Router {
  const router = Router();
  router.get('/r/:token', async (req, res) => {
    const now = deps.clock?.() ?? new Date();
    const claims = verifyLinkToken(req.params.token, deps.secret, Math.floor(now.getTime() / 1000));
    // A preview's or a test's payment or cart link says what it would do.
    if (claims.ok && (claims.kind === 'pay' || claims.kind === 'cart') && (await answeredPreviewLink(deps.pool, req, res, claims))) return;
    if (!claims.ok || claims.kind !== 'pay') return inLocale(pageLocale(browserLocale(req)), () => badLinkPage(res, claims));
    const found = await payLinkTarget(deps.pool, claims.ref);
    if (!found?.order || found.enrollmentId === null) {
      return inLocale(messagePageLocale(found, req), () =>
        found && found.enrollmentId === null
          ? // A "send a test to me" message: its link belongs to no customer's order.
            customerPage(
              res,
              200,
              __('This link is from a test message', 'comeback'),
              __('In a real reminder this link takes the customer to the payment page of their order.', 'comeback'),
            )
          : customerPage(
              res,
              404,
              __('We could not find this order', 'comeback'),
              __('Please open the shop to see your orders, or reply to our email.', 'comeback'),
            ),
      );
    }
    await insertClick(deps.pool, {
      outboxId: found.outboxId,
      enrollmentId: found.enrollmentId,
      kind: 'pay',
      userAgent: req.get('user-agent') ?? '',
      at: now,
    });
    const order = found.order;
    const shop = found.shopUrl.replace(/\/+$/, '');
    const key = encodeURIComponent(order.order_key ?? '');
    const paid = found.datePaid !== null || (found.orderStatus !== null && PAID_STATUSES.has(found.orderStatus));
    res.set('Cache-Control', 'no-store');
    res.redirect(
      302,
      paid
        ? `${shop}/checkout/order-received/${order.id}/?key=${key}`
        : `${shop}/checkout/order-pay/${order.id}/?pay_for_order=true&key=${key}`,
    );
  });
  return router;
}

/** A tampered, cut-off, expired or foreign payment link: what happened and the way on. */
function badLinkPage(res: Response, claims: VerifyResult): void {
  const expired = !claims.ok && claims.reason === 'expired';
  customerPage(
    res,
    expired ? 410 : 400,
    expired ? __('This payment link has expired', 'comeback') : __('This link is not valid', 'comeback'),
    expired
      ? __('Payment links stay valid for a limited time. Please open the shop to pay for your order, or reply to our email.', 'comeback')
      : __('The link may have been cut off when it was copied. Please use the link from the email, or open the shop.', 'comeback'),
  );
}
