import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { adminAuth, requireShop } from './admin-auth.ts';
import type { RateLimit } from './rate-limits.ts';
import { requestLanguage } from './request-language.ts';
import { replayCache } from './signature-replays.ts';

export type AdminApiDeps = {
  pool: Pool;
  adminToken: string | undefined;
  /** Failed authentications per client address (the root's one limiter; a fresh one by default). */
  signInFailures?: RateLimit;
  /** Routes that work across shops (connecting one); each guards itself. */
  globalRoutes?: Router[];
  /** Routes about the one shop the request names. */
  shopRoutes: Router[];
};

/**
 * /api: the merchant's language (request-language.ts), authentication (which reads the body,
 * bounded, only once the headers name a caller), then the feature routes.
 */
export function adminApi(deps: AdminApiDeps): Router {
  const outer = Router();
  const api = Router();
  outer.use('/api', api);
  api.use(requestLanguage());
  api.use(adminAuth({ ...deps, replays: replayCache(deps.pool) }));
  for (const router of deps.globalRoutes ?? []) api.use(router);
  api.use(requireShop);
  for (const router of deps.shopRoutes) api.use(router);
  return outer;
}
