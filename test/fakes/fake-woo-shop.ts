import { readdirSync, readFileSync } from 'node:fs';
import { startStandInShop, type StandInOptions, type StandInShop } from '../../sidecar/src/demo/stand-in-shop.ts';
import { FIXTURES } from '../helpers/woo-fixtures.ts';

export type FakeShop = StandInShop;

/** The fake shops answer on 127.0.0.1: the tests let the sidecar reach private addresses (COMEBACK_ALLOW_PRIVATE_URLS=on). */
export const LOCAL_NET = { allowPrivate: true } as const;

/** The orders the real shop returned when read back (fixtures *-rest-readback-order-*), by id. */
export function recordedOrders(): Map<number, Record<string, unknown>> {
  const orders = new Map<number, Record<string, unknown>>();
  for (const file of readdirSync(FIXTURES)
    .filter((f) => /-rest-readback-order-.*\.body$/.test(f))
    .sort()) {
    const order = JSON.parse(readFileSync(`${FIXTURES}${file}`, 'utf8')) as Record<string, unknown>;
    if (typeof order.id === 'number') orders.set(order.id, order);
  }
  return orders;
}

/** The recorded `GET settings/general` answer (fixture 119). */
export function recordedGeneralSettings(): Array<{ id: string; value: unknown }> {
  return JSON.parse(readFileSync(`${FIXTURES}119-rest-settings-general.body`, 'utf8')) as Array<{ id: string; value: unknown }>;
}

/** `GET payment_gateways` of the recorded shop: bacs, cheque and cod enabled, their settings as WooCommerce's defaults. */
export function recordedPaymentGateways(): Array<Record<string, unknown>> {
  return JSON.parse(readFileSync(`${FIXTURES}rest-payment-gateways.json`, 'utf8')) as Array<Record<string, unknown>>;
}

/** The stand-in shop seeded from the recordings, its site title "Fixture Shop": the remote shop is the one thing tests fake. */
export function startFakeShop(options: StandInOptions = {}): Promise<FakeShop> {
  return startStandInShop({
    orders: recordedOrders(),
    generalSettings: recordedGeneralSettings(),
    paymentGateways: recordedPaymentGateways(),
    siteTitle: 'Fixture Shop',
    ...options,
  });
}

/** A time as WooCommerce's REST API writes it (UTC, no zone suffix). */
export const wooTime = (d: Date) => d.toISOString().slice(0, 19);

/**
 * Two recorded orders as if placed an hour ago and still unpaid: a PayU one (pending) and a bank
 * transfer (on-hold), the pair the previews pick and the first sweep enrolls.
 */
export function unpaidOrdersFromAnHourAgo(): {
  payu: Record<string, unknown>;
  bacs: Record<string, unknown>;
  orders: Map<number, Record<string, unknown>>;
} {
  const recorded = [...recordedOrders().values()];
  const hourAgo = wooTime(new Date(Date.now() - 3_600_000));
  const fresh = (o: Record<string, unknown>, status: string): Record<string, unknown> => ({
    ...o,
    status,
    date_paid_gmt: null,
    date_created_gmt: hourAgo,
    date_modified_gmt: hourAgo,
  });
  const payu = fresh(
    recorded.find((o) => o.payment_method === 'payustandard')!,
    'pending',
  );
  const bacs = fresh(
    recorded.find((o) => o.payment_method === 'bacs')!,
    'on-hold',
  );
  return {
    payu,
    bacs,
    orders: new Map([
      [payu.id as number, payu],
      [bacs.id as number, bacs],
    ]),
  };
}
