import type { Pool } from 'mysql2/promise';
import type { Logger } from '../logger.ts';
import { processPending, type StoredEvent } from './event-store.ts';
import { syncUnpaidEnrollment } from '../flows/unpaid-enrollment.ts';
import { applyOrderEvent } from './order-projection.ts';

export type EventProcessor = {
  /** Process what is waiting, soon; calls while a run is under way fold into one more run. */
  kick(): void;
  /** Processes until nothing is waiting; resolves with how many events were handled. */
  drain(): Promise<number>;
};

const BATCH = 200;

/**
 * Turns stored webhook deliveries into state. Kicked right after a delivery is stored, and by the
 * `events.sweep` job, so an event stored just before a crash is still processed.
 */
export function createEventProcessor(pool: Pool, logger: Logger, clock: () => Date = () => new Date()): EventProcessor {
  let running: Promise<number> | undefined;
  let again = false;

  async function handle(event: StoredEvent, conn: import('mysql2/promise').PoolConnection): Promise<void> {
    if (event.topic.startsWith('order.')) {
      const orderId = await applyOrderEvent(event, conn);
      // Enter or leave recovery by the state now stored, in the same transaction as the change.
      await syncUnpaidEnrollment(conn, event.shopId, orderId, clock());
    }
    // customer.* and coupon.* are stored for the customer and offer features; nothing to do yet.
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const handled = await processPending(pool, BATCH, handle);
      total += handled;
      if (handled < BATCH) return total;
    }
  }

  function run(): Promise<number> {
    running ??= drain().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        run();
      }
    });
    return running;
  }

  return {
    kick() {
      if (running) again = true;
      else run().catch((error: unknown) => logger.error({ err: error }, 'processing webhook events failed'));
    },
    async drain() {
      while (running) await running.catch(() => undefined);
      return run();
    },
  };
}
