import { __, _n, sprintf } from '@wordpress/i18n';
import express, { Router, type Request, type Response } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { browserLocale, inLocale } from '../i18n/translations.ts';
import { customerPage } from '../links/customer-page.ts';
import { escapeHtml } from '../messages/html-escape.ts';
import { pageLocale } from '../links/page-language.ts';
import { newLinkRef, signLinkToken, verifyLinkToken } from '../links/link-token.ts';
import { queueConfirmationEmail } from '../messages/confirmation-email.ts';
import { loadFormats, loadShopProfile } from '../woo/shop-profile.ts';
import { settingsDocument, upsertSettingsDocument } from '../woo/settings-store.ts';
import { shopSecret } from '../woo/shop-store.ts';
import { hashIp, recordConsent, type Purpose } from './consent.ts';
import { consentLogEntry } from './consent-store.ts';

/**
 * Email double opt-in: a marketing email grant from checkout, My Account or an admin is pending
 * until the customer clicks the signed link of a confirmation email and presses the page's button
 * (a POST: mail scanners fetch links, they never confirm). The confirmation is a service message:
 * it needs no consent, and goes at most once per address a day (its outbox key). The email and
 * the page speak the language the customer asked in (the capture's locale, carried in the signed
 * link), else the page the browser's, else the shop's.
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

/**
 * The link's reference: the shop and the pending change it confirms, the language the customer
 * asked in (when known and short enough), and a random part.
 */
function refOf(shopId: number, logId: number, locale: string | null): string {
  const ref = `c${shopId}-${logId}-${locale ? `${locale}-` : ''}${newLinkRef()}`;
  return ref.length <= 64 ? ref : refOf(shopId, logId, null);
}
const REF = /^c(\d+)-(\d+)-(?:([a-z]{2,3}(?:_[A-Z]{2})?(?:_[a-z0-9]+)?)-)?[A-Za-z0-9_-]{22}$/;

/**
 * Queues the confirmation email of a pending grant (one per address a day), in the language the
 * customer asked in (`locale`, a WordPress locale), else the shop's; true when one was queued now.
 */
export async function sendConfirmation(
  deps: DoubleOptInDeps,
  shopId: number,
  logId: number,
  address: string,
  now = new Date(),
  locale: string | null = null,
): Promise<boolean> {
  const token = signLinkToken(
    { kind: 'confirm', ref: refOf(shopId, logId, locale), expiresAt: Math.floor(now.getTime() / 1000) + CONFIRM_DAYS * 86_400 },
    deps.linkSecret,
  );
  const language = pageLocale(locale, (await loadFormats(deps.pool, shopId))?.locale);
  const created = await inLocale(language, () =>
    queueConfirmationEmail(deps, shopId, {
      idempotencyKey: `consent-confirm:${shopId}:${address}:${now.toISOString().slice(0, 10)}`,
      to: address,
      // translators: %s: the shop's name.
      subject: (shop) => sprintf(__('Please confirm: offers and news from %s', 'comeback'), shop),
      // translators: %s: the shop's name.
      intro: (shop) => sprintf(__('You asked to get offers and news by email from %s. Please confirm it is you:', 'comeback'), shop),
      button: __('Confirm my subscription', 'comeback'),
      outro: sprintf(
        // translators: %d: how many days the link works.
        _n(
          'If it was not you, ignore this email: you will get nothing more. The link works for %d day.',
          'If it was not you, ignore this email: you will get nothing more. The link works for %d days.',
          CONFIRM_DAYS,
          'comeback',
        ),
        CONFIRM_DAYS,
      ),
      link: `${deps.publicUrl()}/c/${token}`,
    }),
  );
  if (created) deps.kickSends?.();
  return created;
}

