import { createHmac, randomInt } from 'node:crypto';
import { __, _n, sprintf } from '@wordpress/i18n';
import express, { Router, type Request, type Response } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { AdminRequest } from '../../http/admin-auth.ts';
import { validBody } from '../../http/json-body.ts';
import { toE164 } from '../../customers/phone.ts';
import type { MessageChannel } from '../../messages/message-channel.ts';
import { enqueueMessage } from '../../messages/outbox.ts';
import { browserLocale, inLocale } from '../../i18n/translations.ts';
import { customerPage } from '../../links/customer-page.ts';
import { pageLocale } from '../../links/page-language.ts';
import { escapeHtml } from '../../messages/html-escape.ts';
import { newLinkRef, signLinkToken, verifyLinkToken } from '../../links/link-token.ts';
import { queueConfirmationEmail } from '../../messages/confirmation-email.ts';
import { loadFormats, loadShopEmail, loadShopProfile } from '../../woo/shop-profile.ts';
import {
  addTestRecipient,
  isVerifiedTestRecipient,
  listTestRecipients,
  pendingTestRecipients,
  removeTestRecipient,
  setTestRecipientCode,
  testRecipient,
  tryTestRecipientCode,
  verifyTestRecipient,
  type StoredTestRecipient,
  type TestRecipientChannel,
} from './test-recipient-store.ts';
import { testSendsSince } from './preview-subject-store.ts';

/**
 * Where a test message may go. Through WordPress the plugin sends the manager's own email or
 * mobile only (its signed request is trusted for that: the plugin checks the address against the
 * signed-in user before it signs). With the admin token — the sidecar's own /admin, a shop run
 * without WordPress's admin — a test goes only to the shop's own sender address (WooCommerce's
 * "From" address, read from the shop, never typed here) or to an address the merchant added under
 * Test recipients and confirmed from that inbox: its link opens a page with a button, and only the
 * button's POST confirms (mail scanners fetch links, they never press buttons); or to a number
 * added there and confirmed by the 6-digit code texted to it (only with an SMS provider set up). So
 * the test send is no relay for any address with any text.
 */
export type TestRecipientDeps = {
  pool: Pool;
  linkSecret: string;
  publicUrl: () => string;
  from: string;
  shopFrom?: boolean;
  /** Which channels a provider serves: a number's code needs SMS. */
  channels: () => Record<MessageChannel, boolean>;
};

/** GET /api/test-recipients: the shop's own address (state `shop`, no id) and the added ones. */
export type TestRecipientView = {
  id: number | null;
  channel: TestRecipientChannel;
  address: string;
  state: 'shop' | 'pending' | 'verified';
};
export type TestRecipientList = { recipients: TestRecipientView[] };

const CONFIRM_DAYS = 3;
/** Added addresses waiting for their confirmation at once: adding sends an email, so it is no way to mail many people. */
export const MAX_PENDING_TEST_RECIPIENTS = 5;
/** Confirmation emails and code texts per shop a day: removing and adding again is no way round the pending limit. */
export const CONFIRMATIONS_PER_DAY = 20;
const CONFIRMATION_KEY_PREFIX = 'test-recipient:';
const CODE_MINUTES = 10;
const CODE_TRIES = 5;
const DAY_MS = 86_400_000;

/** The link's reference: the shop, the row it confirms, and a random part (kept apart from consent's `c…` references). */
const refOf = (shopId: number, id: number) => `t${shopId}-${id}-${newLinkRef()}`;
const REF = /^t(\d+)-(\d+)-[A-Za-z0-9_-]{22}$/;

/** Refuses a test to an address not verified for the shop, unless the plugin (signed) vouches the manager's own. */
export async function checkTestRecipient(pool: Pool, req: AdminRequest, channel: 'email' | 'sms' | 'whatsapp', to: string): Promise<void> {
  if (req.auth === 'plugin') return;
  const shopId = req.shopId!;
  if (channel === 'email' && (await isShopAddress(pool, shopId, to))) return;
  if (await isVerifiedTestRecipient(pool, shopId, channel === 'email' ? to.toLowerCase() : to)) return;
  throw new AppError(
    'unverified_recipient',
    channel === 'email'
      ? __('Add and confirm this address under Test recipients first.', 'comeback')
      : __('Add and confirm this number under Test recipients first.', 'comeback'),
    403,
  );
}

