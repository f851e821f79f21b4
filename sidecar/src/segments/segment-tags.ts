import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { inTransaction } from '../db/transaction.ts';
import { loadDocument, saveDocument } from '../woo/shop-profile.ts';

/** The merchant's thresholds for the computed tags. */
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
});
export type SegmentRules = z.infer<typeof segmentRulesSchema>;
export const DEFAULT_SEGMENT_RULES: SegmentRules = segmentRulesSchema.parse({});

export const COMPUTED_TAGS = ['new', 'recent-buyer', 'at-risk', 'inactive', 'vip'] as const;
export type ComputedTag = (typeof COMPUTED_TAGS)[number];

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
    return counts;
  });
}

/** The shop's rules (settings document 'segments'), the defaults until the merchant saves some. */
export const loadSegmentRules = async (pool: Pool, shopId: number): Promise<SegmentRules> =>
  (await loadDocument(pool, shopId, 'segments', segmentRulesSchema)) ?? DEFAULT_SEGMENT_RULES;
export const saveSegmentRules = (pool: Pool, shopId: number, rules: SegmentRules) => saveDocument(pool, shopId, 'segments', segmentRulesSchema, rules);
