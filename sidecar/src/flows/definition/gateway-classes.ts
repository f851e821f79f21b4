import type { z } from 'zod';
import type { gatewaysSchema } from './flow-definition.ts';

/**
 * How an unpaid-order flow treats a payment gateway, by the trigger's patterns: pure, so the
 * engine (flows/entry), the preview and the admin UI's forms (through flow-texts.ts) class a
 * gateway the same way.
 */
export type GatewayClass = 'online' | 'offline' | 'never';

function matches(pattern: string, id: string): boolean {
  return pattern.endsWith('*') ? id.startsWith(pattern.slice(0, -1)) : id === pattern;
}

/** never before offline before online; a gateway no pattern names is online, an order without one never. */
export function classifyGateway(paymentMethod: string, gateways: z.infer<typeof gatewaysSchema>): GatewayClass {
  if (!paymentMethod) return 'never'; // no gateway chosen: nothing to resume
  if (gateways.never.some((p) => matches(p, paymentMethod))) return 'never';
  if (gateways.offline.some((p) => matches(p, paymentMethod))) return 'offline';
  return 'online';
}
