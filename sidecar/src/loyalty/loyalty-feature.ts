import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import { loyaltyRoutes, type LoyaltyRoutesDeps } from './loyalty-routes.ts';
import { npsRoutes } from './nps-page.ts';

/** What loyalty programs outside WooCommerce tell us (POST /api/events), and the NPS survey page customers answer. */
export function loyaltyFeature(deps: { pool: Pool; linkSecret: string; onEvent: LoyaltyRoutesDeps['onEvent'] }): Feature {
  return {
    publicRoutes: [npsRoutes({ pool: deps.pool, secret: deps.linkSecret })],
    apiRoutes: [loyaltyRoutes({ pool: deps.pool, onEvent: deps.onEvent })],
  };
}
