import express, { Router, type Response } from 'express';
import type { Pool } from 'mysql2/promise';
import { PURPOSES, PURPOSE_WORDS, recordConsent, type Purpose } from '../consent/consent.ts';
import { storedPurpose } from '../flows/definition/flow-definition.ts';
import { customerPage } from './customer-page.ts';
import { answeredPreviewLink } from './preview-link-page.ts';
import { messageByLinkRef, type LinkedMessage } from './link-store.ts';
import { verifyLinkToken } from './link-token.ts';

const ALL_WORDS = 'reminders about orders and carts, offers and news';

/**
 * One-click unsubscribe (RFC 8058). GET /u/:token shows a page with two buttons: link scanners and
 * mail previews fetch GETs, so a GET never unsubscribes. POST /u/:token (the mailbox provider's
 * "List-Unsubscribe=One-Click", or the first button) withdraws the message's own purpose by email
 * (an offer's link stops offers, a reminder's stops those reminders); the second button, every
 * purpose. The page then says exactly what was withdrawn.
 */
export function unsubscribeRoutes(deps: { pool: Pool; secret: string }): Router {
  const router = Router();
  router.use('/u/:token', express.urlencoded({ extended: false, limit: '4kb' }));

  router.get('/u/:token', async (req, res) => {
    if (await previewLink(deps, req.params.token, res)) return;
    const found = await messageFor(deps, req.params.token);
    if (!found) return customerPage(res, 400, 'This link is not valid', 'Please use the unsubscribe link from the most recent email.');
    const purpose = purposeOf(found);
    const own = purpose ? PURPOSE_WORDS[purpose] : ALL_WORDS;
    customerPage(
      res,
      200,
      'Unsubscribe',
      `Stop ${own} by email from ${found.shopName} to ${found.recipient}?`,
      `<form method="post"><p><button type="submit" name="List-Unsubscribe" value="One-Click">Unsubscribe from ${own}</button></p>` +
        (purpose ? `<p><button type="submit" name="all" value="1">Unsubscribe from all messages</button></p>` : '') +
        `</form>`,
    );
  });

  router.post('/u/:token', async (req, res) => {
    // A preview's or a test's link never withdraws anyone's consent (the merchant's own included).
    if (await previewLink(deps, req.params.token, res)) return;
    const found = await messageFor(deps, req.params.token);
    if (!found) return customerPage(res, 400, 'This link is not valid', 'Please use the unsubscribe link from the most recent email.');
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
    const words = purposes.length === PURPOSES.length ? ALL_WORDS : PURPOSE_WORDS[purposes[0]!];
    customerPage(res, 200, 'You are unsubscribed', `${found.recipient} will get no more ${words} by email from ${found.shopName}.`);
  });
  return router;
}

/** The purpose of the message's flow (null: not known, so an unsubscribe stops everything). */
function purposeOf(message: LinkedMessage): Purpose | null {
  return message.flowDefinition ? storedPurpose(message.flowDefinition) : null;
}

/** Answers a preview's or a test message's unsubscribe link with what it does; true when it did. */
async function previewLink(deps: { pool: Pool; secret: string }, token: string, res: Response): Promise<boolean> {
  const claims = verifyLinkToken(token, deps.secret, Math.floor(Date.now() / 1000));
  return claims.ok && claims.kind === 'unsubscribe' && (await answeredPreviewLink(deps.pool, res, claims));
}

/** The message the link was sent in, or null for a bad link. */
async function messageFor(deps: { pool: Pool; secret: string }, token: string): Promise<LinkedMessage | null> {
  // Unsubscribe links do not expire in practice (a year): people unsubscribe from old mail too.
  const claims = verifyLinkToken(token, deps.secret, Math.floor(Date.now() / 1000));
  if (!claims.ok || claims.kind !== 'unsubscribe') return null;
  return messageByLinkRef(deps.pool, claims.ref);
}
