import { __ } from '@wordpress/i18n';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { inTransaction } from '../db/transaction.ts';
import { NUMBER_RANGES } from '../flows/definition/flow-texts.ts';
import { rangedNumber } from '../flows/definition/ranged-number.ts';
import { loadDocument, saveDocument } from '../woo/shop-profile.ts';
import { countCustomers, lockCustomer, totalSpentAtRank } from './customer-store.ts';
import { deleteComputedTags, replaceManualTags, tagByComputedRule, tagByCustomSegment } from './tag-store.ts';

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
    tag: segmentTag.refine((t) => !(COMPUTED_TAGS as readonly string[]).includes(t), {
      error: () => __('that name is one of the built-in segments', 'comeback'),
    }),
    minOrders: rangedNumber(NUMBER_RANGES.minOrders).optional(),
    minSpent: z.number().min(0).optional(),
    maxSpent: z.number().min(0).optional(),
    /** Bought within this many days. */
    boughtWithinDays: rangedNumber(NUMBER_RANGES.segmentDays).optional(),
    /** Has not bought for at least this many days. */
    notBoughtForDays: rangedNumber(NUMBER_RANGES.segmentDays).optional(),
  })
  .refine((r) => Object.keys(r).length > 1, { error: () => __('a segment needs at least one rule', 'comeback') });
export type CustomSegment = z.infer<typeof customSegmentSchema>;

/** The merchant's thresholds for the computed tags, and their own rule-based segments. */
export const segmentRulesSchema = z.object({
  /** A single purchase within this many days. */
  newDays: rangedNumber(NUMBER_RANGES.segmentDays).default(30),
  /** Any purchase within this many days. */
  recentDays: rangedNumber(NUMBER_RANGES.segmentDays).default(30),
  /** Days since the last purchase past the customer's own average gap times this. */
  atRiskFactor: rangedNumber(NUMBER_RANGES.atRiskFactor).default(1.5),
  /** No purchase for this many days: inactive (and no longer at risk). */
  inactiveDays: rangedNumber(NUMBER_RANGES.segmentDays).default(180),
  /** The top spenders, this share of the shop's customers. */
  vipTopPercent: rangedNumber(NUMBER_RANGES.vipTopPercent).default(10),
  /** The gap assumed for a customer with a single purchase. */
  defaultIntervalDays: rangedNumber(NUMBER_RANGES.segmentDays).default(60),
  custom: z
    .array(customSegmentSchema)
    .max(20)
    .default([])
    .refine((list) => new Set(list.map((r) => r.tag)).size === list.length, {
      error: () => __('two segments have the same tag', 'comeback'),
    }),
});
export type SegmentRules = z.infer<typeof segmentRulesSchema>;
export const DEFAULT_SEGMENT_RULES: SegmentRules = segmentRulesSchema.parse({});

/**
 * Recomputes a shop's computed tags from `customers`, in one transaction so a reader never sees a
 * shop without tags; manual tags are kept (and a manual tag of the same name wins).
 */
export async function recomputeSegmentTags(
  pool: Pool,
  shopId: number,
  rules: SegmentRules,
  now: Date,
): Promise<Record<ComputedTag, number>> {
  return inTransaction(pool, async (conn) => {
    // The smallest total still among the top share; ties at it are all VIPs.
    const vipCount = Math.ceil(((await countCustomers(conn, shopId)) * rules.vipTopPercent) / 100);
    const vipFloor = vipCount > 0 ? await totalSpentAtRank(conn, shopId, vipCount) : null;
    await deleteComputedTags(conn, shopId);
    const counts = {} as Record<ComputedTag, number>;
    for (const tag of COMPUTED_TAGS) counts[tag] = await tagByComputedRule(conn, shopId, tag, rules, vipFloor, now);
    for (const segment of rules.custom) await tagByCustomSegment(conn, shopId, segment, now);
    return counts;
  });
}

/**
 * The merchant's manual tags for one customer, in place of those they had. False when the shop
 * has no such customer. Their row is locked meanwhile: a rebuild cannot remove them between the look and the write.
 */
export async function setManualTags(pool: Pool, shopId: number, customerKey: string, tags: string[]): Promise<boolean> {
  return inTransaction(pool, async (conn) => {
    if (!(await lockCustomer(conn, shopId, customerKey))) return false;
    await replaceManualTags(conn, shopId, customerKey, tags);
    return true;
  });
}

/** The shop's rules (settings document 'segments'), the defaults until the merchant saves some. */
export const loadSegmentRules = async (pool: Pool, shopId: number): Promise<SegmentRules> =>
  (await loadDocument(pool, shopId, 'segments', segmentRulesSchema)) ?? DEFAULT_SEGMENT_RULES;
export const saveSegmentRules = (pool: Pool, shopId: number, rules: SegmentRules) =>
  saveDocument(pool, shopId, 'segments', segmentRulesSchema, rules);
