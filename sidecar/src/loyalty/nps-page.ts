import { __, sprintf } from '@wordpress/i18n';
import express, { Router, type Request, type Response } from 'express';
import type { Pool } from 'mysql2/promise';
import { browserLocale, inLocale } from '../i18n/translations.ts';
import { customerPage } from '../links/customer-page.ts';
import { messageByLinkRef } from '../links/link-store.ts';
import { messagePageLocale, pageLocale } from '../links/page-language.ts';
import { answeredPreviewLink } from '../links/preview-link-page.ts';
import { signLinkToken, verifyLinkToken } from '../links/link-token.ts';
import { escapeHtml } from '../messages/html-escape.ts';
import { npsAnswerTo, saveNpsAnswer, type NpsAnswer } from './nps-store.ts';

export const MAX_NPS_COMMENT = 2_000;
const SCORE = /^(?:[0-9]|10)$/;
const DAY_S = 86_400;

/** The survey link of one message: `${publicUrl}/nps/<token>` for the message's link ref, valid `ttlDays`. */
export function npsLink(publicUrl: string, secret: string, ref: string, now: Date, ttlDays: number): string {
  const token = signLinkToken({ kind: 'nps', ref, expiresAt: Math.floor(now.getTime() / 1000) + Math.round(ttlDays * DAY_S) }, secret);
  return `${publicUrl.replace(/\/+$/, '')}/nps/${token}`;
}

type Survey = {
  outboxId: number;
  shopId: number;
  enrollmentId: number | null;
  customerKey: string | null;
  shopName: string;
  answer: NpsAnswer | null;
  /** The page's language: the message's, else the shop's. */
  locale: string;
};
type Deps = { pool: Pool; secret: string; clock?: () => Date };

/**
 * The customer's NPS survey. GET /nps/:token shows the question (0–10) and a comment box, with
 * their earlier answer filled in; POST /nps/:token (the form) stores the answer, one per message:
 * answering again changes it. Bad, expired or unknown links get a page a person can read. The
 * page speaks the message's language (a bad or expired link: the browser's).
 */
export function npsRoutes(deps: Deps): Router {
  const router = Router();
  // A 2,000-character comment percent-encoded is at most ~18 kB.
  router.use('/nps/:token', express.urlencoded({ extended: false, limit: '32kb' }));

  router.get('/nps/:token', async (req, res) => {
    const survey = await surveyFor(deps, req, res);
    if (survey)
      inLocale(survey.locale, () =>
        surveyForm(res, 200, survey, { score: survey.answer?.score.toString() ?? '', comment: survey.answer?.comment ?? '' }),
      );
  });

  router.post('/nps/:token', async (req, res) => {
    const survey = await surveyFor(deps, req, res);
    if (survey) await inLocale(survey.locale, () => answer(deps, req, res, survey));
  });
  return router;
}

/** Stores the form's answer, or shows the form again with what to fix. */
async function answer(deps: Deps, req: Request, res: Response, survey: Survey): Promise<void> {
  const score = typeof req.body?.score === 'string' ? req.body.score : '';
  // Browsers send line breaks as CRLF but count them as one character against maxlength.
  const comment = typeof req.body?.comment === 'string' ? req.body.comment.replace(/\r\n?/g, '\n').trim() : '';
  if (!SCORE.test(score))
    return surveyForm(res, 400, survey, { score: '', comment }, __('Please choose a score from 0 to 10.', 'comeback'));
  if (comment.length > MAX_NPS_COMMENT)
    return surveyForm(
      res,
      400,
      survey,
      { score, comment },
      sprintf(
        // translators: 1: the longest comment in characters, 2: how many characters the comment has.
        __('Please keep your comment under %1$d characters (it has %2$d).', 'comeback'),
        MAX_NPS_COMMENT,
        comment.length,
      ),
    );
  if (survey.enrollmentId === null) {
    // A "send a test to me" message: the merchant's own answer must not count in their score.
    return customerPage(
      res,
      200,
      __('This survey is from a test message', 'comeback'),
      __('In a real survey the answer would now be saved. Nothing was stored.', 'comeback'),
    );
  }
  await saveNpsAnswer(deps.pool, {
    shopId: survey.shopId,
    outboxId: survey.outboxId,
    enrollmentId: survey.enrollmentId,
    customerKey: survey.customerKey,
    score: Number(score),
    comment: comment || null,
    answeredAt: now(deps),
  });
  customerPage(
    res,
    200,
    __('Thank you!', 'comeback'),
    // translators: %s: the shop's name.
    sprintf(__('Your answer has reached %s. Changed your mind? Open the link again to change it.', 'comeback'), survey.shopName),
  );
}

