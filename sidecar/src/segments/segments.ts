import type { Pool } from 'mysql2/promise';
import { withNamedLock } from '../db/named-lock.ts';
import type { OrderChanges } from '../events/order-changes.ts';
import type { Logger } from '../logger.ts';
import { runHistoryImport } from '../woo/history-import.ts';
import type { MerchantNet } from '../woo/merchant-url.ts';
import { loadShopClient } from '../woo/rest-client.ts';
import { rebuildCustomerStats } from './customer-stats.ts';
import { shopsWithOrders } from './customer-store.ts';
import { COMPUTED_TAGS, loadSegmentRules, recomputeSegmentTags } from './segment-tags.ts';
import { tagCounts } from './tag-store.ts';

/** `rules`: one of the merchant's rule-based segments. */
export type SegmentCount = { tag: string; manual: boolean; rules: boolean; customers: number };
/** What a recompute rebuilt: the customers, and the segments' new counts. */
export type SegmentsRecomputed = { customers: number; segments: SegmentCount[] };

/**
 * Customers rebuilt from the shop's paid orders, then their computed tags, with the shop's rules.
 * One rebuild per shop at a time across sidecars: a rebuild removes the customers it did not
 * stamp, so two at once (the hourly job and the merchant's button) would remove each other's.
 */
export async function recomputeSegments(pool: Pool, shopId: number, now: Date): Promise<SegmentsRecomputed> {
  return withNamedLock(pool, `comeback:segments:${shopId}`, 600, async () => {
    const rules = await loadSegmentRules(pool, shopId);
    const { customers } = await rebuildCustomerStats(pool, shopId, { now, defaultIntervalDays: rules.defaultIntervalDays });
    await recomputeSegmentTags(pool, shopId, rules, now);
    return { customers, segments: await segmentCounts(pool, shopId) };
  });
}

/** The shop's order history imported (going on from where a stopped import was), then its customers and segments rebuilt. */
export async function importCustomers(
  pool: Pool,
  shopId: number,
  orderChanges: OrderChanges,
  logger: Logger,
  net: MerchantNet,
): Promise<void> {
  const client = await loadShopClient(pool, shopId, net);
  if (!client) return; // not connected (any more): nothing to read
  const progress = await runHistoryImport(pool, shopId, client, orderChanges);
  const { status, imported, totalOrders, nextPage, totalPages } = progress;
  logger.info({ shopId, status, ordersImported: imported, totalOrders, nextPage, totalPages }, 'order history imported');
  if (status !== 'done') return;
  const { customers } = await recomputeSegments(pool, shopId, new Date());
  logger.info({ shopId, customers }, 'customers and segments rebuilt');
}

/** Every shop that has orders, one after the other (the hourly job). */
export async function recomputeAllShops(pool: Pool, now: Date): Promise<void> {
  for (const shopId of await shopsWithOrders(pool)) await recomputeSegments(pool, shopId, now);
}

/** Live counts: every computed tag (zero too, so the merchant sees it exists), the merchant's rule-based segments, then each manual tag. */
export async function segmentCounts(pool: Pool, shopId: number): Promise<SegmentCount[]> {
  const counts = await tagCounts(pool, shopId);
  const count = (tag: string, manual: boolean) => counts.find((c) => c.tag === tag && c.manual === manual)?.customers ?? 0;
  const custom = (await loadSegmentRules(pool, shopId)).custom.map((c) => c.tag);
  const manualTags = counts.filter((c) => c.manual).map((c) => c.tag);
  return [
    ...COMPUTED_TAGS.map((tag) => ({ tag, manual: false, rules: false, customers: count(tag, false) })),
    ...custom.map((tag) => ({ tag, manual: false, rules: true, customers: count(tag, false) })),
    ...manualTags.map((tag) => ({ tag, manual: true, rules: false, customers: count(tag, true) })),
  ];
}
