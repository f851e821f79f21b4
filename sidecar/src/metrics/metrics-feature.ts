import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import type { Logger } from '../logger.ts';
import { outboxBacklogCollector } from './backlog.ts';
import type { Metrics } from './metrics.ts';
import { metricsRoutes, type ScrapeAccess } from './metrics-routes.ts';

/**
 * /metrics for Prometheus (and the bench and soak): the sidecar's one registry (metrics.ts, built by
 * the root, which hands it to the rooms that count), with the gauges read from MySQL on scrape.
 */
export function metricsFeature(deps: { pool: Pool; logger: Logger; metrics: Metrics; access: ScrapeAccess }): Feature {
  const refresh = outboxBacklogCollector(deps);
  return { publicRoutes: [metricsRoutes({ metrics: deps.metrics, access: deps.access, refresh })] };
}
