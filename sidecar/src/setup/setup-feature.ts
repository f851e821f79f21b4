import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import { firstRunRoutes } from './first-run-routes.ts';

/** Getting a shop started: the first-run checklist the admin shows until it is done. */
export function setupFeature(deps: { pool: Pool }): Feature {
  return { apiRoutes: [firstRunRoutes(deps)] };
}
