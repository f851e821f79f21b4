import express, { Router, type Request } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { customerPage } from '../links/customer-page.ts';
import { newLinkRef, signLinkToken, verifyLinkToken } from '../links/link-token.ts';
import { queueConfirmationEmail } from '../messages/confirmation-email.ts';
import { loadShopProfile } from '../woo/shop-profile.ts';
import { settingsDocument, upsertSettingsDocument } from '../woo/settings-store.ts';
import { shopSecret } from '../woo/shop-store.ts';
import { hashIp, PURPOSE_WORDS, recordConsent } from './consent.ts';
import { consentLogEntry } from './consent-store.ts';

/**
 * Email double opt-in: a marketing email grant from checkout, My Account or an admin is pending
 * until the customer clicks the signed link of a confirmation email and presses the page's button
 * (a POST: mail scanners fetch links, they never confirm). The confirmation is a service message:
 * it needs no consent, and goes at most once per address a day (its outbox key).
 */

export type DoubleOptInDeps = {
  pool: Pool;
  linkSecret: string;
  publicUrl: () => string;
  from: string;
  shopFrom?: boolean;
  /** Wakes the send loop when a confirmation is queued. */
  kickSends?: () => void;
};

const CONFIRM_DAYS = 7;
const SETTINGS_KEY = 'consent';

export const consentSettingsSchema = z.object({
  /** Marketing email grants wait for the customer's confirmation click (on unless the merchant turns it off). */
  doubleOptIn: z.boolean().default(true),
});
export type ConsentSettings = z.infer<typeof consentSettingsSchema>;

export async function loadConsentSettings(db: Pool, shopId: number): Promise<ConsentSettings> {
  const parsed = consentSettingsSchema.safeParse((await settingsDocument(db, shopId, SETTINGS_KEY))?.value ?? {});
  return parsed.success ? parsed.data : { doubleOptIn: true };
}

export async function saveConsentSettings(db: Pool, shopId: number, settings: ConsentSettings): Promise<void> {
  await upsertSettingsDocument(db, shopId, SETTINGS_KEY, JSON.stringify(settings));
}

/** The link's reference: the shop and the pending change it confirms, and a random part. */
const refOf = (shopId: number, logId: number) => `c${shopId}-${logId}-${newLinkRef()}`;
const REF = /^c(\d+)-(\d+)-[A-Za-z0-9_-]{22}$/;

/** Queues the confirmation email of a pending grant (one per address a day); true when one was queued now. */
export async function sendConfirmation(
  deps: DoubleOptInDeps,
  shopId: number,
  logId: number,
  address: string,
  now = new Date(),
): Promise<boolean> {
  const token = signLinkToken(
    { kind: 'confirm', ref: refOf(shopId, logId), expiresAt: Math.floor(now.getTime() / 1000) + CONFIRM_DAYS * 86_400 },
    deps.linkSecret,
  );
  const created = await queueConfirmationEmail(deps, shopId, {
    idempotencyKey: `consent-confirm:${shopId}:${address}:${now.toISOString().slice(0, 10)}`,
    to: address,
    subject: (shop) => `Please confirm: ${PURPOSE_WORDS.marketing} from ${shop}`,
    intro: (shop) => `You asked to get ${PURPOSE_WORDS.marketing} by email from ${shop}. Please confirm it is you:`,
    button: 'Confirm my subscription',
    outro: `If it was not you, ignore this email: you will get nothing more. The link works for ${CONFIRM_DAYS} days.`,
    link: `${deps.publicUrl()}/c/${token}`,
  });
  if (created) deps.kickSends?.();
  return created;
}

/** GET /c/:token shows what confirming does and one button; POST /c/:token records the grant (source double-opt-in). */
export function doubleOptInRoutes(deps: DoubleOptInDeps): Router {
  const router = Router();
  router.use('/c/:token', express.urlencoded({ extended: false, limit: '4kb' }));

  router.get('/c/:token', async (req, res) => {
    const pending = await pendingOf(deps, String(req.params.token));
    if (!pending.ok) return customerPage(res, pending.status, pending.title, pending.text);
    const words = PURPOSE_WORDS[pending.entry.purpose];
    customerPage(
      res,
      200,
      'Confirm your subscription',
      `Get ${words} by email from ${pending.shop} at ${pending.entry.address}?`,
      `<form method="post"><button type="submit" name="confirm" value="1">Yes, confirm</button></form>`,
    );
  });

  router.post('/c/:token', async (req: Request, res) => {
    const pending = await pendingOf(deps, String(req.params.token));
    if (!pending.ok) return customerPage(res, pending.status, pending.title, pending.text);
    const { entry } = pending;
    const secret = await shopSecret(deps.pool, entry.shopId);
    await recordConsent(
      deps.pool,
      {
        shopId: entry.shopId,
        purpose: entry.purpose,
        channel: entry.channel,
        address: entry.address,
        status: 'granted',
        source: 'double-opt-in',
        text: entry.text,
        userId: entry.userId,
        // The click's proof; the request's own proof stays on the pending entry it confirms.
        ipHash: secret && req.ip ? hashIp(secret, req.ip) : null,
        reason: `confirmed the request of ${entry.changedAt.toISOString()}`,
      },
      { doubleOptIn: false },
    );
    customerPage(res, 200, 'Thank you', `${entry.address} will get ${PURPOSE_WORDS[entry.purpose]} by email from ${pending.shop}.`);
  });
  return router;
}

type Pending =
  | { ok: true; entry: NonNullable<Awaited<ReturnType<typeof consentLogEntry>>>; shop: string }
  | { ok: false; status: number; title: string; text: string };

async function pendingOf(deps: DoubleOptInDeps, token: string): Promise<Pending> {
  const claims = verifyLinkToken(token, deps.linkSecret, Math.floor(Date.now() / 1000));
  if (!claims.ok && claims.reason === 'expired')
    return { ok: false, status: 410, title: 'This link has expired', text: 'Please ask for the subscription again at the shop.' };
  const match = claims.ok && claims.kind === 'confirm' ? REF.exec(claims.ref) : null;
  const entry = match ? await consentLogEntry(deps.pool, Number(match[1]), Number(match[2])) : null;
  if (!entry || entry.status !== 'pending')
    return {
      ok: false,
      status: 400,
      title: 'This link is not valid',
      text: 'Please use the link from the most recent confirmation email.',
    };
  return { ok: true, entry, shop: (await loadShopProfile(deps.pool, entry.shopId)).name };
}
