import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import { checkAlerts } from './alert-checks.ts';
import { notifyAlerts } from './alert-email.ts';
import { alertRoutes } from './alert-routes.ts';

/** Provider failing, queue stuck, webhook disabled: checked every minute, kept, emailed once, listed. */
export function alertsFeature(deps: { pool: Pool; mailFrom: string; clock: () => Date }): Feature {
  const { pool, mailFrom } = deps;
  return {
    apiRoutes: [alertRoutes({ pool })],
    jobs: [
      {
        name: 'alerts.check',
        every: '1 minute',
        async run() {
          await checkAlerts(pool, deps.clock());
          await notifyAlerts(pool, { from: mailFrom });
        },
      },
    ],
  };
}
