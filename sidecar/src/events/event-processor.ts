import type { Pool } from 'mysql2/promise';
import type { Logger } from '../logger.ts';
import { processPending, type StoredEvent } from './event-store.ts';
import type { OrderChanges } from './order-changes.ts';
import { applyOrderEvent } from './order-store.ts';
import { createWorkService, type WorkService } from '../scheduler/work-service.ts';
import type { Metrics } from '../metrics/metrics.ts';

/** kick() after a delivery is stored; drain() processes until nothing is waiting; start() polls. */
export type EventProcessor = WorkService;

const BATCH = 200;

/**
 * Turns stored webhook deliveries into state. Kicked right after a delivery is stored, and polled
 * once started, so an event stored just before a crash (here or in another sidecar) is still processed.
 */
export function createEventProcessor(
  pool: Pool,
  logger: Logger,
  orderChanges: OrderChanges,
  clock: () => Date = () => new Date(),
  pollMs = 1_000,
  metrics?: Metrics,
): EventProcessor {
  async function handle(event: StoredEvent, conn: import('mysql2/promise').PoolConnection): Promise<void> {
    if (event.topic.startsWith('order.')) {
      const orderId = await applyOrderEvent(event, conn);
      // Every room acts on the state now stored, in the same transaction as the change.
      await orderChanges.changed(conn, event.shopId, orderId, clock());
    }
    // customer.* and coupon.* are stored for the customer and offer features; nothing to do yet.
  }

  return createWorkService({
    name: 'events',
    pollMs,
    batch: async () => {
      const received: Date[] = [];
      const { handled, failed, byTopic } = await processPending(pool, BATCH, (event, conn) => {
        received.push(event.receivedAt);
        return handle(event, conn);
      });
      // Stored (the database's clock) to committed (ours): the lag the webhook path adds before anything acts.
      const committedAt = Date.now();
      for (const at of received) metrics?.webhookLag.observe(Math.max(0, committedAt - at.getTime()) / 1000);
      // One line per batch, never per delivery: counts only (a delivery carries the customer's data).
      if (handled > 0) logger.info({ processed: handled - failed, failed, byTopic }, 'webhook deliveries processed');
      return { handled, more: handled === BATCH };
    },
    onError: (error) => logger.error({ err: error }, 'processing webhook events failed'),
  });
}
