import { Router, type Request } from 'express';
import { isLoopbackHost } from '../channels/dev-outbox/dev-outbox-routes.ts';
import { AppError } from '../errors.ts';
import { hasAdminToken } from '../http/admin-auth.ts';
import { clientAddress } from '../http/rate-limits.ts';
import type { Metrics } from './metrics.ts';

export type ScrapeAccess = {
  /** COMEBACK_METRICS_PUBLIC=on: anyone who reaches the sidecar may scrape. */
  open: boolean;
  adminToken: string | undefined;
};

/**
 * Who may read /metrics: everyone when it is public, else a client on this machine (the address
 * express sees: behind a reverse proxy on loopback, the client it forwards for) or one with the
 * admin token as bearer. The figures name no shop or customer, but they tell an outsider how busy
 * the sidecar is.
 */
export function mayScrape(req: Request, access: ScrapeAccess): boolean {
  return access.open || isLoopbackHost(clientAddress(req).replace(/^::ffff:/, '')) || hasAdminToken(req, access.adminToken);
}

/**
 * GET /metrics: the registry in Prometheus' text format, the scrape-time gauges refreshed first
 * (each bounded in time: a stalled database never holds a scrape). Outside the edge's rate limits:
 * a scraper's steady requests are never refused with a 429.
 */
export function metricsRoutes(deps: { metrics: Metrics; access: ScrapeAccess; refresh: () => Promise<void> }): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (!mayScrape(req, deps.access))
      throw AppError.unauthorized('/metrics needs the admin token from outside this machine, unless COMEBACK_METRICS_PUBLIC=on');
    await deps.refresh();
    const text = await deps.metrics.registry.metrics();
    res.set('Cache-Control', 'no-store').type(deps.metrics.registry.contentType).send(text);
  });
  return router;
}
