import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import type { ShopClients } from '../woo/shop-clients.ts';
import { privacyRoutes } from './privacy-routes.ts';
import { runRetention } from './retention.ts';

/** One person's data exported or erased on request (a hashed suppression left behind), and the daily retention pruning. */
export function privacyFeature(deps: { pool: Pool; wooClient: ShopClients; clock: () => Date }): Feature {
  return {
    apiRoutes: [privacyRoutes({ pool: deps.pool, wooClient: deps.wooClient, clock: deps.clock })],
    jobs: [{ name: 'privacy.retention', every: '1 day', run: () => runRetention(deps.pool, deps.clock()) }],
  };
}
