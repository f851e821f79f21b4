import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Pool } from 'mysql2/promise';
import { AppError } from '../errors.ts';
import { shopSecretCache } from '../woo/shop-secrets.ts';
import { normaliseShopUrl } from '../woo/webhook-route.ts';

const WINDOW_S = 300;

/** Which way a signed request goes: a signature made for one direction is refused in the other. */
export type SignedDirection = 'plugin-to-sidecar' | 'sidecar-to-plugin';

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

export type AdminRequest = Request & { shopId?: number; rawBody?: Buffer; auth?: 'token' | 'plugin' };

/**
 * Every /api request is either signed by the shop's plugin (X-Comeback-Shop names the shop,
 * X-Comeback-Signature signs timestamp and body, five-minute window) or carries the admin token
 * (Bearer) plus the shop's id. Comparisons are constant-time; secrets are never logged.
 */
export function adminAuth(deps: { pool: Pool; adminToken: string | undefined; clock?: () => Date }) {
  const shops = shopSecretCache(deps.pool);
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
    const signature = req.get('x-comeback-signature');
    const shopUrl = req.get('x-comeback-shop');
    if (!signature || !shopUrl) throw AppError.unauthorized('request is neither signed by the plugin nor carries the admin token');
    const parts = Object.fromEntries(signature.split(',').map((kv) => kv.trim().split('=', 2) as [string, string]));
    const t = Number(parts.t);
    const now = Math.floor((deps.clock?.() ?? new Date()).getTime() / 1000);
    if (!Number.isInteger(t) || !parts.v1 || Math.abs(now - t) > WINDOW_S) throw AppError.unauthorized('signature missing, malformed or outside its five-minute window');
    const shop = await shops(normaliseShopUrl(shopUrl));
    const expected = signRequest(shop?.secret ?? '', { direction: 'plugin-to-sidecar', method: req.method, path: req.originalUrl, body: raw.toString('utf8') }, t);
    if (!shop || !equal(expected, signature.replace(/\s+/g, ''))) {
      throw AppError.unauthorized('signature does not match');
    }
    req.shopId = shop.id;
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
