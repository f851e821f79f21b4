import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import type { ShopClients } from '../woo/shop-clients.ts';
import { shopsWithExpiredCoupons } from './coupon-store.ts';
import { cleanUpExpiredCoupons } from './coupons.ts';

/** Personal coupons: issued by flow steps (flows/steps), marked used by the order pipe, and here cleaned up once expired unused. */
export function offersFeature(deps: { pool: Pool; wooClient: ShopClients; clock: () => Date }): Feature {
  const { pool } = deps;
  return {
    jobs: [
      {
        // Our coupons that expired unused are deleted from WooCommerce (used ones are kept as used).
        name: 'coupons.clean-up',
        every: '1 hour',
        async run() {
          for (const shopId of await shopsWithExpiredCoupons(pool))
            await cleanUpExpiredCoupons(pool, shopId, await deps.wooClient(shopId), deps.clock());
        },
      },
    ],
  };
}