/** GET /c/:token shows what confirming does and one button; POST /c/:token records the grant (source double-opt-in). */
export function doubleOptInRoutes(deps: DoubleOptInDeps): Router {
  const router = Router();
  router.use('/c/:token', express.urlencoded({ extended: false, limit: '4kb' }));

  router.get('/c/:token', async (req, res) => {
    const pending = await pendingOf(deps, req);
    if (!pending.ok) return refusal(res, pending);
    const { entry } = pending;
    inLocale(pending.locale, () =>
      customerPage(
        res,
        200,
        __('Confirm your subscription', 'comeback'),
        askWords(entry.purpose, pending.shop, entry.address),
        `<form method="post"><button type="submit" name="confirm" value="1">${escapeHtml(__('Yes, confirm', 'comeback'))}</button></form>`,
      ),
    );
  });

  router.post('/c/:token', async (req: Request, res) => {
    const pending = await pendingOf(deps, req);
    if (!pending.ok) return refusal(res, pending);
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
    inLocale(pending.locale, () =>
      customerPage(res, 200, __('Thank you', 'comeback'), doneWords(entry.purpose, pending.shop, entry.address)),
    );
  });
  return router;
}

// Whole sentences per purpose, so each language words them in its own grammar (only marketing
// email waits for a confirmation today; the others are worded for when they do).

function askWords(purpose: Purpose, shop: string, address: string): string {
  // translators: 1: the shop's name, 2: the customer's email address.
  const marketing = () => __('Get offers and news by email from %1$s at %2$s?', 'comeback');
  // translators: 1: the shop's name, 2: the customer's email address.
  const cart = () => __('Get cart reminders by email from %1$s at %2$s?', 'comeback');
  // translators: 1: the shop's name, 2: the customer's email address.
  const order = () => __('Get messages about your orders by email from %1$s at %2$s?', 'comeback');
  return sprintf({ marketing, cart, order }[purpose](), shop, address);
}

function doneWords(purpose: Purpose, shop: string, address: string): string {
  // translators: 1: the customer's email address, 2: the shop's name.
  const marketing = () => __('%1$s will get offers and news by email from %2$s.', 'comeback');
  // translators: 1: the customer's email address, 2: the shop's name.
  const cart = () => __('%1$s will get cart reminders by email from %2$s.', 'comeback');
  // translators: 1: the customer's email address, 2: the shop's name.
  const order = () => __('%1$s will get messages about orders by email from %2$s.', 'comeback');
  return sprintf({ marketing, cart, order }[purpose](), address, shop);
}

type Pending =
  | { ok: true; entry: NonNullable<Awaited<ReturnType<typeof consentLogEntry>>>; shop: string; locale: string }
  | { ok: false; expired: boolean; locale: string };

function refusal(res: Response, pending: { expired: boolean; locale: string }): void {
  inLocale(pending.locale, () =>
    pending.expired
      ? customerPage(
          res,
          410,
          __('This link has expired', 'comeback'),
          __('Please ask for the subscription again at the shop.', 'comeback'),
        )
      : customerPage(
          res,
          400,
          __('This link is not valid', 'comeback'),
          __('Please use the link from the most recent confirmation email.', 'comeback'),
        ),
  );
}

/** The pending change the link confirms, and the page's language: the capture's, else the browser's, else the shop's. */
async function pendingOf(deps: DoubleOptInDeps, req: Request): Promise<Pending> {
  const claims = verifyLinkToken(String(req.params.token), deps.linkSecret, Math.floor(Date.now() / 1000));
  const browser = browserLocale(req);
  if (!claims.ok && claims.reason === 'expired') return { ok: false, expired: true, locale: pageLocale(browser) };
  const match = claims.ok && claims.kind === 'confirm' ? REF.exec(claims.ref) : null;
  const entry = match ? await consentLogEntry(deps.pool, Number(match[1]), Number(match[2])) : null;
  if (!entry || entry.status !== 'pending') return { ok: false, expired: false, locale: pageLocale(browser) };
  const profile = await loadShopProfile(deps.pool, entry.shopId);
  return { ok: true, entry, shop: profile.name, locale: pageLocale(match![3], browser, profile.formats.locale) };
}
