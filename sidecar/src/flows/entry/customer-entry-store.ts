import { execute, selectRows, type Queryable } from '../../db/queryable.ts';
import type { FlowDefinition } from '../definition/flow-definition.ts';
import type { LoyaltyEventRef } from './customer-entry.ts';

/**
 * What customer entry reads besides enrollments: the audience rules and the lapsed customers as
 * SQL over `customers c`, a customer's segment tags, birthdays from customer_profiles, and the
 * loyalty events still waiting to enter their flows. The rules are in customer-entry.ts and
 * enrollment.ts.
 */

const DAY_S = 86_400;

/**
 * The audience rules of a flow as SQL over `customers c`: segment tags (any of), excluded tags,
 * total spent (minTotal), billing countries (of their latest order). So entering a million
 * customers into a campaign, or counting them first, never loads them into Node.
 */
export function customerAudienceSql(audience: FlowDefinition['audience']): { join: string; where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (audience.tags.length) {
    where.push('EXISTS (SELECT 1 FROM customer_tags t WHERE t.shop_id = c.shop_id AND t.customer_key = c.customer_key AND t.tag IN (?))');
    params.push(audience.tags);
  }
  if (audience.excludeTags.length) {
    where.push(
      'NOT EXISTS (SELECT 1 FROM customer_tags x WHERE x.shop_id = c.shop_id AND x.customer_key = c.customer_key AND x.tag IN (?))',
    );
    params.push(audience.excludeTags);
  }
  if (audience.minTotal !== undefined) {
    where.push('c.total_spent >= ?');
    params.push(audience.minTotal);
  }
  let join = '';
  if (audience.countries.length) {
    join = 'JOIN orders lo ON lo.shop_id = c.shop_id AND lo.order_id = c.last_order_id';
    where.push("JSON_VALUE(lo.snapshot, '$.billing.country') IN (?)");
    params.push(audience.countries);
  }
  return { join, where: where.length ? ` AND ${where.join(' AND ')}` : '', params };
}

/** What makes a customer lapsed for one win-back flow. */
export type LapseRule = {
  flow: string;
  factor: number;
  minDays: number;
  defaultIntervalDays: number;
  audience: FlowDefinition['audience'];
};

/**
 * The shop's customers lapsed by `now` and not yet entered for this lapse, as the rows
 * enterCustomersFromSql takes (subject_id naming the customer and last purchase, customer_key,
 * anchor_at: the lapse, or `now` for a lapse older than `recent`; position: newest lapse first).
 * A customer with an active enrollment in the flow is left out.
 */
export function lapsedCustomersSql(shopId: number, rule: LapseRule, when: { now: Date; recent: Date }): { sql: string; params: unknown[] } {
  const audience = customerAudienceSql(rule.audience);
  return {
    // A lapse entered before (finished or not) is skipped here, by the unique subject key's
    // index, rather than by the INSERT IGNORE: every 15 minutes, most lapsed customers are.
    sql: `SELECT c.subject_id, c.customer_key, IF(c.lapse_at >= ?, c.lapse_at, ?) AS anchor_at, ROW_NUMBER() OVER (ORDER BY c.lapse_at DESC, c.id) AS position
            FROM (SELECT c.*, c.last_purchase_at + INTERVAL ROUND(GREATEST(?, COALESCE(c.avg_gap_days, ?) * ?) * ${DAY_S}) SECOND AS lapse_at,
                         CONCAT(c.id, ':', TIMESTAMPDIFF(SECOND, '1970-01-01', c.last_purchase_at)) AS subject_id
                    FROM customers c WHERE c.shop_id = ?) c ${audience.join}
           WHERE c.lapse_at <= ?${audience.where}
             AND NOT EXISTS (SELECT 1 FROM enrollments a WHERE a.shop_id = c.shop_id AND a.flow = ? AND a.subject_type = 'customer' AND a.subject_id = c.subject_id)
             AND NOT EXISTS (SELECT 1 FROM enrollments b WHERE b.shop_id = c.shop_id AND b.customer_key = c.customer_key AND b.status = 'active' AND b.flow = ?)`,
    params: [
      when.recent,
      when.now,
      rule.minDays,
      rule.defaultIntervalDays,
      rule.factor,
      shopId,
      when.now,
      ...audience.params,
      rule.flow,
      rule.flow,
    ],
  };
}

/** The customer's segment tags. */
export async function customerTags(db: Queryable, shopId: number, customerKey: string): Promise<string[]> {
  return selectRows(db, 'SELECT tag FROM customer_tags WHERE shop_id = ? AND customer_key = ?', [shopId, customerKey], (r) => r.str('tag'));
}

/** The shop's customers born on one of these [month, day] pairs. */
export async function customersBornOn(
  db: Queryable,
  shopId: number,
  days: number[][],
): Promise<Array<{ customerKey: string; month: number; day: number }>> {
  return selectRows(
    db,
    'SELECT customer_key, birth_month, birth_day FROM customer_profiles WHERE shop_id = ? AND (birth_month, birth_day) IN (?)',
    [shopId, days],
    (r) => ({
      customerKey: r.str('customer_key'),
      month: r.num('birth_month'),
      day: r.num('birth_day'),
    }),
  );
}

/** Up to 500 loyalty events stored before `storedBefore` and not yet entered into their flows, oldest first. */
export async function loyaltyEventsNotEntered(
  db: Queryable,
  storedBefore: Date,
): Promise<Array<{ shopId: number; event: LoyaltyEventRef }>> {
  return selectRows(
    db,
    'SELECT id, shop_id, type, customer_key, payload FROM loyalty_events WHERE flows_entered_at IS NULL AND created_at < ? ORDER BY id LIMIT 500',
    [storedBefore],
    (r) => ({
      shopId: r.num('shop_id'),
      event: { id: r.num('id'), type: r.str('type'), customerKey: r.str('customer_key'), payload: r.json<object>('payload') ?? {} },
    }),
  );
}

export async function markLoyaltyEventEntered(db: Queryable, eventId: number, now: Date): Promise<void> {
  await execute(db, 'UPDATE loyalty_events SET flows_entered_at = ? WHERE id = ?', [now, eventId]);
}
