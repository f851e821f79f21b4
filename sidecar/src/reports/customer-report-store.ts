import { derivedTable } from '../db/batch-sql.ts';
import { selectOne, selectRows, type Queryable } from '../db/queryable.ts';
import { parseFlowDefinition, type FlowDefinition } from '../flows/definition/flow-definition.ts';
import { PAID_STATUSES } from '../events/order-status.ts';

/** What the customer report reads: entrants and what they bought, sends and credited orders per step, per segment, coupons. */

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
 * One side of a flow's entrants (messaged, or held out): how many entered, how many were reached
 * (a message sent; for the hold-out, the step they were held out of), how many of those bought,
 * and the orders and revenue credited to them.
 */
export type EntrantGroup = {
  flow: string;
  heldOut: boolean;
  entered: number;
  reached: number;
  converted: number;
  orders: number;
  revenue: number;
};

/**
 * Those who entered a flow in [from, to), split by hold-out, and the paid orders credited to them.
 * An entrant is reached at its first message sent (a [Test] send belongs to no enrollment), or,
 * held out, at the first step it was held out of; one stopped before that (its order paid within
 * the hour) was never messaged and is neither. A paid order counts once: for the entrant the
 * payment was credited to when it was (attributions), else for the customer's entrant touched
 * last before it (message or held-out step), paid after that touch and within the entrant's
 * window (`windowSeconds` by flow, else `defaultWindowSeconds`, from entering). A purchase counts
 * at its payment, or its creation when paid on delivery, as in the customer stats.
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
  return selectRows(
    db,
    `WITH entrants AS (
       SELECT e.id, e.flow, e.held_out, e.customer_key, e.entered_at, COALESCE(w.window_s, ?) AS window_s FROM enrollments e
         LEFT JOIN (${windowSeconds.size ? windows.sql : 'SELECT NULL AS flow_key, NULL AS window_s'}) w ON w.flow_key = e.flow
        WHERE e.shop_id = ? AND e.entered_at >= ? AND e.entered_at < ?),
     touches AS (
       SELECT m.enrollment_id AS id, m.sent_at AS at FROM outbox m JOIN entrants x ON x.id = m.enrollment_id
        WHERE m.status = 'sent' AND NOT x.held_out
       UNION ALL
       SELECT l.enrollment_id, l.at FROM step_log l JOIN entrants x ON x.id = l.enrollment_id WHERE l.outcome = 'held_out' AND x.held_out),
     reached AS (SELECT id, MIN(at) AS first_at FROM touches GROUP BY id),
     candidates AS (
       SELECT o.order_id, o.total, x.id AS enrollment_id,
              (SELECT MAX(t.at) FROM touches t WHERE t.id = x.id AND t.at < ${purchasedAt} + INTERVAL 1 SECOND) AS last_touch
         FROM entrants x JOIN reached r ON r.id = x.id
         JOIN orders o ON o.shop_id = ? AND o.email = x.customer_key AND o.status IN (?)
         LEFT JOIN attributions a ON a.shop_id = o.shop_id AND a.order_id = o.order_id
        WHERE r.first_at < ${purchasedAt} + INTERVAL 1 SECOND AND ${purchasedAt} > x.entered_at
          AND ${purchasedAt} <= x.entered_at + INTERVAL x.window_s SECOND AND (a.enrollment_id IS NULL OR a.enrollment_id = x.id)),
     credited AS (
       SELECT enrollment_id, COUNT(*) AS orders, SUM(total) AS revenue FROM (
         SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.order_id ORDER BY c.last_touch DESC, c.enrollment_id DESC) AS nth FROM candidates c) ranked
        WHERE nth = 1 GROUP BY enrollment_id)
     SELECT x.flow, x.held_out, COUNT(*) AS entered, COUNT(r.id) AS reached, COUNT(c.enrollment_id) AS converted,
            COALESCE(SUM(c.orders), 0) AS orders, COALESCE(SUM(c.revenue), 0) AS revenue
       FROM entrants x LEFT JOIN reached r ON r.id = x.id LEFT JOIN credited c ON c.enrollment_id = x.id
      GROUP BY x.flow, x.held_out ORDER BY x.flow, x.held_out`,
    [defaultWindowSeconds, ...(windowSeconds.size ? windows.params : []), shopId, from, to, shopId, [...PAID_STATUSES]],
    (r) => ({
      flow: r.str('flow'),
      heldOut: r.bool('held_out'),
      entered: r.num('entered'),
      reached: r.num('reached'),
      converted: r.num('converted'),
      orders: r.num('orders'),
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