async function shopAddress(pool: Pool, shopId: number): Promise<string | null> {
  return (await loadShopEmail(pool, shopId))?.fromAddress?.toLowerCase() ?? null;
}

async function isShopAddress(pool: Pool, shopId: number, to: string): Promise<boolean> {
  const own = await shopAddress(pool, shopId);
  return own !== null && own === to.toLowerCase();
}

/** GET/POST /api/test-recipients and POST /api/test-recipients/:id/remove. */
export function testRecipientRoutes(deps: TestRecipientDeps): Router {
  const router = Router();
  router.get('/test-recipients', async (req: AdminRequest, res) => {
    res.json(await listOf(deps.pool, req.shopId!));
  });
  router.post('/test-recipients', async (req: AdminRequest, res) => {
    const { address: typed } = validBody(req, z.object({ address: z.string().trim().min(3).max(254) }));
    const shopId = req.shopId!;
    const [channel, address] = recipientAddress(typed);
    if (channel === 'email' && (await isShopAddress(deps.pool, shopId, address))) return void res.json(await listOf(deps.pool, shopId));
    if (channel === 'phone' && !deps.channels().sms)
      throw new AppError(
        'sms_not_configured',
        __(
          'A number is confirmed by a code texted to it, and SMS is not set up yet: connect an SMS provider, or send test texts from WordPress to your own mobile.',
          'comeback',
        ),
        409,
      );
    await withinDailyConfirmations(deps.pool, shopId);
    const existing = (await listTestRecipients(deps.pool, shopId)).find((r) => r.address === address);
    if (!existing && (await pendingTestRecipients(deps.pool, shopId)) >= MAX_PENDING_TEST_RECIPIENTS)
      throw new AppError(
        'too_many_pending',
        // translators: %d: how many addresses may wait for their confirmation at once.
        sprintf(
          __('%d addresses are waiting for their confirmation: confirm or remove one first.', 'comeback'),
          MAX_PENDING_TEST_RECIPIENTS,
        ),
        409,
      );
    const row = existing ?? (await addTestRecipient(deps.pool, shopId, channel, address));
    if (!row.verifiedAt) await (channel === 'email' ? sendConfirmation(deps, shopId, row.id, row.address) : sendCode(deps, shopId, row));
    res.status(existing ? 200 : 201).json(await listOf(deps.pool, shopId));
  });
  router.post('/test-recipients/:id/verify', async (req: AdminRequest, res) => {
    const { code } = validBody(
      req,
      z.object({
        code: z
          .string()
          .trim()
          .regex(/^\d{6}$/, { error: () => __('the 6 digits of the text', 'comeback') }),
      }),
    );
    const row = await testRecipient(deps.pool, req.shopId!, Number(req.params.id) || 0);
    if (!row || row.channel !== 'phone') throw AppError.notFound(__('There is no such number under Test recipients.', 'comeback'));
    if (!row.verifiedAt) {
      const outcome = await tryTestRecipientCode(deps.pool, req.shopId!, row.id, codeHash(deps, row.id, code), new Date(), CODE_TRIES);
      if (outcome === 'wrong')
        throw new AppError('wrong_code', __('That is not the code texted to this number: check the newest text.', 'comeback'), 422);
      if (outcome === 'expired')
        throw new AppError(
          'code_expired',
          __('This code has expired or was tried too often: add the number again for a new one.', 'comeback'),
          422,
        );
    }
    res.json(await listOf(deps.pool, req.shopId!));
  });
  router.post('/test-recipients/:id/remove', async (req: AdminRequest, res) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id <= 0 || !(await removeTestRecipient(deps.pool, req.shopId!, id)))
      throw AppError.notFound(__('There is no such test recipient.', 'comeback'));
    res.json(await listOf(deps.pool, req.shopId!));
  });
  return router;
}

