import type { OrderChangeSubscriber } from '../events/order-changes.ts';
import { markCartsOrdered } from './cart-store.ts';

/** An order placed (not a checkout still being typed, not one already gone) turns the customer's open carts into ordered ones. */
export const cartsOnOrderChange: OrderChangeSubscriber = async (db, order) => {
  if (order.state === 'gone' || order.status === 'checkout-draft' || !order.customerKey || !order.dateCreated) return;
  await markCartsOrdered(db, order.shopId, order.customerKey, order.orderId, order.dateCreated);
};
