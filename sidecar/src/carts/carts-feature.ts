import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import { abandonIdleCarts } from './cart-abandonment.ts';
import { cartRoutes } from './cart-routes.ts';

/** Carts the plugin captured (with consent), abandoned after their flow's wait; an abandoned cart's first step runs at once. */
export function cartsFeature(deps: { pool: Pool; kickSteps: () => void }): Feature {
  const { pool } = deps;
  return {
    apiRoutes: [cartRoutes({ pool: pool })],
    jobs: [
      {
        name: 'carts.abandon',
        every: '1 minute',
        async run() {
          if ((await abandonIdleCarts(pool)) > 0) deps.kickSteps();
        },
      },
    ],
  };
}