async function listOf(pool: Pool, shopId: number): Promise<TestRecipientList> {
  const own = await shopAddress(pool, shopId);
  const added = (await listTestRecipients(pool, shopId)).filter((r) => r.address !== own);
  return {
    recipients: [
      ...(own ? [{ id: null, channel: 'email' as const, address: own, state: 'shop' as const }] : []),
      ...added.map((r) => ({
        id: r.id,
        channel: r.channel,
        address: r.address,
        state: r.verifiedAt ? ('verified' as const) : ('pending' as const),
      })),
    ],
  };
}

/** Refuses (429) once the shop sent its day's confirmations; a slot frees when the oldest turns a day old. */
async function withinDailyConfirmations(pool: Pool, shopId: number, now = Date.now()): Promise<void> {
  const { count, oldest } = await testSendsSince(pool, shopId, new Date(now - DAY_MS), CONFIRMATION_KEY_PREFIX);
  if (count < CONFIRMATIONS_PER_DAY) return;
  throw AppError.tooManyRequests(
    'too_many_confirmations',
    // translators: 1: how many confirmations were sent in the last day, 2: the most a day allows.
    sprintf(__('%1$d confirmations were sent in the last day (at most %2$d): try again later.', 'comeback'), count, CONFIRMATIONS_PER_DAY),
    Math.max(1, Math.ceil(((oldest?.getTime() ?? now) + DAY_MS - now) / 1000)),
  );
}

/** An email (lower-cased) or a phone number (E.164) as typed; anything else refused in plain words. */
function recipientAddress(typed: string): [TestRecipientChannel, string] {
  if (typed.includes('@')) {
    if (!z.email().max(254).safeParse(typed).success)
      throw AppError.badRequest('invalid_body', __('That is not one email address.', 'comeback'), [
        { field: 'address', message: __('an email address', 'comeback') },
      ]);
    return ['email', typed.toLowerCase()];
  }
  const phone = toE164(typed);
  if (!phone)
    throw AppError.badRequest('invalid_body', __('Give an email address, or a phone number with its country code.', 'comeback'), [
      { field: 'address', message: __('an email address, or a number such as +48 500 000 001', 'comeback') },
    ]);
  return ['phone', phone];
}

const codeHash = (deps: Pick<TestRecipientDeps, 'linkSecret'>, id: number, code: string) =>
  createHmac('sha256', deps.linkSecret).update(`test-recipient:${id}:${code}`).digest('hex');

/** Texts a new 6-digit code to the number, unless the one sent is still good (one text per number per code's life). */
async function sendCode(deps: TestRecipientDeps, shopId: number, row: StoredTestRecipient, now = new Date()): Promise<void> {
  if (row.codeExpiresAt && row.codeExpiresAt > now) return;
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await setTestRecipientCode(deps.pool, shopId, row.id, codeHash(deps, row.id, code), new Date(now.getTime() + CODE_MINUTES * 60_000));
  const { name, formats } = await loadShopProfile(deps.pool, shopId);
  // In the shop's language, as the confirmation email.
  const text = inLocale(pageLocale(formats.locale), () =>
    sprintf(
      // translators: 1: the six-digit code, 2: the shop's name, 3: how many minutes the code works.
      _n(
        "%1$s is your code to receive %2$s's test messages. It works for %3$d minute.",
        "%1$s is your code to receive %2$s's test messages. It works for %3$d minutes.",
        CODE_MINUTES,
        'comeback',
      ),
      code,
      name,
      CODE_MINUTES,
    ),
  );
  await enqueueMessage(deps.pool, {
    idempotencyKey: `${CONFIRMATION_KEY_PREFIX}${shopId}:${row.id}:${now.getTime()}`,
    shopId,
    channel: 'sms',
    to: row.address,
    from: deps.from,
    subject: '',
    html: '',
    text,
  });
}

/**
 * The confirmation email: one per address a day (its outbox key), a service message needing no
 * consent, in the shop's language (whoever manages the shop reads its admin in it).
 */
