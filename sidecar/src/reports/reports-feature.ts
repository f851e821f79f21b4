import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import { reportRoutes } from './report-routes.ts';

/** What was recovered: attribution of paid orders to messages, the recovery and customer reports. */
export function reportsFeature(deps: { pool: Pool }): Feature {
  return { apiRoutes: [reportRoutes({ pool: deps.pool })] };
}
