import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Pool } from 'mysql2/promise';
import { AppError } from '../errors.ts';
import { storedEventsKey } from '../loyalty/events-key.ts';
import { shopSecretCache } from '../woo/shop-secrets.ts';
import { normaliseShopUrl } from '../woo/webhook-route.ts';

const WINDOW_S = 300;

/** Which way a signed request goes: a signature made for one direction is refused in the other. */
export type SignedDirection = 'plugin-to-sidecar' | 'sidecar-to-plugin' | 'program-to-sidecar';

/**
 * Requests between the plugin and the sidecar, both ways: `t=<unix>,v1=<hex HMAC-SHA256(secret,
 * "<direction>\n<METHOD>\n<path>\n<t>\n<raw body>")>`. Direction, method and path are signed so
 * a captured signature is good for nothing but its own request (within its five minutes): the
 * sidecar's GET to the plugin cannot be replayed against the sidecar's own API.
 */
export function signRequest(
  secret: string,
  request: { direction: SignedDirection; method: string; path: string; body: string },
  t = Math.floor(Date.now() / 1000),
): string {
  const message = [request.direction, request.method.toUpperCase(), request.path, String(t), request.body].join('\n');
  return `t=${t},v1=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(message, 'utf8').digest('hex')}`;
}

export type AdminRequest = Request & { shopId?: number; rawBody?: Buffer; auth?: 'token' | 'plugin' | 'events' };

/** The one path a loyalty program's events key opens. */
export const EVENTS_PATH = '/api/events';

/**
 * Every /api request is either signed by the shop's plugin (X-Comeback-Shop names the shop,
 * X-Comeback-Signature signs timestamp and body, five-minute window) or carries the admin token
 * (Bearer) plus the shop's id; or it is a loyalty program's POST /api/events, signed the same way
 * with the shop's events key (X-Comeback-Events-Signature, X-Comeback-Shop-Id), which opens
 * nothing else. Comparisons are constant-time; secrets are never logged.
 */
export function adminAuth(deps: { pool: Pool; adminToken: string | undefined; clock?: () => Date }) {
  const shops = shopSecretCache(deps.pool);
  /** The signature's time if it matches `secret` for this request and is inside its window. */
  const verified = (req: AdminRequest, signature: string, secret: string | undefined, direction: SignedDirection) => {
    const parts = Object.fromEntries(signature.split(',').map((kv) => kv.trim().split('=', 2) as [string, string]));
    const t = Number(parts.t);
    const now = Math.floor((deps.clock?.() ?? new Date()).getTime() / 1000);
    if (!Number.isInteger(t) || !parts.v1 || Math.abs(now - t) > WINDOW_S)
      throw AppError.unauthorized('signature missing, malformed or outside its five-minute window');
    const expected = signRequest(
      secret ?? '',
      { direction, method: req.method, path: req.originalUrl, body: (req.rawBody ?? Buffer.alloc(0)).toString('utf8') },
      t,
    );
    if (secret === undefined || !equal(expected, signature.replace(/\s+/g, ''))) throw AppError.unauthorized('signature does not match');
  };
  return async (req: AdminRequest, _res: Response, next: NextFunction): Promise<void> => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    req.rawBody = raw;
    const bearer = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (bearer !== undefined) {
      if (!deps.adminToken || !equal(bearer, deps.adminToken)) throw AppError.unauthorized('admin token missing or wrong');
      req.auth = 'token';
      const header = req.get('x-comeback-shop-id');
      if (header !== undefined) {
        const id = Number(header);
        if (!Number.isInteger(id) || id <= 0) throw AppError.badRequest('missing_shop', 'X-Comeback-Shop-Id must be a shop id');
        req.shopId = id;
      }
      return next();
    }
    const eventsSignature = req.get('x-comeback-events-signature');
    if (eventsSignature !== undefined) {
      if (req.method !== 'POST' || req.originalUrl !== EVENTS_PATH)
        throw AppError.unauthorized(`an events key signs POST ${EVENTS_PATH} only`);
      const shopId = Number(req.get('x-comeback-shop-id'));
      if (!Number.isInteger(shopId) || shopId <= 0) throw AppError.badRequest('missing_shop', 'X-Comeback-Shop-Id must be a shop id');
      verified(req, eventsSignature, await storedEventsKey(deps.pool, shopId), 'program-to-sidecar');
      req.shopId = shopId;
      req.auth = 'events';
      return next();
    }
    const signature = req.get('x-comeback-signature');
    const shopUrl = req.get('x-comeback-shop');
    if (!signature || !shopUrl) throw AppError.unauthorized('request is neither signed by the plugin nor carries the admin token');
    const shop = await shops(normaliseShopUrl(shopUrl));
    verified(req, signature, shop?.secret, 'plugin-to-sidecar');
    req.shopId = shop!.id;
    req.auth = 'plugin';
    next();
  };
}

/** For the routes about one shop: the plugin's signature names it, an admin names it by header. */
export function requireShop(req: AdminRequest, _res: Response, next: NextFunction): void {
  if (!req.shopId) throw AppError.badRequest('missing_shop', 'name the shop with the X-Comeback-Shop-Id header');
  next();
}

/** For the routes across shops (connecting a new one): the admin token only. */
export function requireAdminToken(req: AdminRequest, _res: Response, next: NextFunction): void {
  if (req.auth !== 'token') throw new AppError('forbidden', 'this needs the admin token', 403);
  next();
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
