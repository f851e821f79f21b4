import type { OrderChangeSubscriber } from '../events/order-changes.ts';
import { recordCouponUse } from './coupons.ts';

/** A paid order that used one of our personal coupons marks it used, with the order. */
export const offersOnOrderChange: OrderChangeSubscriber = async (db, order, now) => {
  if (order.state !== 'paid') return;
  await recordCouponUse(db, order.shopId, order.orderId, order.snapshot, order.datePaid ?? now);
};
