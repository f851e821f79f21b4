import type { Router } from 'express';
import type { Database } from '../../sidecar/src/db/database.ts';
import { createEventProcessor } from '../../sidecar/src/events/event-processor.ts';
import { createApp } from '../../sidecar/src/http/app.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { createScheduler } from '../../sidecar/src/scheduler/scheduler.ts';
import { WEBHOOK_PATH, webhookHandler } from '../../sidecar/src/woo/webhook-route.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';

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
  const events = createEventProcessor(database.pool, logger, orderPipe(), options.clock);
  const webhook = { path: WEBHOOK_PATH, handle: webhookHandler({ pool: database.pool, logger, onStored: () => events.kick() }) };
  const app = createApp({ database, scheduler, logger, version: 'test', webhook, routers: options.routers ?? [] });
  return { app, events };
}
