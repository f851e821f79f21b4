import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { Logger } from '../logger.ts';
import type { WooClient } from './rest-client.ts';

/** The order meta the plugin reads (plugin/includes/class-comeback-keep-alive.php). */
export const RECOVERY_MARK = '_comeback_recovery_until';

/**
 * Tells shops which of their orders are in recovery: while an enrollment is active its order
 * carries `_comeback_recovery_until` (unix seconds), and the plugin spares it WooCommerce's
 * hold-stock auto-cancel; when the enrollment ends the mark is cleared. Enrollments whose state
 * changed are flagged (`mark_dirty`) where the change is made; this pushes the flags in batches
 * (one REST request per 100 orders) and clears a flag only if the state it pushed is still the
 * state. Shops without the plugin need no marks: their flags are simply cleared.
 */
export async function pushOrderMarks(pool: Pool, wooClient: (shopId: number) => Promise<WooClient>, logger: Logger, limit = 500): Promise<number> {
  await pool.query('UPDATE enrollments e JOIN shops s ON s.id = e.shop_id SET e.mark_dirty = FALSE WHERE e.mark_dirty AND s.link_base IS NULL');
  const [rows] = await pool.query<RowDataPacket[]>(
    'SELECT id, shop_id, subject_id, status, mark_until FROM enrollments FORCE INDEX (enrollments_mark_dirty) WHERE mark_dirty ORDER BY shop_id LIMIT ?',
    [limit],
  );
  const byShop = new Map<number, RowDataPacket[]>();
  for (const row of rows) byShop.set(Number(row.shop_id), [...(byShop.get(Number(row.shop_id)) ?? []), row]);
  let pushed = 0;
  for (const [shopId, marks] of byShop) {
    try {
      const client = await wooClient(shopId);
      await client.setOrdersMeta(
        RECOVERY_MARK,
        marks.map((m) => ({ id: Number(m.subject_id), value: m.status === 'active' && m.mark_until ? String(Math.floor((m.mark_until as Date).getTime() / 1000)) : '' })),
      );
      await pool.query('UPDATE enrollments SET mark_dirty = FALSE WHERE (id, status) IN (?)', [marks.map((m) => [m.id, m.status])]);
      pushed += marks.length;
    } catch (error) {
      logger.warn({ err: error, shopId }, 'could not mark orders in recovery; the next sweep tries again');
    }
  }
  return pushed;
}
