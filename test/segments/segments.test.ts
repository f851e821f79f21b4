import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { rebuildCustomerStats } from '../../sidecar/src/segments/customer-stats.ts';
import { DEFAULT_SEGMENT_RULES, recomputeSegmentTags } from '../../sidecar/src/segments/segment-tags.ts';
import { createTestDatabase } from '../helpers/database.ts';

const DAY = 86_400_000;
const NOW = new Date('2030-06-15T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);

describe('customers from paid orders and their segment tags, in SQL (hand-computed cases)', async () => {
  const { database } = await createTestDatabase('segments');
  const pool = database.pool;
  let nextOrder = 1;
  const order = async (
    shopId: number,
    email: string | null,
    paidDaysAgo: number,
    total: number,
    status = 'completed',
    phone: string | null = null,
  ) =>
    pool.query(
      'INSERT INTO orders (shop_id, order_id, status, payment_method, total, email, phone, date_paid, date_created, date_modified, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        shopId,
        nextOrder++,
        status,
        'payu',
        total,
        email,
        phone,
        status === 'completed' || status === 'processing' ? daysAgo(paidDaysAgo) : null,
        daysAgo(paidDaysAgo),
        daysAgo(paidDaysAgo),
        '{}',
      ],
    );
  const customer = async (key: string) =>
    (await pool.query<RowDataPacket[]>('SELECT * FROM customers WHERE shop_id = 1 AND customer_key = ?', [key]))[0][0];
  const tagsOf = async (key: string) =>
    (await pool.query<RowDataPacket[]>('SELECT tag FROM customer_tags WHERE shop_id = 1 AND customer_key = ? ORDER BY tag', [key]))[0].map(
      (r) => r.tag,
    );

  it('counts orders, spend, first and last purchase, the average gap and the next expected purchase', async () => {
    // Anna: paid 100, 70, 40 and 10 days ago: gaps of 30 → average 30, next expected in 20 days.
    for (const [d, t] of [
      [100, 50],
      [70, 20.5],
      [40, 30],
      [10, 99.5],
    ] as const)
      await order(1, 'Anna@Example.test', d, t, 'completed', d === 10 ? '+48601000001' : '+48601000000');
    await order(1, ' anna@example.test ', 5, 500, 'pending'); // unpaid: not a purchase
    await order(1, 'anna@example.test', 3, 800, 'refunded'); // refunded: not a purchase
    // Bob: one purchase 20 days ago: no average; next expected after the default 60 days.
    await order(1, 'bob@example.test', 20, 40, 'processing');
    // A guest order without an email belongs to nobody; another shop's customer is not ours.
    await order(1, null, 2, 10);
    await order(2, 'anna@example.test', 1, 10);
    expect(await rebuildCustomerStats(pool, 1, { now: NOW, defaultIntervalDays: 60 })).toEqual({ customers: 2 });
    const anna = await customer('anna@example.test');
    expect(anna).toMatchObject({ orders_count: 4, total_spent: '200.0000', avg_gap_days: 30, phone: '+48601000001' });
    expect((anna!.first_purchase_at as Date).toISOString()).toBe(daysAgo(100).toISOString());
    expect((anna!.last_purchase_at as Date).toISOString()).toBe(daysAgo(10).toISOString());
    expect((anna!.expected_next_at as Date).toISOString()).toBe(new Date(NOW.getTime() + 20 * DAY).toISOString());
    const bob = await customer('bob@example.test');
    expect(bob).toMatchObject({ orders_count: 1, total_spent: '40.0000', avg_gap_days: null, phone: null });
    expect((bob!.expected_next_at as Date).toISOString()).toBe(new Date(NOW.getTime() + 40 * DAY).toISOString());
  });

  it('drops a customer whose paid orders are all gone on the next rebuild', async () => {
    await pool.query("UPDATE orders SET status = 'refunded' WHERE shop_id = 1 AND email = 'bob@example.test'");
    const later = new Date(NOW.getTime() + 1000);
    expect(await rebuildCustomerStats(pool, 1, { now: later, defaultIntervalDays: 60 })).toEqual({ customers: 1 });
    expect(await customer('bob@example.test')).toBeUndefined();
  });

  it('tags new, recent buyers, at risk past their own rhythm, inactive and the top spenders; keeps manual tags', async () => {
    await pool.query('DELETE FROM orders');
    await pool.query('DELETE FROM customers');
    // new: one purchase 5 days ago (also a recent buyer).
    await order(1, 'new@example.test', 5, 10);
    // regular: every 10 days, last 8 days ago: recent, not at risk.
    for (const d of [38, 28, 18, 8]) await order(1, 'regular@example.test', d, 10);
    // lapsing: every 10 days, last 16 days ago: 16 > 10 × 1.5, at risk.
    for (const d of [46, 36, 26, 16]) await order(1, 'lapsing@example.test', d, 10);
    // single: one purchase 100 days ago: past the default 60 × 1.5 = 90, at risk.
    await order(1, 'single@example.test', 100, 10);
    // gone: last purchase 200 days ago: inactive, and no longer "at risk".
    await order(1, 'gone@example.test', 260, 10);
    await order(1, 'gone@example.test', 200, 10);
    // big: spends the most (nine customers: the top 10 % is ceil(0.9) = one).
    await order(1, 'big@example.test', 50, 900);
    await order(1, 'big@example.test', 45, 900);
    for (const n of [1, 2, 3]) await order(1, `filler${n}@example.test`, 60 + n, 20);
    await rebuildCustomerStats(pool, 1, { now: NOW, defaultIntervalDays: DEFAULT_SEGMENT_RULES.defaultIntervalDays });
    await pool.query(
      "INSERT INTO customer_tags (shop_id, customer_key, tag, manual) VALUES (1, 'regular@example.test', 'wholesale', TRUE)",
    );
    const counts = await recomputeSegmentTags(pool, 1, DEFAULT_SEGMENT_RULES, NOW);
    // recent: new, regular, lapsing; at risk: lapsing, single, big (gap 5, last 45 days ago).
    expect(counts).toEqual({ new: 1, 'recent-buyer': 3, 'at-risk': 3, inactive: 1, vip: 1 });
    expect(await tagsOf('new@example.test')).toEqual(['new', 'recent-buyer']);
    expect(await tagsOf('regular@example.test')).toEqual(['recent-buyer', 'wholesale']);
    // Bought 16 days ago, so a recent buyer, yet late for someone who buys every 10 days.
    expect(await tagsOf('lapsing@example.test')).toEqual(['at-risk', 'recent-buyer']);
    expect(await tagsOf('single@example.test')).toEqual(['at-risk']);
    expect(await tagsOf('gone@example.test')).toEqual(['inactive']);
    // big: gap 5 days, last 45 days ago: at risk as well as VIP.
    expect(await tagsOf('big@example.test')).toEqual(['at-risk', 'vip']);
    // Fillers: one purchase 61–63 days ago, within the default 60 × 1.5 = 90: no tag.
    expect(await tagsOf('filler1@example.test')).toEqual([]);
    // A second run gives the same tags and keeps the manual one.
    expect(await recomputeSegmentTags(pool, 1, DEFAULT_SEGMENT_RULES, NOW)).toEqual(counts);
    expect(await tagsOf('regular@example.test')).toEqual(['recent-buyer', 'wholesale']);
  });
});
