import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import { clickRoutes } from './click-routes.ts';
import { linkRouter } from './link-routes.ts';
import { unsubscribeRouter } from './unsubscribe-routes.ts';

/** Signed links in messages: /r/ payment links, /u/ one-click unsubscribe, and the plugin's click reports. */
export function linksFeature(deps: { pool: Pool; linkSecret: string }): Feature {
  const { pool, linkSecret } = deps;
  return {
    publicRoutes: [linkRouter({ pool, secret: linkSecret }), unsubscribeRouter({ pool, secret: linkSecret })],
    apiRoutes: [clickRoutes(pool)],
  };
}
