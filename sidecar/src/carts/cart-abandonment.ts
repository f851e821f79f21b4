import type { Pool } from 'mysql2/promise';
import { enterFlow } from '../flows/entry/enrollment.ts';
import { flowsForTrigger, type StoredFlow } from '../flows/definition/flow-store.ts';
import { claimAbandonedCart, idleOpenCarts, shopsWithOpenCarts } from './cart-store.ts';

/** How long a cart flow waits after the cart's last activity (60 minutes for a flow that names no wait). */
function waitMinutes(flow: StoredFlow): number {
  return flow.definition.trigger.event === 'cart.abandoned' ? flow.definition.trigger.afterMinutes : 60;
}

/**
 * Carts with no activity for the shortest wait of the shop's enabled cart flows become
 * abandoned and enter those flows (each flow's own wait is its anchor: its first step counts
 * from then). Set-based per shop; safe on several sidecars (the status change is the claim).
 */
export async function abandonIdleCarts(pool: Pool, now = new Date()): Promise<number> {
  let entered = 0;
  for (const shopId of await shopsWithOpenCarts(pool)) {
    const flows = await flowsForTrigger(pool, shopId, 'cart.abandoned');
    if (flows.length === 0) continue;
    const idleSince = new Date(now.getTime() - Math.min(...flows.map(waitMinutes)) * 60_000);
    for (const cart of await idleOpenCarts(pool, shopId, idleSince)) {
      if (!(await claimAbandonedCart(pool, cart.id, now))) continue;
      for (const flow of flows) {
        const anchor = new Date(cart.lastActivityAt.getTime() + waitMinutes(flow) * 60_000);
        const facts = { customerKey: cart.customerKey, country: cart.country, total: cart.total };
        if ((await enterFlow(pool, shopId, flow, { type: 'cart', id: String(cart.id) }, facts, anchor, now)) === 'entered') entered++;
      }
    }
  }
  return entered;
}
