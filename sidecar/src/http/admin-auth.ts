import { __, sprintf } from '@wordpress/i18n';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Pool } from 'mysql2/promise';
import { AppError } from '../errors.ts';
import { storedEventsKey } from '../loyalty/events-key.ts';
import { pluginSecrets, shopSecretCache, type SecretKind } from '../woo/shop-secrets.ts';
import { shopSecretByUrl } from '../woo/shop-store.ts';
import { shopState } from '../woo/shop-state-store.ts';
import { clientAddress, EDGE_LIMITS, rateLimit, type RateLimit } from './rate-limits.ts';
import type { ReplayCache } from './signature-replays.ts';
import { normaliseShopUrl } from '../woo/webhook-route.ts';

const WINDOW_S = 300;

/** Which way a signed request goes: a signature made for one direction is refused in the other. */
export type SignedDirection = 'plugin-to-sidecar' | 'sidecar-to-plugin' | 'program-to-sidecar';

/**
 * Requests between the plugin and the sidecar, both ways: `t=<unix>,n=<nonce>,v1=<hex
 * HMAC-SHA256(secret, "<direction>\n<METHOD>\n<path>\n<t>:<nonce>\n<raw body>")>`. Direction,
 * method and path are signed so a captured signature is good for nothing but its own request
 * (within its five minutes): the sidecar's GET to the plugin cannot be replayed against the
 * sidecar's own API. The nonce (16 hex digits, random) makes two identical requests in one second
 * sign differently, so the sidecar can spend each signature once (a replay is refused); without
 * `n=` the line is `<t>` alone, as plugins before it sign (and as the sidecar signs to the plugin,
 * whose check takes no nonce).
 */
export function signRequest(
  secret: string,
  request: { direction: SignedDirection; method: string; path: string; body: string },
  t = Math.floor(Date.now() / 1000),
  nonce: string | null = request.direction === 'sidecar-to-plugin' ? null : randomBytes(8).toString('hex'),
): string {
  const time = nonce === null ? String(t) : `${t}:${nonce}`;
  const message = [request.direction, request.method.toUpperCase(), request.path, time, request.body].join('\n');
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8')).update(message, 'utf8').digest('hex');
  return nonce === null ? `t=${t},v1=${mac}` : `t=${t},n=${nonce},v1=${mac}`;
}

export type AdminRequest = Request & {
  shopId?: number;
  rawBody?: Buffer;
  auth?: 'token' | 'plugin' | 'events';
  /** For the plugin's requests: the shop's current secret signed it, or the new one of a rotation waiting for its confirmation. */
  signedWith?: SecretKind;
};

/** The one path a loyalty program's events key opens. */
export const EVENTS_PATH = '/api/events';

/** How much body is read: a signed request's only for a shop whose secret exists, and less of it. */
export const BODY_LIMITS = { token: { bytes: 1024 * 1024, label: '1 MB' }, signed: { bytes: 256 * 1024, label: '256 KB' } } as const;

export type AdminAuthDeps = {
  pool: Pool;
  adminToken: string | undefined;
  clock?: () => Date;
  /** Failed authentications per client address (a 429 once over). */
  signInFailures?: RateLimit;
  /** Signatures already used, so a captured request cannot be sent again. */
  replays?: ReplayCache;
};

/**
 * Every /api request is either signed by the shop's plugin (X-Comeback-Shop names the shop,
 * X-Comeback-Signature signs timestamp and body, five-minute window) or carries the admin token
 * (Bearer) plus the shop's id; or it is a loyalty program's POST /api/events, signed the same way
 * with the shop's events key (X-Comeback-Events-Signature, X-Comeback-Shop-Id), which opens
 * nothing else. Who is calling is decided from the headers before any body is read: the admin
 * token's body up to 1 MB, a signed one up to 256 KB and only for a shop whose secret exists
 * (413 naming the limit). A signed write is good once (a replay is refused, "replayed"); a
 * client address with too many failures is refused (429) before anything is checked.
 * Comparisons are constant-time; secrets are never logged.
 */
