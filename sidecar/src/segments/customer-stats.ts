import type { Pool } from 'mysql2/promise';
import type { Queryable } from '../db/queryable.ts';
import {
  countCustomers,
  deleteCustomersStampedBefore,
  deleteTagsOfFormerCustomers,
  upsertCustomersFromPaidOrders,
} from './customer-store.ts';
import { loadSegmentRules } from './segment-tags.ts';

export type CustomerStatsOptions = {
  /** The moment of this rebuild: rows it did not touch (no paid order left) are removed. */
  now: Date;
  /** Days until the next purchase expected of a customer with a single one. */
  defaultIntervalDays: number;
  /** Only this customer (an order of theirs changed): their row is brought up to date at once. */
  customerKey?: string;
};

/**
 * Rebuilds a shop's customers from its paid orders in SQL (customer-store.ts), so a million
 * customers never pass through Node; a customer whose every paid order was refunded or cancelled
 * since is no customer any more.
 */
export async function rebuildCustomerStats(db: Queryable, shopId: number, options: CustomerStatsOptions): Promise<{ customers: number }> {
  await upsertCustomersFromPaidOrders(db, shopId, options);
  if (options.customerKey) {
    await deleteCustomersStampedBefore(db, shopId, options.now, options.customerKey);
    return { customers: 1 };
  }
  // Strictly older: a customer refreshed by an order meanwhile (a later stamp) stays.
  await deleteCustomersStampedBefore(db, shopId, options.now);
  await deleteTagsOfFormerCustomers(db, shopId);
  return { customers: await countCustomers(db, shopId) };
}

/**
 * One customer brought up to date when an order of theirs is paid, refunded or cancelled: the
 * win-back re-check and the next lapse see the purchase at once, not at the next hourly rebuild
 * (which also recomputes the tags).
 */
export async function refreshCustomer(db: Queryable, shopId: number, email: string, now: Date): Promise<void> {
  const { defaultIntervalDays } = await loadSegmentRules(db as Pool, shopId);
  await rebuildCustomerStats(db, shopId, { now, defaultIntervalDays, customerKey: email.trim().toLowerCase() });
}
