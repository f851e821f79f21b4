import { derivedTable } from '../db/batch-sql.ts';
import { selectOne, selectRows, type Queryable } from '../db/queryable.ts';
import { parseFlowDefinition, type FlowDefinition } from '../flows/definition/flow-definition.ts';
import { PAID_STATUSES } from '../events/order-status.ts';

/** What the customer report reads: entrants and what they bought, sends and credited orders per step, per segment, coupons. */

/** One side of a flow's entrants (messaged, or held out) and how many of them bought in their window. */
export type EntrantGroup = { flow: string; heldOut: boolean; entrants: number; converted: number; revenue: number };

/** The shop's saved flows at their current version. */
export async function currentFlowDefinitions(db: Queryable, shopId: number): Promise<Array<{ key: string; definition: FlowDefinition }>> {
  return selectRows(
    db,
    `SELECT f.flow_key, v.definition FROM flows f JOIN flow_versions v ON v.shop_id = f.shop_id AND v.flow_key = f.flow_key AND v.version = f.version WHERE f.shop_id = ?`,
    [shopId],
    (r) => ({ key: r.str('flow_key'), definition: parseFlowDefinition(r.json('definition')) }),
  );
}

/**
 * Those who entered a flow in [from, to), split by hold-out, and how many of them paid an order
 * after entering and within their flow's window (`windowSeconds` by flow, else
 * `defaultWindowSeconds`), with the revenue. A purchase counts at its payment, or its creation
 * when paid on delivery, as in the customer stats.
 */
export async function entrantsAndPurchases(
  db: Queryable,
  shopId: number,
  from: Date,
  to: Date,
  windowSeconds: Map<string, number>,
  defaultWindowSeconds: number,
): Promise<EntrantGroup[]> {
  const windows = derivedTable(['flow_key', 'window_s'], [...windowSeconds]);
  const purchasedAt = 'COALESCE(o.date_paid, o.date_created)';
  const after = `FROM orders o WHERE o.shop_id = e.shop_id AND o.email = e.customer_key AND o.status IN (?)
                   AND ${purchasedAt} > e.entered_at AND ${purchasedAt} <= e.entered_at + INTERVAL e.window_s SECOND`;
  return selectRows(
    db,
    `SELECT flow, held_out, COUNT(*) AS n, SUM(orders > 0) AS converted, SUM(revenue) AS revenue FROM (
       SELECT e.flow, e.held_out, (SELECT COUNT(*) ${after}) AS orders, (SELECT COALESCE(SUM(o.total), 0) ${after}) AS revenue
         FROM (SELECT e.*, COALESCE(w.window_s, ${defaultWindowSeconds}) AS window_s FROM enrollments e
               LEFT JOIN (${windowSeconds.size ? windows.sql : 'SELECT NULL AS flow_key, NULL AS window_s'}) w ON w.flow_key = e.flow
               WHERE e.shop_id = ? AND e.entered_at >= ? AND e.entered_at < ?) e) x
     GROUP BY flow, held_out ORDER BY flow, held_out`,
    [[...PAID_STATUSES], [...PAID_STATUSES], ...(windowSeconds.size ? windows.params : []), shopId, from, to],
    (r) => ({
      flow: r.str('flow'),
      heldOut: r.bool('held_out'),
      entrants: r.num('n'),
      converted: r.num('converted'),
      revenue: r.num('revenue'),
    }),
  );
}

/** Per flow, step and channel: messages sent in the range, and the orders (and revenue) paid in it credited to that step. */
export async function sendsAndOrdersPerStep(db: Queryable, shopId: number, from: Date, to: Date) {
  return selectRows(
    db,
    `SELECT e.flow, m.step, m.channel, COUNT(*) AS sent,
            (SELECT COUNT(*) FROM attributions a WHERE a.shop_id = e.shop_id AND a.flow = e.flow AND a.step = m.step AND a.channel = m.channel AND a.paid_at >= ? AND a.paid_at < ?) AS orders,
            (SELECT COALESCE(SUM(a.revenue), 0) FROM attributions a WHERE a.shop_id = e.shop_id AND a.flow = e.flow AND a.step = m.step AND a.channel = m.channel AND a.paid_at >= ? AND a.paid_at < ?) AS revenue
       FROM outbox m JOIN enrollments e ON e.id = m.enrollment_id
      WHERE m.shop_id = ? AND m.status = 'sent' AND m.sent_at >= ? AND m.sent_at < ?
      GROUP BY e.flow, m.step, m.channel ORDER BY e.flow, m.step, m.channel`,
    [from, to, from, to, shopId, from, to],
    (r) => ({
      flow: r.str('flow'),
      step: r.num('step'),
      channel: r.str('channel'),
      sent: r.num('sent'),
      orders: r.num('orders'),
      revenue: r.num('revenue'),
    }),
  );
}

/** Orders credited to a message, per tag of the buyer, the best earning first. */
export async function creditedOrdersPerTag(db: Queryable, shopId: number, from: Date, to: Date) {
  return selectRows(
    db,
    `SELECT t.tag, COUNT(*) AS orders, SUM(a.revenue) AS revenue
       FROM attributions a JOIN orders o ON o.shop_id = a.shop_id AND o.order_id = a.order_id
       JOIN customer_tags t ON t.shop_id = a.shop_id AND t.customer_key = LOWER(TRIM(o.email))
      WHERE a.shop_id = ? AND a.outbox_id IS NOT NULL AND a.paid_at >= ? AND a.paid_at < ?
      GROUP BY t.tag ORDER BY SUM(a.revenue) DESC, t.tag`,
    [shopId, from, to],
    (r) => ({ tag: r.str('tag'), orders: r.num('orders'), revenue: r.num('revenue') }),
  );
}

/** Personal coupons per flow and step (null: issued outside a flow): issued in the range, redeemed in it, and the redeeming orders' total. */
export async function couponsPerStep(db: Queryable, shopId: number, from: Date, to: Date) {
  return selectRows(
    db,
    `SELECT e.flow, c.step, SUM(c.created_at >= ? AND c.created_at < ?) AS issued, SUM(c.order_id IS NOT NULL AND c.used_at >= ? AND c.used_at < ?) AS redeemed,
            COALESCE(SUM(IF(c.used_at >= ? AND c.used_at < ?, o.total, 0)), 0) AS revenue
       FROM coupons c LEFT JOIN enrollments e ON e.id = c.enrollment_id LEFT JOIN orders o ON o.shop_id = c.shop_id AND o.order_id = c.order_id
      WHERE c.shop_id = ? AND ((c.created_at >= ? AND c.created_at < ?) OR (c.used_at >= ? AND c.used_at < ?))
      GROUP BY e.flow, c.step ORDER BY e.flow, c.step`,
    [from, to, from, to, from, to, shopId, from, to, from, to],
    (r) => ({
      flow: r.strOrNull('flow'),
      step: r.numOrNull('step'),
      issued: r.num('issued'),
      redeemed: r.num('redeemed'),
      revenue: r.num('revenue'),
    }),
  );
}

/** Orders paid in the range credited to a message of a customer flow (a repurchase, not a recovered order). */
export async function countRepurchases(db: Queryable, shopId: number, from: Date, to: Date): Promise<number> {
  const n = await selectOne(
    db,
    `SELECT COUNT(*) AS n FROM attributions a JOIN enrollments e ON e.id = a.enrollment_id
      WHERE a.shop_id = ? AND a.outbox_id IS NOT NULL AND e.subject_type IN ('customer', 'event') AND a.paid_at >= ? AND a.paid_at < ?`,
    [shopId, from, to],
    (r) => r.num('n'),
  );
  return n ?? 0;
}
