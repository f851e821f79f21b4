import express, { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { recoveryRoutes } from '../flows/recovery-routes.ts';
import { reportRoutes } from '../reports/report-routes.ts';
import { adminAuth } from './admin-auth.ts';

/** /api: raw body kept for the signature check, then authentication, then the feature routes. */
export function adminApi(deps: { pool: Pool; adminToken: string | undefined }): Router {
  const outer = Router();
  const api = Router();
  outer.use('/api', api);
  api.use(express.raw({ type: () => true, limit: '1mb' }));
  api.use(adminAuth(deps));
  api.use(recoveryRoutes(deps.pool));
  api.use(reportRoutes(deps.pool));
  return outer;
}
