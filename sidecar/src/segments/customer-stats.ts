import type { Pool, PoolConnection } from 'mysql2/promise';
import { PAID_STATUSES } from '../events/order-status.ts';
import { loadSegmentRules } from './segment-tags.ts';

const DAY_SECONDS = 86_400;

export type CustomerStatsOptions = {
  /** The moment of this rebuild: rows it did not touch (no paid order left) are removed. */
  now: Date;
  /** Days until the next purchase expected of a customer with a single one. */
  defaultIntervalDays: number;
  /** Only this customer (an order of theirs changed): their row is brought up to date at once. */
  customerKey?: string;
};

/**
 * Rebuilds a shop's customers from its paid orders in one INSERT … SELECT, so a million
 * customers never pass through Node. A purchase counts at its payment time (its creation when
 * WooCommerce recorded none, as for cash on delivery). The average gap is the span between the
 * first and the last purchase over the gaps in it, which equals the mean of the gaps.
 */
export async function rebuildCustomerStats(pool: Pool | PoolConnection, shopId: number, options: CustomerStatsOptions): Promise<{ customers: number }> {
  const paid = [...PAID_STATUSES];
  const purchasedAt = 'COALESCE(date_paid, date_created, date_modified)';
  const avgGap = `IF(COUNT(*) > 1, TIMESTAMPDIFF(SECOND, MIN(${purchasedAt}), MAX(${purchasedAt})) / ${DAY_SECONDS} / (COUNT(*) - 1), NULL)`;
  await pool.query(
    `INSERT INTO customers (shop_id, customer_key, email, phone, last_order_id, orders_count, total_spent, first_purchase_at, last_purchase_at, avg_gap_days, expected_next_at, updated_at)
     SELECT shop_id, LOWER(TRIM(email)), MAX(email),
            NULLIF(SUBSTRING_INDEX(GROUP_CONCAT(COALESCE(phone, '') ORDER BY ${purchasedAt} DESC SEPARATOR '\\n'), '\\n', 1), ''),
            MAX(order_id), COUNT(*), SUM(total), MIN(${purchasedAt}), MAX(${purchasedAt}), ${avgGap},
            MAX(${purchasedAt}) + INTERVAL ROUND(COALESCE(${avgGap}, ?) * ${DAY_SECONDS}) SECOND,
            ?
       FROM orders
      WHERE shop_id = ? AND status IN (?) AND email IS NOT NULL AND TRIM(email) <> ''${options.customerKey ? ' AND email = ? AND LOWER(TRIM(email)) = ?' : ''}
      GROUP BY shop_id, LOWER(TRIM(email))
     ON DUPLICATE KEY UPDATE email = VALUES(email), phone = VALUES(phone), last_order_id = VALUES(last_order_id), orders_count = VALUES(orders_count),
       total_spent = VALUES(total_spent), first_purchase_at = VALUES(first_purchase_at), last_purchase_at = VALUES(last_purchase_at),
       avg_gap_days = VALUES(avg_gap_days), expected_next_at = VALUES(expected_next_at), updated_at = VALUES(updated_at)`,
    [options.defaultIntervalDays, options.now, shopId, paid, ...(options.customerKey ? [options.customerKey, options.customerKey] : [])],
  );
  // A customer whose every paid order was refunded or cancelled since is no customer any more.
  if (options.customerKey) {
    await pool.query('DELETE FROM customers WHERE shop_id = ? AND customer_key = ? AND updated_at < ?', [shopId, options.customerKey, options.now]);
    return { customers: 1 };
  }
  // Strictly older: a customer refreshed by an order meanwhile (a later stamp) stays.
  await pool.query('DELETE FROM customers WHERE shop_id = ? AND updated_at < ?', [shopId, options.now]);
  await pool.query('DELETE FROM customer_tags WHERE shop_id = ? AND customer_key NOT IN (SELECT customer_key FROM customers WHERE shop_id = ?)', [shopId, shopId]);
  const [[row]] = (await pool.query('SELECT COUNT(*) AS n FROM customers WHERE shop_id = ?', [shopId])) as unknown as [[{ n: number }]];
  return { customers: Number(row.n) };
}

/**
 * One customer brought up to date when an order of theirs is paid, refunded or cancelled: the
 * win-back re-check and the next lapse see the purchase at once, not at the next hourly rebuild
 * (which also recomputes the tags).
 */
export async function refreshCustomer(db: Pool | PoolConnection, shopId: number, email: string, now: Date): Promise<void> {
  const { defaultIntervalDays } = await loadSegmentRules(db as Pool, shopId);
  await rebuildCustomerStats(db, shopId, { now, defaultIntervalDays, customerKey: email.trim().toLowerCase() });
}
