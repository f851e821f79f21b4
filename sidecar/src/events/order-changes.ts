import { retryOnDeadlock } from '../db/deadlock-retry.ts';
import { isPool, type Queryable } from '../db/queryable.ts';
import type { OrderPayload } from '../woo/order-payload.ts';
import { loadStoredOrder, orderIdsModifiedSince, upsertOrders, type StoredOrder } from './order-store.ts';

/**
 * The one pipe for "an order changed". Whoever learns of a change — a webhook delivery, a
 * reconciliation sweep, the history import, the step runner's fresh read before a send, a flow
 * switched on — stores the order (newer state wins, order-store.ts) and hands it here; the pipe
 * reads it back as stored and tells each subscriber the composition root registered, in order:
 * carts (mark ordered), flows (enter, exit, credit the payment, cancel what is no longer due),
 * offers (coupon use), segments (refresh the customer). Subscribers act on the state the order
 * carries, never on which event came last, so a repeat changes nothing.
 */

/** What a change did to the flows; the root kicks the step loop when something entered. */
export type ChangeOutcome = 'entered' | 'exited' | 'unchanged';

export type OrderChangeSubscriber = (db: Queryable, order: StoredOrder, now: Date) => Promise<ChangeOutcome | void>;

/** An order not changed for this long can no longer enter or leave any flow: older history is stored, not handed on. */
export const CHANGE_LOOKBACK_MS = 31 * 86_400_000;

export type OrderChanges = {
  /**
   * The order as `orders` now holds it is handed to every subscriber. With a connection in a
   * transaction (webhook processing), the subscribers' writes commit with the change itself.
   * On the pool (the step runner) each write commits on its own; a deadlock's victim there runs
   * the pipe again, which a repeat makes safe (in a transaction the caller's rollback decides).
   */
  changed(db: Queryable, shopId: number, orderId: number, now: Date): Promise<ChangeOutcome>;
  /**
   * Orders read over REST are stored in one statement and handed on; with `since`, only those
   * modified since then (a history of years is stored at the speed of its pages).
   */
  record(db: Queryable, shopId: number, orders: OrderPayload[], now: Date, options?: { since?: Date }): Promise<ChangeOutcome[]>;
  /** The stored orders changed within the look-back are handed on again (a flow saved or switched on); answers how many entered a flow. */
  replayRecent(db: Queryable, shopId: number, now: Date): Promise<number>;
};

export function createOrderChanges(subscribers: readonly OrderChangeSubscriber[]): OrderChanges {
  async function changed(db: Queryable, shopId: number, orderId: number, now: Date): Promise<ChangeOutcome> {
    // Found by the soak: the segments refresh (INSERT … SELECT, holding the AUTO-INC lock) waits
    // for a gap a webhook's transaction locked, which then wants AUTO-INC; InnoDB rolls back the smaller side,
    // here one autocommit statement. No lock order avoids it (the webhook locks customers in the
    // order its events came), so the pipe runs again.
    return isPool(db) ? retryOnDeadlock(() => handOn(db, shopId, orderId, now)) : handOn(db, shopId, orderId, now);
  }

  async function handOn(db: Queryable, shopId: number, orderId: number, now: Date): Promise<ChangeOutcome> {
    const order = await loadStoredOrder(db, shopId, orderId);
    if (!order) return 'unchanged';
    let outcome: ChangeOutcome = 'unchanged';
    for (const subscriber of subscribers) {
      const said = await subscriber(db, order, now);
      if (said === 'entered' || (said === 'exited' && outcome === 'unchanged')) outcome = said;
    }
    return outcome;
  }

  return {
    changed,
    async record(db, shopId, orders, now, options = {}) {
      await upsertOrders(db, shopId, orders);
      const outcomes: ChangeOutcome[] = [];
      for (const order of orders) {
        const modified = order.date_modified_gmt ?? order.date_created_gmt;
        if (options.since && !(modified && modified.getTime() >= options.since.getTime())) continue;
        outcomes.push(await changed(db, shopId, order.id, now));
      }
      return outcomes;
    },
    async replayRecent(db, shopId, now) {
      let entered = 0;
      for (const orderId of await orderIdsModifiedSince(db, shopId, new Date(now.getTime() - CHANGE_LOOKBACK_MS))) {
        if ((await changed(db, shopId, orderId, now)) === 'entered') entered++;
      }
      return entered;
    },
  };
}