async function sendConfirmation(deps: TestRecipientDeps, shopId: number, id: number, address: string, now = new Date()): Promise<void> {
  const token = signLinkToken(
    { kind: 'confirm', ref: refOf(shopId, id), expiresAt: Math.floor(now.getTime() / 1000) + CONFIRM_DAYS * 86_400 },
    deps.linkSecret,
  );
  await inLocale(pageLocale((await loadFormats(deps.pool, shopId))?.locale), () =>
    queueConfirmationEmail(deps, shopId, {
      idempotencyKey: `${CONFIRMATION_KEY_PREFIX}${shopId}:${id}:${now.toISOString().slice(0, 10)}`,
      to: address,
      // translators: %s: the shop's name.
      subject: (shop) => sprintf(__('Confirm test messages from %s', 'comeback'), shop),
      intro: (shop) =>
        // translators: %s: the shop's name.
        sprintf(__('Someone managing %s asked to send its test messages to this address. If it was you, confirm it:', 'comeback'), shop),
      button: __('Confirm this address', 'comeback'),
      outro: sprintf(
        // translators: %d: how many days the link works.
        _n(
          'If it was not you, ignore this email: nothing will be sent here. The link works for %d day.',
          'If it was not you, ignore this email: nothing will be sent here. The link works for %d days.',
          CONFIRM_DAYS,
          'comeback',
        ),
        CONFIRM_DAYS,
      ),
      link: `${deps.publicUrl()}/t/${token}`,
    }),
  );
}

/**
 * GET /t/:token says what confirming does and shows one button; POST /t/:token confirms. The page
 * speaks the browser's language, else the shop's.
 */
export function testRecipientConfirmRoutes(deps: Pick<TestRecipientDeps, 'pool' | 'linkSecret'>): Router {
  const router = Router();
  router.use('/t/:token', express.urlencoded({ extended: false, limit: '4kb' }));
  router.get('/t/:token', async (req, res) => {
    const found = await recipientOf(deps, req);
    inLocale(found.locale, () =>
      found.ok
        ? customerPage(
            res,
            200,
            __('Confirm test messages', 'comeback'),
            // translators: 1: the shop's name, 2: the email address.
            sprintf(__('Let %1$s send its test messages to %2$s?', 'comeback'), found.shop, found.address),
            `<form method="post"><button type="submit" name="confirm" value="1">${escapeHtml(__('Yes, confirm', 'comeback'))}</button></form>`,
          )
        : refusal(res, found.expired),
    );
  });
  router.post('/t/:token', async (req, res) => {
    const found = await recipientOf(deps, req);
    const verified = found.ok && (await verifyTestRecipient(deps.pool, found.shopId, found.id, new Date()));
    inLocale(found.locale, () =>
      found.ok && verified
        ? customerPage(
            res,
            200,
            __('Confirmed', 'comeback'),
            // translators: 1: the shop's name, 2: the email address.
            sprintf(__('%1$s can now send its test messages to %2$s.', 'comeback'), found.shop, found.address),
          )
        : found.ok
          ? customerPage(
              res,
              400,
              __('This link is not valid', 'comeback'),
              __('The address was removed; add it again under Test recipients.', 'comeback'),
            )
          : refusal(res, found.expired),
    );
  });
  return router;
}

function refusal(res: Response, expired: boolean): void {
  if (expired)
    customerPage(res, 410, __('This link has expired', 'comeback'), __('Add the address again under Test recipients.', 'comeback'));
  else
    customerPage(res, 400, __('This link is not valid', 'comeback'), __('Use the link of the most recent confirmation email.', 'comeback'));
}

type Found = ({ ok: true; shopId: number; id: number; address: string; shop: string } | { ok: false; expired: boolean }) & {
  locale: string;
};

async function recipientOf(deps: Pick<TestRecipientDeps, 'pool' | 'linkSecret'>, req: Request): Promise<Found> {
  const claims = verifyLinkToken(String(req.params.token), deps.linkSecret, Math.floor(Date.now() / 1000));
  const browser = browserLocale(req);
  if (!claims.ok && claims.reason === 'expired') return { ok: false, expired: true, locale: pageLocale(browser) };
  const match = claims.ok && claims.kind === 'confirm' ? REF.exec(claims.ref) : null;
  const row = match ? await testRecipient(deps.pool, Number(match[1]), Number(match[2])) : null;
  if (!match || !row) return { ok: false, expired: false, locale: pageLocale(browser) };
  const shopId = Number(match[1]);
  const profile = await loadShopProfile(deps.pool, shopId);
  return { ok: true, shopId, id: row.id, address: row.address, shop: profile.name, locale: pageLocale(browser, profile.formats.locale) };
}