const now = (deps: Deps) => deps.clock?.() ?? new Date();

/** The message the link belongs to, or null with the page that says why already sent. */
async function surveyFor(deps: Deps, req: Request, res: Response): Promise<Survey | null> {
  const claims = verifyLinkToken(String(req.params.token), deps.secret, Math.floor(now(deps).getTime() / 1000));
  if (!claims.ok || claims.kind !== 'nps') {
    const expired = !claims.ok && claims.reason === 'expired';
    inLocale(pageLocale(browserLocale(req)), () =>
      expired
        ? customerPage(
            res,
            410,
            __('This survey has closed', 'comeback'),
            __('Survey links stay open for a limited time. Thank you for wanting to tell us what you think.', 'comeback'),
          )
        : customerPage(
            res,
            400,
            __('This link is not valid', 'comeback'),
            __('The link may have been cut off when it was copied. Please use the link from the message.', 'comeback'),
          ),
    );
    return null;
  }
  const message = await messageByLinkRef(deps.pool, claims.ref);
  // An editor's preview: no message was sent, so there is no survey to answer.
  if (!message && (await answeredPreviewLink(deps.pool, req, res, claims))) return null;
  if (!message) {
    inLocale(pageLocale(browserLocale(req)), () =>
      customerPage(
        res,
        404,
        __('We could not find this survey', 'comeback'),
        __('It may have been withdrawn. Thank you for wanting to tell us what you think.', 'comeback'),
      ),
    );
    return null;
  }
  const { outboxId, shopId, enrollmentId, customerKey, shopName } = message;
  const locale = messagePageLocale(message, req);
  return { outboxId, shopId, enrollmentId, customerKey, shopName, locale, answer: await npsAnswerTo(deps.pool, outboxId) };
}

/** The question as a group of 11 labelled radios, the optional comment, and the error (if any) announced. */
function surveyForm(res: Response, status: number, survey: Survey, values: { score: string; comment: string }, error?: string): void {
  const radios = Array.from(
    { length: 11 },
    (_, n) =>
      `<label style="white-space:nowrap"><input type="radio" name="score" value="${n}" required${values.score === String(n) ? ' checked' : ''}> ${n}</label>`,
  ).join('\n');
  const alert = error ? `<p id="nps-error" role="alert" style="color:#b32d2e;font-weight:600">${escapeHtml(error)}</p>` : '';
  const described = error ? 'nps-error nps-scale' : 'nps-scale';
  // translators: %s: the shop's name.
  const question = escapeHtml(sprintf(__('How likely are you to recommend %s to a friend?', 'comeback'), survey.shopName));
  customerPage(
    res,
    status,
    // translators: %s: the shop's name.
    sprintf(__('A quick question from %s', 'comeback'), survey.shopName),
    __('It takes a few seconds, and it helps the shop do better.', 'comeback'),
    `<form method="post">${alert}
<fieldset aria-describedby="${described}" style="border:0;padding:0;margin:0 0 1rem"><legend style="font-weight:600">${question}</legend>
<p id="nps-scale" style="margin:.25rem 0">${escapeHtml(__('0 = not at all likely, 10 = extremely likely', 'comeback'))}</p>
<div style="display:flex;flex-wrap:wrap;gap:.5rem 1rem">${radios}</div></fieldset>
<p><label for="nps-comment">${escapeHtml(__('What is the main reason for your score? (optional)', 'comeback'))}</label><br>
<textarea id="nps-comment" name="comment" rows="5" maxlength="${MAX_NPS_COMMENT}" style="width:100%;font:inherit">${escapeHtml(values.comment)}</textarea></p>
<button type="submit">${escapeHtml(__('Send my answer', 'comeback'))}</button></form>`,
  );
}
