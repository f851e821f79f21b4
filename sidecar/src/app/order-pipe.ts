import { cartsOnOrderChange } from '../carts/on-order-change.ts';
import { createOrderChanges, type OrderChanges } from '../events/order-changes.ts';
import { flowsOnOrderChange } from '../flows/entry/order-entry.ts';
import { offersOnOrderChange } from '../offers/on-order-change.ts';
import { segmentsOnOrderChange } from '../segments/on-order-change.ts';

/**
 * Who hears that an order changed, in the order they act (events/order-changes.ts): the carts it
 * came from are marked ordered before the flows decide who exited on a purchase and which message
 * is credited; the coupon's use and the customer's stats follow the payment.
 */
export function orderPipe(): OrderChanges {
  return createOrderChanges([cartsOnOrderChange, flowsOnOrderChange, offersOnOrderChange, segmentsOnOrderChange]);
}
