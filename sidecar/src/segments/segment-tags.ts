import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { inTransaction } from '../db/transaction.ts';
import { loadDocument, saveDocument } from '../woo/shop-profile.ts';

export const COMPUTED_TAGS = ['new', 'recent-buyer', 'at-risk', 'inactive', 'vip'] as const;

/** A segment's tag, computed, rule-based or manual: what flows and campaigns name as their audience. */
export const segmentTag = z.string().regex(/^[a-z0-9][a-z0-9 _-]{0,63}$/, 'a tag is 1–64 lower-case letters, digits, spaces, "-" or "_"');
export type ComputedTag = (typeof COMPUTED_TAGS)[number];

/**
 * A segment of the merchant's own, by rules over what the orders say (all that are given must
 * hold), e.g. "spent at least 500 in 3 orders or more, and not bought for 60 days".
 */
export const customSegmentSchema = z
  .object({
    tag: segmentTag.refine((t) => !(COMPUTED_TAGS as readonly string[]).includes(t), { message: 'that name is one of the built-in segments' }),
    minOrders: z.number().int().min(1).optional(),
    minSpent: z.number().min(0).optional(),
    maxSpent: z.number().min(0).optional(),
    /** Bought within this many days. */
    boughtWithinDays: z.number().int().min(1).optional(),
    /** Has not bought for at least this many days. */
    notBoughtForDays: z.number().int().min(1).optional(),
  })
  .refine((r) => Object.keys(r).length > 1, { message: 'a segment needs at least one rule' });
export type CustomSegment = z.infer<typeof customSegmentSchema>;

/** The merchant's thresholds for the computed tags, and their own rule-based segments. */
export const segmentRulesSchema = z.object({
  /** A single purchase within this many days. */
  newDays: z.number().int().positive().default(30),
  /** Any purchase within this many days. */
  recentDays: z.number().int().positive().default(30),
  /** Days since the last purchase past the customer's own average gap times this. */
  atRiskFactor: z.number().min(1).default(1.5),
  /** No purchase for this many days: inactive (and no longer at risk). */
  inactiveDays: z.number().int().positive().default(180),
  /** The top spenders, this share of the shop's customers. */
  vipTopPercent: z.number().min(0).max(100).default(10),
  /** The gap assumed for a customer with a single purchase. */
  defaultIntervalDays: z.number().int().positive().default(60),
  custom: z
    .array(customSegmentSchema)
    .max(20)
    .default([])
    .refine((list) => new Set(list.map((r) => r.tag)).size === list.length, { message: 'two segments have the same tag' }),
});
export type SegmentRules = z.infer<typeof segmentRulesSchema>;
export const DEFAULT_SEGMENT_RULES: SegmentRules = segmentRulesSchema.parse({});

/**
 * Recomputes a shop's computed tags from `customers` in SQL, in one transaction so a reader
 * never sees a shop without tags; manual tags are kept (and a manual tag of the same name wins).
 */
export async function recomputeSegmentTags(pool: Pool, shopId: number, rules: SegmentRules, now: Date): Promise<Record<ComputedTag, number>> {
  return inTransaction(pool, async (conn) => {
    // The smallest total still among the top share; ties at it are all VIPs.
    const [[counted]] = (await conn.query('SELECT COUNT(*) AS n FROM customers WHERE shop_id = ?', [shopId])) as unknown as [[{ n: number }]];
    const vipCount = Math.ceil((Number(counted.n) * rules.vipTopPercent) / 100);
    let vipFloor: string | null = null;
    if (vipCount > 0) {
      const [[floor]] = (await conn.query('SELECT total_spent FROM customers WHERE shop_id = ? ORDER BY total_spent DESC LIMIT 1 OFFSET ?', [shopId, vipCount - 1])) as unknown as [[{ total_spent: string }]];
      vipFloor = floor.total_spent;
    }
    const since = `TIMESTAMPDIFF(SECOND, last_purchase_at, ?) / 86400`;
    const rulesSql: Record<ComputedTag, { where: string; params: unknown[] }> = {
      new: { where: 'orders_count = 1 AND first_purchase_at >= ? - INTERVAL ? DAY', params: [now, rules.newDays] },
      'recent-buyer': { where: 'last_purchase_at >= ? - INTERVAL ? DAY', params: [now, rules.recentDays] },
      'at-risk': {
        where: `${since} > COALESCE(avg_gap_days, ?) * ? AND ${since} <= ?`,
        params: [now, rules.defaultIntervalDays, rules.atRiskFactor, now, rules.inactiveDays],
      },
      inactive: { where: `${since} > ?`, params: [now, rules.inactiveDays] },
      vip: { where: vipFloor === null ? 'FALSE' : 'total_spent >= ?', params: vipFloor === null ? [] : [vipFloor] },
    };
    await conn.query('DELETE FROM customer_tags WHERE shop_id = ? AND NOT manual', [shopId]);
    const counts = {} as Record<ComputedTag, number>;
    for (const tag of COMPUTED_TAGS) {
      const [result] = (await conn.query(
        `INSERT IGNORE INTO customer_tags (shop_id, customer_key, tag, manual, created_at)
         SELECT shop_id, customer_key, ?, FALSE, ? FROM customers WHERE shop_id = ? AND ${rulesSql[tag].where}`,
        [tag, now, shopId, ...rulesSql[tag].params],
      )) as unknown as [{ affectedRows: number }];
      counts[tag] = result.affectedRows;
    }
    for (const segment of rules.custom) {
      const { where, params } = customSegmentSql(segment, now);
      await conn.query(
        `INSERT IGNORE INTO customer_tags (shop_id, customer_key, tag, manual, created_at)
         SELECT shop_id, customer_key, ?, FALSE, ? FROM customers WHERE shop_id = ? AND ${where}`,
        [segment.tag, now, shopId, ...params],
      );
    }
    return counts;
  });
}

function customSegmentSql(segment: CustomSegment, now: Date): { where: string; params: unknown[] } {
  const parts: Array<[string, unknown[]]> = [];
  if (segment.minOrders !== undefined) parts.push(['orders_count >= ?', [segment.minOrders]]);
  if (segment.minSpent !== undefined) parts.push(['total_spent >= ?', [segment.minSpent]]);
  if (segment.maxSpent !== undefined) parts.push(['total_spent <= ?', [segment.maxSpent]]);
  if (segment.boughtWithinDays !== undefined) parts.push(['last_purchase_at >= ? - INTERVAL ? DAY', [now, segment.boughtWithinDays]]);
  if (segment.notBoughtForDays !== undefined) parts.push(['last_purchase_at < ? - INTERVAL ? DAY', [now, segment.notBoughtForDays]]);
  return { where: parts.map((p) => p[0]).join(' AND '), params: parts.flatMap((p) => p[1]) };
}

/** The shop's rules (settings document 'segments'), the defaults until the merchant saves some. */
export const loadSegmentRules = async (pool: Pool, shopId: number): Promise<SegmentRules> =>
  (await loadDocument(pool, shopId, 'segments', segmentRulesSchema)) ?? DEFAULT_SEGMENT_RULES;
export const saveSegmentRules = (pool: Pool, shopId: number, rules: SegmentRules) => saveDocument(pool, shopId, 'segments', segmentRulesSchema, rules);
