import type { Pool } from 'mysql2/promise';
import type { Logger } from '../logger.ts';
import { processPending, type StoredEvent } from './event-store.ts';
import type { OrderChanges } from './order-changes.ts';
import { applyOrderEvent } from './order-store.ts';
import { createWorkLoop, type WorkLoop } from '../scheduler/work-loop.ts';

/** kick() after a delivery is stored; drain() processes until nothing is waiting. */
export type EventProcessor = WorkLoop;

const BATCH = 200;

/**
 * Turns stored webhook deliveries into state. Kicked right after a delivery is stored, and by the
 * `events.sweep` job, so an event stored just before a crash is still processed.
 */
export function createEventProcessor(pool: Pool, logger: Logger, orderChanges: OrderChanges, clock: () => Date = () => new Date()): EventProcessor {
  async function handle(event: StoredEvent, conn: import('mysql2/promise').PoolConnection): Promise<void> {
    if (event.topic.startsWith('order.')) {
      const orderId = await applyOrderEvent(event, conn);
      // Every room acts on the state now stored, in the same transaction as the change.
      await orderChanges.changed(conn, event.shopId, orderId, clock());
    }
    // customer.* and coupon.* are stored for the customer and offer features; nothing to do yet.
  }

  return createWorkLoop(
    async () => {
      const handled = await processPending(pool, BATCH, handle);
      return { handled, more: handled === BATCH };
    },
    (error) => logger.error({ err: error }, 'processing webhook events failed'),
  );
}
