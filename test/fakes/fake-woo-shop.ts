import { readdirSync, readFileSync } from 'node:fs';
import { startStandInShop, type StandInOptions, type StandInShop } from '../../sidecar/src/demo/stand-in-shop.ts';
import { FIXTURES } from '../helpers/woo-fixtures.ts';

export type FakeShop = StandInShop;

/** The orders the real shop returned when read back (fixtures *-rest-readback-order-*), by id. */
export function recordedOrders(): Map<number, Record<string, unknown>> {
  const orders = new Map<number, Record<string, unknown>>();
  for (const file of readdirSync(FIXTURES).filter((f) => /-rest-readback-order-.*\.body$/.test(f)).sort()) {
    const order = JSON.parse(readFileSync(`${FIXTURES}${file}`, 'utf8')) as Record<string, unknown>;
    if (typeof order.id === 'number') orders.set(order.id, order);
  }
  return orders;
}

/** The recorded `GET settings/general` answer (fixture 119). */
export function recordedGeneralSettings(): Array<{ id: string; value: unknown }> {
  return JSON.parse(readFileSync(`${FIXTURES}119-rest-settings-general.body`, 'utf8')) as Array<{ id: string; value: unknown }>;
}

/** The stand-in shop seeded from the recordings: the remote shop is the one thing tests fake. */
export function startFakeShop(options: StandInOptions = {}): Promise<FakeShop> {
  return startStandInShop({ orders: recordedOrders(), generalSettings: recordedGeneralSettings(), ...options });
}
