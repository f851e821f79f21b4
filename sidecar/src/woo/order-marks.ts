import type { Pool } from 'mysql2/promise';
import type { Logger } from '../logger.ts';
import { clearMarksOfShopsWithoutPlugin, clearPushedMarks, dirtyMarks, type DirtyMark } from './order-mark-store.ts';
import type { WooClient } from './rest-client.ts';

/** The order meta the plugin reads (plugin/includes/class-comeback-keep-alive.php). */
export const RECOVERY_MARK = '_comeback_recovery_until';

/**
 * Tells shops which of their orders are in recovery: while an enrollment is active, and after its
 * last reminder until that link's grace ends, its order carries `_comeback_recovery_until` (unix
 * seconds), and the plugin spares it WooCommerce's hold-stock auto-cancel; a payment, a
 * cancellation, a merchant's stop or an exit clears the mark. Enrollments whose state
 * changed are flagged (`mark_dirty`) where the change is made; this pushes the flags in batches
 * (one REST request per 100 orders) and clears a flag only if the state it pushed is still the
 * state. Shops without the plugin need no marks: their flags are simply cleared.
 */
export async function pushOrderMarks(
  pool: Pool,
  wooClient: (shopId: number) => Promise<WooClient>,
  logger: Logger,
  limit = 500,
): Promise<number> {
  await clearMarksOfShopsWithoutPlugin(pool);
  const byShop = new Map<number, DirtyMark[]>();
  for (const mark of await dirtyMarks(pool, limit)) byShop.set(mark.shopId, [...(byShop.get(mark.shopId) ?? []), mark]);
  let pushed = 0;
  for (const [shopId, marks] of byShop) {
    try {
      const client = await wooClient(shopId);
      await client.setOrdersMeta(
        RECOVERY_MARK,
        marks.map((m) => ({
          id: m.orderId,
          value: m.status !== 'exited' && m.markUntil ? String(Math.floor(m.markUntil.getTime() / 1000)) : '',
        })),
      );
      await clearPushedMarks(pool, marks);
      pushed += marks.length;
    } catch (error) {
      logger.warn({ err: error, shopId }, 'could not mark orders in recovery; the next sweep tries again');
    }
  }
  return pushed;
}
