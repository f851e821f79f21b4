import type { Router } from 'express';
import type { Database } from '../../sidecar/src/db/database.ts';
import { createEventProcessor } from '../../sidecar/src/events/event-processor.ts';
import { createApp } from '../../sidecar/src/http/app.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { createScheduler } from '../../sidecar/src/scheduler/scheduler.ts';

/**
 * The sidecar's express app on a test database, with a scheduler that is never started (the
 * tests drive processing themselves) and a silent logger. `clock` is the event processor's.
 */
export function testApp(database: Database, options: { routers?: Router[]; clock?: () => Date } = {}) {
  const logger = createLogger('silent');
  const scheduler = createScheduler(
    database.pool,
    { workerName: 'test', concurrency: 1, lockLimit: 1, claimBatch: 1, processEveryMs: 60_000, lockLifetimeMs: 60_000 },
    logger,
  );
  const events = createEventProcessor(database.pool, logger, options.clock);
  const app = createApp({ database, scheduler, logger, version: 'test', events, routers: options.routers ?? [] });
  return { app, events };
}
