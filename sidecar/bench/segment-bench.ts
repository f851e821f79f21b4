import { performance } from 'node:perf_hooks';
import { enterLapsedCustomers } from '../src/flows/entry/customer-entry.ts';
import { saveFlow } from '../src/flows/definition/flow-store.ts';
import { PRESETS } from '../src/flows/definition/presets.ts';
import { rebuildCustomerStats } from '../src/segments/customer-stats.ts';
import { DEFAULT_SEGMENT_RULES, recomputeSegmentTags } from '../src/segments/segment-tags.ts';
import type { BenchDb } from './bench-db.ts';

export type SegmentBench = {
  customers: number;
  orders: number;
  loadSeconds: number;
  statsSeconds: number;
  tagsSeconds: number;
  rssGrowthMb: number;
  tagged: Record<string, number>;
  /** Switching win-back on: every lapsed customer entered in one INSERT … SELECT. */
  winBack: { entered: number; seconds: number };
};

/**
 * Segment recomputation at shop scale: `orders` paid orders from `customers` customers, made by
 * MariaDB itself from its sequence engine (the rows never pass through Node), then the customer
 * rebuild and the tag recomputation timed, then win-back switched on (every lapsed customer entered).
 * Node's RSS before and after shows the work stays in SQL.
 */
export async function segmentRecompute(db: BenchDb, customers: number, orders: number): Promise<SegmentBench> {
  const database = await db.fresh('bench_segments');
  const pool = database.pool;
  const now = new Date('2030-01-01T00:00:00Z');
  const loadStart = performance.now();
  const chunk = 500_000;
  for (let start = 1; start <= orders; start += chunk) {
    const end = Math.min(orders, start + chunk - 1);
    // Customer i buys every (i % 90 + 10) days, going back from a day in the last (i % 400) days.
    await pool.query(
      `INSERT INTO orders (shop_id, order_id, status, payment_method, total, email, date_paid, date_created, date_modified, snapshot)
       SELECT 1, seq, 'completed', 'payu', 10 + seq % 290,
              CONCAT('c', seq % ${customers}, '@example.test'),
              t, t, t, '{}'
         FROM (SELECT seq, ? - INTERVAL ((seq % ${customers}) % 400 + (seq DIV ${customers}) * ((seq % ${customers}) % 90 + 10)) DAY AS t
                 FROM seq_${start}_to_${end}) s`,
      [now],
    );
  }
  const loadSeconds = (performance.now() - loadStart) / 1000;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const stats = await rebuildCustomerStats(pool, 1, { now, defaultIntervalDays: DEFAULT_SEGMENT_RULES.defaultIntervalDays });
  const t1 = performance.now();
  const tagged = await recomputeSegmentTags(pool, 1, DEFAULT_SEGMENT_RULES, now);
  const t2 = performance.now();
  await saveFlow(pool, 1, 'win-back', PRESETS['win-back'], true);
  const t3 = performance.now();
  const entered = await enterLapsedCustomers(pool, 1, now);
  const t4 = performance.now();
  const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
  await database.close();
  return {
    customers: stats.customers,
    orders,
    loadSeconds,
    statsSeconds: (t1 - t0) / 1000,
    tagsSeconds: (t2 - t1) / 1000,
    rssGrowthMb,
    tagged,
    winBack: { entered, seconds: (t4 - t3) / 1000 },
  };
}
