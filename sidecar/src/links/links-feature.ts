import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import { clickRoutes } from './click-routes.ts';
import { linkRoutes } from './link-routes.ts';
import { unsubscribeRoutes } from './unsubscribe-routes.ts';

/** Signed links in messages: /r/ payment links, /u/ one-click unsubscribe, and the plugin's click reports. */
export function linksFeature(deps: { pool: Pool; linkSecret: string }): Feature {
  const { pool, linkSecret } = deps;
  return {
    publicRoutes: [linkRoutes({ pool, secret: linkSecret }), unsubscribeRoutes({ pool, secret: linkSecret })],
    apiRoutes: [clickRoutes({ pool: pool })],
  };
}
