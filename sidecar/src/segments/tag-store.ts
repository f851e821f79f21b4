import { execute, selectRows, type Queryable } from '../db/queryable.ts';
import type { ComputedTag, CustomSegment, SegmentRules } from './segment-tags.ts';

/** The `customer_tags` table: computed tags, the merchant's rule-based segments and manual tags. */

export type TagCount = { tag: string; manual: boolean; customers: number };

type Condition = { where: string; params: unknown[] };

/** Removes the shop's computed and rule-based tags; manual ones stay. */
export async function deleteComputedTags(db: Queryable, shopId: number): Promise<void> {
  await execute(db, 'DELETE FROM customer_tags WHERE shop_id = ? AND NOT manual', [shopId]);
}

/**
 * Gives a computed tag to the customers its rule selects at `now`; `vipFloor` is the smallest
 * total still among the top spenders (null: nobody is a VIP). Answers how many got it (a manual
 * tag of the same name wins: that customer is not counted).
 */
export async function tagByComputedRule(
  db: Queryable,
  shopId: number,
  tag: ComputedTag,
  rules: SegmentRules,
  vipFloor: string | null,
  now: Date,
): Promise<number> {
  return tagCustomersWhere(db, shopId, tag, now, computedRule(tag, rules, vipFloor, now));
}

/** Gives a rule-based segment's tag to the customers all its rules hold for at `now`. */
export async function tagByCustomSegment(db: Queryable, shopId: number, segment: CustomSegment, now: Date): Promise<number> {
  return tagCustomersWhere(db, shopId, segment.tag, now, customSegmentRule(segment, now));
}

async function tagCustomersWhere(db: Queryable, shopId: number, tag: string, now: Date, condition: Condition): Promise<number> {
  const result = await execute(
    db,
    `INSERT IGNORE INTO customer_tags (shop_id, customer_key, tag, manual, created_at)
     SELECT shop_id, customer_key, ?, FALSE, ? FROM customers WHERE shop_id = ? AND ${condition.where}`,
    [tag, now, shopId, ...condition.params],
  );
  return result.affectedRows;
}

function computedRule(tag: ComputedTag, rules: SegmentRules, vipFloor: string | null, now: Date): Condition {
  const since = `TIMESTAMPDIFF(SECOND, last_purchase_at, ?) / 86400`;
  switch (tag) {
    case 'new':
      return { where: 'orders_count = 1 AND first_purchase_at >= ? - INTERVAL ? DAY', params: [now, rules.newDays] };
    case 'recent-buyer':
      return { where: 'last_purchase_at >= ? - INTERVAL ? DAY', params: [now, rules.recentDays] };
    case 'at-risk':
      return {
        where: `${since} > COALESCE(avg_gap_days, ?) * ? AND ${since} <= ?`,
        params: [now, rules.defaultIntervalDays, rules.atRiskFactor, now, rules.inactiveDays],
      };
    case 'inactive':
      return { where: `${since} > ?`, params: [now, rules.inactiveDays] };
    case 'vip':
      return vipFloor === null ? { where: 'FALSE', params: [] } : { where: 'total_spent >= ?', params: [vipFloor] };
  }
}

function customSegmentRule(segment: CustomSegment, now: Date): Condition {
  const parts: Array<[string, unknown[]]> = [];
  if (segment.minOrders !== undefined) parts.push(['orders_count >= ?', [segment.minOrders]]);
  if (segment.minSpent !== undefined) parts.push(['total_spent >= ?', [segment.minSpent]]);
  if (segment.maxSpent !== undefined) parts.push(['total_spent <= ?', [segment.maxSpent]]);
  if (segment.boughtWithinDays !== undefined) parts.push(['last_purchase_at >= ? - INTERVAL ? DAY', [now, segment.boughtWithinDays]]);
  if (segment.notBoughtForDays !== undefined) parts.push(['last_purchase_at < ? - INTERVAL ? DAY', [now, segment.notBoughtForDays]]);
  return { where: parts.map((p) => p[0]).join(' AND '), params: parts.flatMap((p) => p[1]) };
}

/** Which of these names some customer of the shop carries as a manual tag. */
export async function manualTagsAmong(db: Queryable, shopId: number, tags: string[]): Promise<Set<string>> {
  // '' keeps IN (…) valid for an empty list; no tag is ever named ''.
  const found = await selectRows(
    db,
    'SELECT DISTINCT tag FROM customer_tags WHERE shop_id = ? AND manual AND tag IN (?)',
    [shopId, ['', ...tags]],
    (r) => r.str('tag'),
  );
  return new Set(found);
}

/** Puts these manual tags in place of the customer's manual tags (a computed tag never shares a name with a manual one, so nothing collides). */
export async function replaceManualTags(db: Queryable, shopId: number, customerKey: string, tags: string[]): Promise<void> {
  await execute(db, 'DELETE FROM customer_tags WHERE shop_id = ? AND customer_key = ? AND manual', [shopId, customerKey]);
  if (tags.length)
    await execute(db, 'INSERT INTO customer_tags (shop_id, customer_key, tag, manual) VALUES ?', [
      [...new Set(tags)].map((t) => [shopId, customerKey, t, true]),
    ]);
}

/** Customers per tag, computed and rule-based ones first, each by name. */
export async function tagCounts(db: Queryable, shopId: number): Promise<TagCount[]> {
  return selectRows(
    db,
    'SELECT tag, manual, COUNT(*) AS n FROM customer_tags WHERE shop_id = ? GROUP BY tag, manual ORDER BY manual, tag',
    [shopId],
    (r) => ({ tag: r.str('tag'), manual: r.bool('manual'), customers: r.num('n') }),
  );
}
