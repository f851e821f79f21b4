import { __, _n, sprintf } from '@wordpress/i18n';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors.ts';
import { requestLanguage } from './request-language.ts';

/**
 * Rate limits of the HTTP edge, counted in this process (rate-limiter-flexible's memory store).
 * With N sidecars behind one address a caller may get up to N times a limit: these limits stop
 * floods and guessing, and cost nothing on the database. What must hold across sidecars is counted
 * in MySQL where it is spent: test sends per shop and hour, SMS and WhatsApp per shop and day.
 */
export type RateLimit = {
  /** Counts one request for `key`; over the limit it throws a 429 naming `what`, with Retry-After. */
  take(key: string): Promise<void>;
  /** Throws the 429 when `key` is already over the limit, counting nothing (for limits on failures). */
  check(key: string): Promise<void>;
};

export type RateLimitRule = {
  /** Requests allowed per window. */
  points: number;
  windowS: number;
  /** The error code, e.g. `too_many_sign_in_failures`. */
  code: string;
  /** What was limited, for the refusal, in the request's language: "failed sign-ins from this address". */
  what: () => string;
};

export function rateLimit(rule: RateLimitRule): RateLimit {
  const limiter = new RateLimiterMemory({ points: rule.points, duration: rule.windowS });
  const refuse = (msBeforeNext: number): never => {
    const retryAfterS = Math.max(1, Math.ceil(msBeforeNext / 1000));
    throw AppError.tooManyRequests(
      rule.code,
      sprintf(
        // translators: 1: what was limited (e.g. "failed sign-ins from this address"), 2: how many are allowed, 3: in how long (e.g. "10 minutes"), 4: seconds to wait.
        __('too many %1$s: at most %2$d in %3$s; try again in %4$d s', 'comeback'),
        rule.what(),
        rule.points,
        windowText(rule.windowS),
        retryAfterS,
      ),
      retryAfterS,
    );
  };
  return {
    async take(key) {
      try {
        await limiter.consume(key);
      } catch (result) {
        if (result instanceof RateLimiterRes) refuse(result.msBeforeNext);
        throw result;
      }
    },
    async check(key) {
      const result = await limiter.get(key);
      if (result && result.consumedPoints >= rule.points) refuse(result.msBeforeNext);
    },
  };
}

/** Express middleware counting each request by `keyOf(req)` against `limit` (the client's address by default). */
export function limitRequests(limit: RateLimit, keyOf: (req: Request) => string = clientAddress) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    await limit.take(keyOf(req));
    next();
  };
}

/** The client's address as express sees it (the proxy's X-Forwarded-For only from loopback: `trust proxy`). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** A limit's window in words ("10 minutes"), for "at most 20 in 10 minutes". */
function windowText(seconds: number): string {
  const [hours, minutes] = [seconds / 3600, seconds / 60];
  // translators: a rate limit's window, as in "at most 600 in 1 hour".
  if (Number.isInteger(hours)) return sprintf(_n('%d hour', '%d hours', hours, 'comeback'), hours);
  // translators: a rate limit's window, as in "at most 20 in 10 minutes".
  if (Number.isInteger(minutes)) return sprintf(_n('%d minute', '%d minutes', minutes, 'comeback'), minutes);
  // translators: a rate limit's window, as in "at most 5 in 30 seconds".
  return sprintf(_n('%d second', '%d seconds', seconds, 'comeback'), seconds);
}

/**
 * The limits of each route family; one place to read them (README, "Security"). Each `what`
 * completes "too many …" (translators: keep it a phrase that does).
 */
export const EDGE_LIMITS = {
  /** Failed admin authentications (wrong token, bad signature) per client address. */
  signInFailures: {
    points: 20,
    windowS: 600,
    code: 'too_many_sign_in_failures',
    what: () => __('failed sign-ins from this address', 'comeback'),
  },
  /** Test sends per shop, besides the hourly count kept in the database. */
  testSends: { points: 5, windowS: 60, code: 'too_many_tests', what: () => __('test messages from this shop', 'comeback') },
  /** Cart captures per shop and shopper address (email or phone), and per shop. */
  cartCapturesPerAddress: {
    points: 30,
    windowS: 600,
    code: 'too_many_captures',
    what: () => __('cart captures for this email or phone', 'comeback'),
  },
  cartCapturesPerShop: { points: 600, windowS: 60, code: 'too_many_captures', what: () => __('cart captures for this shop', 'comeback') },
  /** Loyalty events per shop events key. */
  loyaltyEvents: { points: 600, windowS: 60, code: 'too_many_events', what: () => __('loyalty events for this key', 'comeback') },
  /** Customer link pages (/r, /u, /nps, /t: a test recipient's confirmation) per client address. */
  linkPages: { points: 120, windowS: 60, code: 'too_many_requests', what: () => __('link requests from this address', 'comeback') },
} as const satisfies Record<string, RateLimitRule>;

/** The customer link pages a client address may open (one count across /r, /u, /nps and /t), ahead of their routes. */
export function linkPageLimits(): Router {
  const router = Router();
  // A refusal in the customer's language, as the pages themselves are.
  router.use(['/r/', '/u/', '/nps/', '/t/'], requestLanguage(), limitRequests(rateLimit(EDGE_LIMITS.linkPages)));
  return router;
}