export function adminAuth(deps: AdminAuthDeps) {
  const shops = shopSecretCache(deps.pool);
  const failures = deps.signInFailures ?? rateLimit(EDGE_LIMITS.signInFailures);
  const now = () => deps.clock?.() ?? new Date();
  /**
   * Reads the body (bounded, once) and checks the signature over it with one of `secrets`: inside
   * its window, matching, a write not seen before. Answers the index of the secret that signed it.
   */
  const verified = async (req: AdminRequest, signature: string, secrets: string[], direction: SignedDirection): Promise<number> => {
    const parts = Object.fromEntries(signature.split(',').map((kv) => kv.trim().split('=', 2) as [string, string]));
    const t = Number(parts.t);
    const nowS = Math.floor(now().getTime() / 1000);
    const nonce = parts.n ?? null;
    if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowS - t) > WINDOW_S || (nonce !== null && !/^[0-9a-f]{16,64}$/.test(nonce)))
      throw AppError.unauthorized(__('signature missing, malformed or outside its five-minute window', 'comeback'));
    const limit = BODY_LIMITS.signed;
    req.rawBody ??= await readBody(req, limit.bytes, limit.label);
    const body = req.rawBody.toString('utf8');
    const given = signature.replace(/\s+/g, '');
    const signed = secrets.map((secret) => signRequest(secret, { direction, method: req.method, path: req.originalUrl, body }, t, nonce));
    const index = signed.findIndex((expected) => equal(expected, given));
    if (index < 0) throw AppError.unauthorized(noMatch());
    const expected = signed[index]!;
    // Reads change nothing, so only a write's signature is spent (a plugin without nonces signs the same GET twice in a second alike).
    if (deps.replays && !SAFE_METHODS.has(req.method) && !(await deps.replays.firstUse(expected, new Date((t + WINDOW_S) * 1000))))
      throw new AppError('unauthorized', __('replayed: this signed request was already received', 'comeback'), 401, true, {
        reason: 'replayed',
      });
    return index;
  };
  const authenticate = async (req: AdminRequest): Promise<void> => {
    if (bearerOf(req) !== undefined) {
      if (!hasAdminToken(req, deps.adminToken)) throw AppError.unauthorized(__('admin token missing or wrong', 'comeback'));
      req.auth = 'token';
      const header = req.get('x-comeback-shop-id');
      if (header !== undefined) {
        const id = Number(header);
        if (!Number.isInteger(id) || id <= 0)
          throw AppError.badRequest('missing_shop', __('X-Comeback-Shop-Id must be a shop id', 'comeback'));
        if (!(await shopState(deps.pool, id)))
          // translators: %d: the shop's id.
          throw new AppError('unknown_shop', sprintf(__('there is no shop %d here', 'comeback'), id), 404);
        req.shopId = id;
      }
      const limit = BODY_LIMITS.token;
      req.rawBody = await readBody(req, limit.bytes, limit.label);
      return;
    }
    const eventsSignature = req.get('x-comeback-events-signature');
    if (eventsSignature !== undefined) {
      if (req.method !== 'POST' || req.originalUrl !== EVENTS_PATH)
        // translators: %s: the path of the events endpoint.
        throw AppError.unauthorized(sprintf(__('an events key signs POST %s only', 'comeback'), EVENTS_PATH));
      const shopId = Number(req.get('x-comeback-shop-id'));
      if (!Number.isInteger(shopId) || shopId <= 0)
        throw AppError.badRequest('missing_shop', __('X-Comeback-Shop-Id must be a shop id', 'comeback'));
      const key = await storedEventsKey(deps.pool, shopId);
      if (key === undefined) throw AppError.unauthorized(noMatch());
      await verified(req, eventsSignature, [key], 'program-to-sidecar');
      req.shopId = shopId;
      req.auth = 'events';
      return;
    }
    const signature = req.get('x-comeback-signature');
    const shopUrl = req.get('x-comeback-shop');
    if (!signature || !shopUrl)
      throw AppError.unauthorized(__('request is neither signed by the plugin nor carries the admin token', 'comeback'));
    const url = normaliseShopUrl(shopUrl);
    const cached = await shops(url);
    if (!cached) throw AppError.unauthorized(noMatch());
    let shop = cached;
    let secrets = pluginSecrets(shop);
    const index = await verified(
      req,
      signature,
      secrets.map((s) => s.secret),
      'plugin-to-sidecar',
    ).catch(async (error: unknown) => {
      // A rotation started or confirmed by another sidecar shows here only after the cache's few
      // seconds: a signature no remembered secret matches is checked once more against the row.
      const fresh = await shopSecretByUrl(deps.pool, url);
      if (!fresh || (fresh.secret === cached.secret && fresh.next === cached.next)) throw error;
      shop = fresh;
      secrets = pluginSecrets(fresh);
      return verified(
        req,
        signature,
        secrets.map((s) => s.secret),
        'plugin-to-sidecar',
      );
    });
    req.shopId = shop.id;
    req.auth = 'plugin';
    req.signedWith = secrets[index]!.kind;
  };
  return async (req: AdminRequest, _res: Response, next: NextFunction): Promise<void> => {
    const client = clientAddress(req);
    await failures.check(client);
    try {
      await authenticate(req);
    } catch (error) {
      if (error instanceof AppError && error.status === 401) await failures.take(client).catch(() => undefined);
      throw error;
    }
    next();
  };
}

/** A signature no secret of the shop made, in the request's language. */
const noMatch = () => __('signature does not match', 'comeback');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const rawParsers = new Map<number, RequestHandler>();

/** The request body, at most `bytes` (a larger one, declared or sent, is a 413 naming `label`). */
function readBody(req: Request, bytes: number, label: string): Promise<Buffer> {
  let parse = rawParsers.get(bytes);
  if (!parse) rawParsers.set(bytes, (parse = express.raw({ type: () => true, limit: bytes })));
  return new Promise((resolve, reject) => {
    parse(req, req.res!, (error?: unknown) => {
      if ((error as { type?: unknown } | undefined)?.type === 'entity.too.large') reject(AppError.tooLarge(label));
      // body-parser's errors (malformed, aborted) carry their 4xx status for the error handler.
      else if (error) reject(error instanceof Error ? error : new Error('the request body could not be read'));
      else resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    });
  });
}

/** For the routes about one shop: the plugin's signature names it, an admin names it by header. */
export function requireShop(req: AdminRequest, _res: Response, next: NextFunction): void {
  if (!req.shopId) throw AppError.badRequest('missing_shop', __('name the shop with the X-Comeback-Shop-Id header', 'comeback'));
  next();
}

/** For the routes across shops (connecting a new one): the admin token only. */
export function requireAdminToken(req: AdminRequest, _res: Response, next: NextFunction): void {
  if (req.auth !== 'token') throw new AppError('forbidden', __('this needs the admin token', 'comeback'), 403);
  next();
}

function bearerOf(req: Request): string | undefined {
  return /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
}

/** Whether the request carries the admin token as its bearer (constant-time; never when no token is set). */
export function hasAdminToken(req: Request, adminToken: string | undefined): boolean {
  const bearer = bearerOf(req);
  return bearer !== undefined && adminToken !== undefined && equal(bearer, adminToken);
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
