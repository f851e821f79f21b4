import { GONE_REASONS, PAID_STATUSES } from '../../events/order-status.ts';
import type { OrderPayload } from '../../woo/order-payload.ts';
import { classifyGateway } from '../definition/gateway-classes.ts';
import type { RecoverySettings } from '../definition/recovery-settings.ts';

export { classifyGateway, type GatewayClass } from '../definition/gateway-classes.ts';

/** The order facts the decision needs, from a webhook, a REST read or the orders table. */
export type OrderFacts = { status: string; paymentMethod: string; total: number; datePaid: Date | null };

/** The facts of an order as the shop's REST API sends it (the step runner's fresh read, a stored snapshot). */
export const orderFactsOf = (order: OrderPayload): OrderFacts => ({
  status: order.status,
  paymentMethod: order.payment_method,
  total: Number(order.total),
  datePaid: order.date_paid_gmt,
});

export type Decision = { kind: 'enter'; gateway: 'online' | 'offline' } | { kind: 'exit'; reason: string } | { kind: 'ignore' };

/**
 * Who is reminded, by the state the order carries (never by which event arrived last):
 * pending or failed orders of online gateways, and on-hold orders of offline ones (WooCommerce
 * puts bank transfers and cheques on hold); cash on delivery and free orders never.
 */
export function decideUnpaid(order: OrderFacts, gateways: RecoverySettings['gateways']): Decision {
  if (order.datePaid || PAID_STATUSES.has(order.status)) return { kind: 'exit', reason: 'paid' };
  if (GONE_REASONS[order.status]) return { kind: 'exit', reason: GONE_REASONS[order.status]! };
  const gateway = classifyGateway(order.paymentMethod, gateways);
  if (gateway === 'never' || !(order.total > 0)) return { kind: 'ignore' };
  if (gateway === 'online' && (order.status === 'pending' || order.status === 'failed')) return { kind: 'enter', gateway };
  if (gateway === 'offline' && (order.status === 'on-hold' || order.status === 'pending')) return { kind: 'enter', gateway };
  return { kind: 'ignore' };
}
