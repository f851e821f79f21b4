import { execute, selectOne, type Queryable } from '../db/queryable.ts';

/** What the demo reads and writes of `shops`, `orders` and `flows`: its one stand-in shop row and what it placed. */

/** The highest order id the demo shop ever stored; null before its first order. */
export async function highestDemoOrderId(db: Queryable): Promise<number | null> {
  return (
    (await selectOne(db, 'SELECT MAX(o.order_id) AS id FROM orders o JOIN shops s ON s.id = o.shop_id AND s.demo', [], (r) =>
      r.numOrNull('id'),
    )) ?? null
  );
}

/** Points the demo shop's row (one across runs) at the stand-in's address of this run. */
export async function moveDemoShop(db: Queryable, url: string): Promise<void> {
  await execute(db, 'UPDATE shops SET url = ? WHERE demo ORDER BY id LIMIT 1', [url]);
}

/** Whether the shop has this flow saved (the merchant's, or one the demo saved on an earlier run). */
export async function hasSavedFlow(db: Queryable, shopId: number, flowKey: string): Promise<boolean> {
  return (await selectOne(db, 'SELECT 1 FROM flows WHERE shop_id = ? AND flow_key = ?', [shopId, flowKey], () => true)) ?? false;
}

/** How many real shops (not the demo) have a REST key stored. */
export async function connectedRealShopCount(db: Queryable): Promise<number> {
  return (await selectOne(db, 'SELECT COUNT(*) AS n FROM shops WHERE NOT demo AND consumer_key IS NOT NULL', [], (r) => r.num('n'))) ?? 0;
}
