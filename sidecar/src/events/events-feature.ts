import type { Pool } from 'mysql2/promise';
import type { Feature } from '../app/feature.ts';
import type { Logger } from '../logger.ts';
import { createEventProcessor, type EventProcessor } from './event-processor.ts';
import type { OrderChanges } from './order-changes.ts';
import type { Metrics } from '../metrics/metrics.ts';

export type EventsFeature = Feature & { processor: EventProcessor };

/** Stored webhook deliveries turned into state: kicked when a delivery is stored, polled so one stored just before a crash is still processed. */
export function eventsFeature(deps: {
  pool: Pool;
  logger: Logger;
  orderChanges: OrderChanges;
  pollMs: number;
  metrics?: Metrics;
}): EventsFeature {
  return { processor: createEventProcessor(deps.pool, deps.logger, deps.orderChanges, () => new Date(), deps.pollMs, deps.metrics) };
}
