import type { Queryable } from '../db/queryable.ts';
import { delayMs } from '../flows/definition/flow-definition.ts';
import { ATTRIBUTION_WINDOW_MS } from './attribution.ts';
import {
  countRepurchases,
  couponsPerStep,
  creditedOrdersPerTag,
  currentFlowDefinitions,
  entrantsAndPurchases,
  sendsAndOrdersPerStep,
  type EntrantGroup,
} from './customer-report-store.ts';

const money = (amount: number) => amount.toFixed(2);

/**
 * What a flow did beyond what would have happened anyway. Entrants are compared once reached:
 * messaged (a message of the flow sent to them; a [Test] send is none, and an entrant stopped
 * before its first message was never messaged), or held out of a step (the hold-out got the same
 * chance to be messaged, and was not). A conversion is a paid order after that and before the
 * flow's last step plus the attribution window from entering (win-back's offer C counts as much
 * as A), whatever the flow (the unpaid order paid, a cart ordered, a lapsed customer back); each
 * paid order counts once, for the entrant it is credited to (reports/customer-report-store.ts),
 * so one payment never converts two of a customer's enrollments. Incremental = the messaged
 * group's result minus what the hold-out's rate per entrant predicts for as many; null without a
 * hold-out to compare with.
 */
export type FlowIncrementality = {
  flow: string;
  /** The flow's name as the merchant sees it (its current version). */
  name: string;
  /** Everyone who entered, reached or not. */
  entered: number;
  messaged: number;
  heldOut: number;
  orders: number;
  revenue: string;
  heldOutOrders: number;
  heldOutRevenue: string;
  conversion: number;
  heldOutConversion: number | null;
  incrementalOrders: number | null;
  incrementalRevenue: string | null;
};

export async function flowIncrementality(db: Queryable, shopId: number, from: Date, to: Date): Promise<FlowIncrementality[]> {
  const flows = await currentFlowDefinitions(db, shopId);
  const names = new Map(flows.map((f) => [f.key, f.definition.name]));
  // Each flow's window in seconds: its last step's delay plus the attribution window.
  const windows = new Map(
    flows.map((f) => [f.key, Math.round((delayMs(f.definition.steps.at(-1)!.delay) + ATTRIBUTION_WINDOW_MS) / 1000)]),
  );
  const groups = await entrantsAndPurchases(db, shopId, from, to, windows, ATTRIBUTION_WINDOW_MS / 1000);
  const byFlow = new Map<string, { messaged?: EntrantGroup; held?: EntrantGroup }>();
  for (const g of groups) byFlow.set(g.flow, { ...byFlow.get(g.flow), [g.heldOut ? 'held' : 'messaged']: g });
  const totals = (g: EntrantGroup | undefined) => ({
    entered: g?.entered ?? 0,
    n: g?.reached ?? 0,
    converted: g?.converted ?? 0,
    orders: g?.orders ?? 0,
    revenue: g?.revenue ?? 0,
  });
  return [...byFlow.entries()].map(([flow, { messaged, held }]) => {
    const m = totals(messaged);
    const h = totals(held);
    const heldRate = h.n > 0 ? h.orders / h.n : null;
    return {
      flow,
      name: names.get(flow) ?? flow,
      entered: m.entered + h.entered,
      messaged: m.n,
      heldOut: h.n,
      orders: m.orders,
      revenue: money(m.revenue),
      heldOutOrders: h.orders,
      heldOutRevenue: money(h.revenue),
      conversion: m.n > 0 ? m.converted / m.n : 0,
      heldOutConversion: h.n > 0 ? h.converted / h.n : null,
      incrementalOrders: heldRate === null ? null : Math.round((m.orders - heldRate * m.n) * 10) / 10,
      incrementalRevenue: heldRate === null ? null : money(m.revenue - (h.revenue / h.n) * m.n),
    };
  });
}

/** Revenue values are strings with two decimals, in the shop's currency. */
export type CustomerReport = {
  byFlow: FlowIncrementality[];
  byStep: Array<{ flow: string; step: number; channel: string; sent: number; orders: number; revenue: string }>;
  bySegment: Array<{ tag: string; orders: number; revenue: string }>;
  /** `byFlow`: per flow and step; null for a coupon whose enrollment is gone. */
  coupons: {
    issued: number;
    redeemed: number;
    revenue: string;
    byFlow: Array<{ flow: string | null; step: number | null; issued: number; redeemed: number }>;
  };
  repurchases: number;
};

/**
 * The customer side of the reports: what each flow did against its hold-out, revenue per flow
 * step and channel (the last message before the payment), per segment of the buyer, the personal
 * coupons issued and redeemed, and the repurchases a message to a customer brought.
 */
export async function customerReport(db: Queryable, shopId: number, from: Date, to: Date) {
  const byStep = await sendsAndOrdersPerStep(db, shopId, from, to);
  const bySegment = await creditedOrdersPerTag(db, shopId, from, to);
  const coupons = await couponsPerStep(db, shopId, from, to);
  const repurchases = await countRepurchases(db, shopId, from, to);
  const sum = (key: 'issued' | 'redeemed' | 'revenue') => coupons.reduce((s, c) => s + c[key], 0);
  return {
    byFlow: await flowIncrementality(db, shopId, from, to),
    byStep: byStep.map((r) => ({ ...r, revenue: money(r.revenue) })),
    bySegment: bySegment.map((r) => ({ ...r, revenue: money(r.revenue) })),
    coupons: {
      issued: sum('issued'),
      redeemed: sum('redeemed'),
      revenue: money(sum('revenue')),
      byFlow: coupons.map((c) => ({ flow: c.flow, step: c.step, issued: c.issued, redeemed: c.redeemed })),
    },
    repurchases,
  };
}
