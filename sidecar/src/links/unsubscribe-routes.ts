import express, { Router, type Response } from 'express';
import type { Pool } from 'mysql2/promise';
import { recordConsent } from '../consent/consent.ts';
import { customerPage } from './customer-page.ts';
import { answeredPreviewLink } from './preview-link-page.ts';
import { messageByLinkRef, type LinkedMessage } from './link-store.ts';
import { verifyLinkToken } from './link-token.ts';

/**
 * One-click unsubscribe (RFC 8058). GET /u/:token shows a page with a button: link scanners and
 * mail previews fetch GETs, so a GET never unsubscribes. POST /u/:token (the mailbox provider's
 * "List-Unsubscribe=One-Click", or the button) records the opt-out at once.
 */
export function unsubscribeRoutes(deps: { pool: Pool; secret: string }): Router {
  const router = Router();
  router.use('/u/:token', express.urlencoded({ extended: false, limit: '4kb' }));

  router.get('/u/:token', async (req, res) => {
    // Unsubscribing stops every email we send (consent.ts: a withdrawal comes before the purpose), not reminders alone.
    if (await previewLink(deps, req.params.token, res)) return;
    const found = await messageFor(deps, req.params.token);
    if (!found) return customerPage(res, 400, 'This link is not valid', 'Please use the unsubscribe link from the most recent email.');
    customerPage(
      res,
      200,
      'Unsubscribe',
      `Stop reminders, offers and news by email from ${found.shopName} to ${found.recipient}?`,
      `<form method="post"><button type="submit" name="List-Unsubscribe" value="One-Click">Unsubscribe</button></form>`,
    );
  });

  router.post('/u/:token', async (req, res) => {
    // A preview's or a test's link never withdraws anyone's consent (the merchant's own included).
    if (await previewLink(deps, req.params.token, res)) return;
    const found = await messageFor(deps, req.params.token);
    if (!found) return customerPage(res, 400, 'This link is not valid', 'Please use the unsubscribe link from the most recent email.');
    await recordConsent(deps.pool, {
      shopId: found.shopId,
      channel: 'email',
      address: found.recipient,
      status: 'withdrawn',
      source: req.body?.['List-Unsubscribe'] === 'One-Click' ? 'one-click' : 'page',
      outboxId: found.outboxId,
    });
    customerPage(
      res,
      200,
      'You are unsubscribed',
      `${found.recipient} will get no more reminders, offers or news by email from ${found.shopName}.`,
    );
  });
  return router;
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
