import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import { campaignRoutes } from './campaign-routes.ts';
import { launchDueCampaigns } from './campaigns.ts';

/** One-off broadcasts to segments, launched once at their time as one-step marketing flows. */
export function campaignsFeature(deps: { pool: Pool; clock: () => Date; kickSteps: () => void }): Feature {
  const { pool } = deps;
  return {
    apiRoutes: [campaignRoutes({ pool, onLaunched: deps.kickSteps })],
    jobs: [
      {
        name: 'campaigns.launch',
        every: '1 minute',
        async run() {
          if ((await launchDueCampaigns(pool, deps.clock())) > 0) deps.kickSteps();
        },
      },
    ],
  };
}
