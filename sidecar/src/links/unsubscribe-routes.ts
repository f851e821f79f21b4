import { __, sprintf } from '@wordpress/i18n';
import express, { Router, type Request, type Response } from 'express';
import type { Pool } from 'mysql2/promise';
import { PURPOSES, recordConsent, type Purpose } from '../consent/consent.ts';
import { storedPurpose } from '../flows/definition/flow-definition.ts';
import { browserLocale, inLocale } from '../i18n/translations.ts';
import { escapeHtml } from '../messages/html-escape.ts';
import { customerPage } from './customer-page.ts';
import { answeredPreviewLink } from './preview-link-page.ts';
import { messageByLinkRef, type LinkedMessage } from './link-store.ts';
import { verifyLinkToken } from './link-token.ts';
import { messagePageLocale, pageLocale } from './page-language.ts';

/**
 * One-click unsubscribe (RFC 8058). GET /u/:token shows a page with two buttons: link scanners and
 * mail previews fetch GETs, so a GET never unsubscribes. POST /u/:token (the mailbox provider's
 * "List-Unsubscribe=One-Click", or the first button) withdraws the message's own purpose by email
 * (an offer's link stops offers, a reminder's stops those reminders); the second button, every
 * purpose. The page then says exactly what was withdrawn, in the message's language.
 */
export function unsubscribeRoutes(deps: { pool: Pool; secret: string }): Router {
  const router = Router();
  router.use('/u/:token', express.urlencoded({ extended: false, limit: '4kb' }));

  router.get('/u/:token', async (req, res) => {
    if (await previewLink(deps, req, res)) return;
    const found = await messageFor(deps, req.params.token);
    if (!found) return notValid(req, res);
    const purpose = purposeOf(found);
    inLocale(messagePageLocale(found, req), () =>
      customerPage(
        res,
        200,
        __('Unsubscribe', 'comeback'),
        question(purpose, found.shopName, found.recipient),
        `<form method="post"><p><button type="submit" name="List-Unsubscribe" value="One-Click">${escapeHtml(button(purpose))}</button></p>` +
          (purpose
            ? `<p><button type="submit" name="all" value="1">${escapeHtml(__('Unsubscribe from all messages', 'comeback'))}</button></p>`
            : '') +
          `</form>`,
      ),
    );
  });

  router.post('/u/:token', async (req, res) => {
    // A preview's or a test's link never withdraws anyone's consent (the merchant's own included).
    if (await previewLink(deps, req, res)) return;
    const found = await messageFor(deps, req.params.token);
    if (!found) return notValid(req, res);
    const own = purposeOf(found);
    const purposes: readonly Purpose[] = req.body?.all === '1' || !own ? PURPOSES : [own];
    for (const purpose of purposes) {
      await recordConsent(deps.pool, {
        shopId: found.shopId,
        purpose,
        channel: 'email',
        address: found.recipient,
        status: 'withdrawn',
        source: 'unsubscribe',
        text: req.body?.['List-Unsubscribe'] === 'One-Click' && !req.body?.all ? 'one-click unsubscribe' : 'unsubscribe page',
        outboxId: found.outboxId,
      });
    }
    const stopped = purposes.length === PURPOSES.length ? null : purposes[0]!;
    inLocale(messagePageLocale(found, req), () =>
      customerPage(res, 200, __('You are unsubscribed', 'comeback'), done(stopped, found.shopName, found.recipient)),
    );
  });
  return router;
}

// Whole sentences per purpose (null: every purpose), so each language words them in its own grammar.

function question(purpose: Purpose | null, shop: string, address: string): string {
  // translators: 1: the shop's name, 2: the customer's email address.
  const order = () => __('Stop messages about your orders by email from %1$s to %2$s?', 'comeback');
  // translators: 1: the shop's name, 2: the customer's email address.
  const cart = () => __('Stop cart reminders by email from %1$s to %2$s?', 'comeback');
  // translators: 1: the shop's name, 2: the customer's email address.
  const marketing = () => __('Stop offers and news by email from %1$s to %2$s?', 'comeback');
  // translators: 1: the shop's name, 2: the customer's email address.
  const all = () => __('Stop reminders about orders and carts, offers and news by email from %1$s to %2$s?', 'comeback');
  return sprintf((purpose ? { order, cart, marketing }[purpose] : all)(), shop, address);
}

function button(purpose: Purpose | null): string {
  if (purpose === 'order') return __('Unsubscribe from messages about your orders', 'comeback');
  if (purpose === 'cart') return __('Unsubscribe from cart reminders', 'comeback');
  if (purpose === 'marketing') return __('Unsubscribe from offers and news', 'comeback');
  return __('Unsubscribe from reminders about orders and carts, offers and news', 'comeback');
}

function done(purpose: Purpose | null, shop: string, address: string): string {
  // translators: 1: the customer's email address, 2: the shop's name.
  const order = () => __('%1$s will get no more messages about orders by email from %2$s.', 'comeback');
  // translators: 1: the customer's email address, 2: the shop's name.
  const cart = () => __('%1$s will get no more cart reminders by email from %2$s.', 'comeback');
  // translators: 1: the customer's email address, 2: the shop's name.
  const marketing = () => __('%1$s will get no more offers and news by email from %2$s.', 'comeback');
  // translators: 1: the customer's email address, 2: the shop's name.
  const all = () => __('%1$s will get no more reminders about orders and carts, offers and news by email from %2$s.', 'comeback');
  return sprintf((purpose ? { order, cart, marketing }[purpose] : all)(), address, shop);
}

/** A link that is tampered, cut off, of another kind or of no message: in the browser's language. */
function notValid(req: Request, res: Response): void {
  inLocale(pageLocale(browserLocale(req)), () =>
    customerPage(
      res,
      400,
      __('This link is not valid', 'comeback'),
      __('Please use the unsubscribe link from the most recent email.', 'comeback'),
    ),
  );
}

/** The purpose of the message's flow (null: not known, so an unsubscribe stops everything). */
function purposeOf(message: LinkedMessage): Purpose | null {
  return message.flowDefinition ? storedPurpose(message.flowDefinition) : null;
}

/** Answers a preview's or a test message's unsubscribe link with what it does; true when it did. */
async function previewLink(deps: { pool: Pool; secret: string }, req: Request, res: Response): Promise<boolean> {
  const claims = verifyLinkToken(String(req.params.token), deps.secret, Math.floor(Date.now() / 1000));
  return claims.ok && claims.kind === 'unsubscribe' && (await answeredPreviewLink(deps.pool, req, res, claims));
}

/** The message the link was sent in, or null for a bad link. */
async function messageFor(deps: { pool: Pool; secret: string }, token: string): Promise<LinkedMessage | null> {
  // Unsubscribe links do not expire in practice (a year): people unsubscribe from old mail too.
  const claims = verifyLinkToken(token, deps.secret, Math.floor(Date.now() / 1000));
  if (!claims.ok || claims.kind !== 'unsubscribe') return null;
  return messageByLinkRef(deps.pool, claims.ref);
}
