import type { Pool } from 'mysql2/promise';
import type { Feature, JobDefinition } from '../app/feature.ts';
import type { OrderChanges } from '../events/order-changes.ts';
import type { Logger } from '../logger.ts';
import type { MerchantNet } from '../woo/merchant-url.ts';
import { segmentRoutes } from './segment-routes.ts';
import { importCustomers, recomputeAllShops } from './segments.ts';

/** Customers rebuilt from the order history (the first import over REST, then hourly) and their segments. */
export function segmentsFeature(deps: {
  pool: Pool;
  logger: Logger;
  orderChanges: OrderChanges;
  clock: () => Date;
  startImport: (shopId: number) => Promise<void>;
  /** How the shop's REST API may be reached (COMEBACK_ALLOW_PRIVATE_URLS). */
  net: MerchantNet;
}): Feature {
  const { pool } = deps;
  const importJob: JobDefinition<{ shopId: number }> = {
    // A failed page throws: agenda retries with backoff, and the import goes on from that page.
    name: 'customers.import',
    concurrency: 1,
    run: ({ shopId }) => importCustomers(pool, shopId, deps.orderChanges, deps.logger, deps.net),
  };
  return {
    apiRoutes: [segmentRoutes({ pool: pool, runImport: deps.startImport })],
    jobs: [{ name: 'segments.recompute', every: '1 hour', run: () => recomputeAllShops(pool, deps.clock()) }, importJob],
  };
}
