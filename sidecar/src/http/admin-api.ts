import express, { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { adminAuth, requireShop } from './admin-auth.ts';

export type AdminApiDeps = {
  pool: Pool;
  adminToken: string | undefined;
  /** Routes that work across shops (connecting one); each guards itself. */
  globalRoutes?: Router[];
  /** Routes about the one shop the request names. */
  shopRoutes: Router[];
};

/** /api: raw body kept for the signature check, then authentication, then the feature routes. */
export function adminApi(deps: AdminApiDeps): Router {
  const outer = Router();
  const api = Router();
  outer.use('/api', api);
  api.use(express.raw({ type: () => true, limit: '1mb' }));
  api.use(adminAuth(deps));
  for (const router of deps.globalRoutes ?? []) api.use(router);
  api.use(requireShop);
  for (const router of deps.shopRoutes) api.use(router);
  return outer;
}
