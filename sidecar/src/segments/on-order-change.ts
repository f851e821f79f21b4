import type { OrderChangeSubscriber } from '../events/order-changes.ts';
import { refreshCustomer } from './customer-stats.ts';

/** A paid, refunded or cancelled order updates its customer's stats and tags at once (not only at the hourly recompute). */
export const segmentsOnOrderChange: OrderChangeSubscriber = async (db, order, now) => {
  if (order.state === 'open' || !order.email) return;
  await refreshCustomer(db, order.shopId, order.email, now);
};
