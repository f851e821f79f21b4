import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { derivedTable } from '../db/batch-sql.ts';
import { jsonColumn } from '../db/json-column.ts';
import { delayMs, parseFlowDefinition } from '../flows/flow-definition.ts';
import { PAID } from '../flows/unpaid-eligibility.ts';
import { ATTRIBUTION_WINDOW_MS } from './attribution.ts';
import type { Queryable } from '../db/queryable.ts';

const money = (v: unknown) => Number(v ?? 0).toFixed(2);

/**
 * What a flow did beyond what would have happened anyway. Entrants are split as they entered:
 * messaged, or held out (never messaged). A conversion is a paid order by the customer after
 * entering and before the flow's last step plus the attribution window (win-back's offer C counts
 * as much as A), whatever the flow (the unpaid order paid, a cart ordered, a lapsed customer
 * back); a purchase counts at its payment, or its creation when paid on delivery, as in the
 * customer stats. Incremental = the messaged group's result minus what the hold-out's rate
 * predicts for the same number of people; null without a hold-out to compare with.
 */
export type FlowIncrementality = {
  flow: string;
  /** The flow's name as the merchant sees it (its current version). */
  name: string;
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
  const [defined] = await db.query<RowDataPacket[]>(
    `SELECT f.flow_key, v.definition FROM flows f JOIN flow_versions v ON v.shop_id = f.shop_id AND v.flow_key = f.flow_key AND v.version = f.version WHERE f.shop_id = ?`,
    [shopId],
  );
  const flows = defined.map((r) => ({ key: String(r.flow_key), definition: parseFlowDefinition(jsonColumn(r.definition)) }));
  const names = new Map(flows.map((f) => [f.key, f.definition.name]));
  // Each flow's window in seconds: its last step's delay plus the attribution window.
  const windows = derivedTable(['flow_key', 'window_s'], flows.map((f) => [f.key, Math.round((delayMs(f.definition.steps.at(-1)!.delay) + ATTRIBUTION_WINDOW_MS) / 1000)]));
  const purchasedAt = 'COALESCE(o.date_paid, o.date_created)';
  const after = `FROM orders o WHERE o.shop_id = e.shop_id AND o.email = e.customer_key AND o.status IN (?)
                   AND ${purchasedAt} > e.entered_at AND ${purchasedAt} <= e.entered_at + INTERVAL e.window_s SECOND`;
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT flow, held_out, COUNT(*) AS n, SUM(orders > 0) AS converted, SUM(revenue) AS revenue FROM (
       SELECT e.flow, e.held_out, (SELECT COUNT(*) ${after}) AS orders, (SELECT COALESCE(SUM(o.total), 0) ${after}) AS revenue
         FROM (SELECT e.*, COALESCE(w.window_s, ${ATTRIBUTION_WINDOW_MS / 1000}) AS window_s FROM enrollments e
               LEFT JOIN (${flows.length ? windows.sql : 'SELECT NULL AS flow_key, NULL AS window_s'}) w ON w.flow_key = e.flow
               WHERE e.shop_id = ? AND e.entered_at >= ? AND e.entered_at < ?) e) x
     GROUP BY flow, held_out ORDER BY flow, held_out`,
    [[...PAID], [...PAID], ...(flows.length ? windows.params : []), shopId, from, to],
  );
  const byFlow = new Map<string, { messaged: RowDataPacket | undefined; held: RowDataPacket | undefined }>();
  for (const r of rows) {
    const entry = byFlow.get(String(r.flow)) ?? { messaged: undefined, held: undefined };
    entry[r.held_out ? 'held' : 'messaged'] = r;
    byFlow.set(String(r.flow), entry);
  }
  return [...byFlow.entries()].map(([flow, { messaged, held }]) => {
    const m = { n: Number(messaged?.n ?? 0), orders: Number(messaged?.converted ?? 0), revenue: Number(messaged?.revenue ?? 0) };
    const h = { n: Number(held?.n ?? 0), orders: Number(held?.converted ?? 0), revenue: Number(held?.revenue ?? 0) };
    const heldRate = h.n > 0 ? h.orders / h.n : null;
    return {
      flow,
      name: names.get(flow) ?? flow,
      entered: m.n + h.n,
      messaged: m.n,
      heldOut: h.n,
      orders: m.orders,
      revenue: money(m.revenue),
      heldOutOrders: h.orders,
      heldOutRevenue: money(h.revenue),
      conversion: m.n > 0 ? m.orders / m.n : 0,
      heldOutConversion: heldRate,
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
  coupons: { issued: number; redeemed: number; revenue: string; byFlow: Array<{ flow: string | null; step: number | null; issued: number; redeemed: number }> };
  repurchases: number;
};

/**
 * The customer side of the reports: what each flow did against its hold-out, revenue per flow
 * step and channel (the last message before the payment), per segment of the buyer, the personal
 * coupons issued and redeemed, and the repurchases a message to a customer brought.
 */
export async function customerReport(db: Queryable, shopId: number, from: Date, to: Date): Promise<CustomerReport> {
  const [byStep] = await db.query<RowDataPacket[]>(
    `SELECT e.flow, m.step, m.channel, COUNT(*) AS sent,
            (SELECT COUNT(*) FROM attributions a WHERE a.shop_id = e.shop_id AND a.flow = e.flow AND a.step = m.step AND a.channel = m.channel AND a.paid_at >= ? AND a.paid_at < ?) AS orders,
            (SELECT COALESCE(SUM(a.revenue), 0) FROM attributions a WHERE a.shop_id = e.shop_id AND a.flow = e.flow AND a.step = m.step AND a.channel = m.channel AND a.paid_at >= ? AND a.paid_at < ?) AS revenue
       FROM outbox m JOIN enrollments e ON e.id = m.enrollment_id
      WHERE m.shop_id = ? AND m.status = 'sent' AND m.sent_at >= ? AND m.sent_at < ?
      GROUP BY e.flow, m.step, m.channel ORDER BY e.flow, m.step, m.channel`,
    [from, to, from, to, shopId, from, to],
  );
  const [bySegment] = await db.query<RowDataPacket[]>(
    `SELECT t.tag, COUNT(*) AS orders, SUM(a.revenue) AS revenue
       FROM attributions a JOIN orders o ON o.shop_id = a.shop_id AND o.order_id = a.order_id
       JOIN customer_tags t ON t.shop_id = a.shop_id AND t.customer_key = LOWER(TRIM(o.email))
      WHERE a.shop_id = ? AND a.outbox_id IS NOT NULL AND a.paid_at >= ? AND a.paid_at < ?
      GROUP BY t.tag ORDER BY SUM(a.revenue) DESC, t.tag`,
    [shopId, from, to],
  );
  const [coupons] = await db.query<RowDataPacket[]>(
    `SELECT e.flow, c.step, SUM(c.created_at >= ? AND c.created_at < ?) AS issued, SUM(c.order_id IS NOT NULL AND c.used_at >= ? AND c.used_at < ?) AS redeemed,
            COALESCE(SUM(IF(c.used_at >= ? AND c.used_at < ?, o.total, 0)), 0) AS revenue
       FROM coupons c LEFT JOIN enrollments e ON e.id = c.enrollment_id LEFT JOIN orders o ON o.shop_id = c.shop_id AND o.order_id = c.order_id
      WHERE c.shop_id = ? AND ((c.created_at >= ? AND c.created_at < ?) OR (c.used_at >= ? AND c.used_at < ?))
      GROUP BY e.flow, c.step ORDER BY e.flow, c.step`,
    [from, to, from, to, from, to, shopId, from, to, from, to],
  );
  const [[repurchases]] = (await db.query(
    `SELECT COUNT(*) AS n FROM attributions a JOIN enrollments e ON e.id = a.enrollment_id
      WHERE a.shop_id = ? AND a.outbox_id IS NOT NULL AND e.subject_type IN ('customer', 'event') AND a.paid_at >= ? AND a.paid_at < ?`,
    [shopId, from, to],
  )) as unknown as [[{ n: number }]];
  const sum = (key: string) => coupons.reduce((s, r) => s + Number(r[key] ?? 0), 0);
  return {
    byFlow: await flowIncrementality(db, shopId, from, to),
    byStep: byStep.map((r) => ({ flow: String(r.flow), step: Number(r.step), channel: String(r.channel), sent: Number(r.sent), orders: Number(r.orders), revenue: money(r.revenue) })),
    bySegment: bySegment.map((r) => ({ tag: String(r.tag), orders: Number(r.orders), revenue: money(r.revenue) })),
    coupons: {
      issued: sum('issued'),
      redeemed: sum('redeemed'),
      revenue: money(sum('revenue')),
      byFlow: coupons.map((r) => ({ flow: r.flow === null ? null : String(r.flow), step: r.step === null ? null : Number(r.step), issued: Number(r.issued), redeemed: Number(r.redeemed) })),
    },
    repurchases: Number(repurchases.n),
  };
}
