import type { Pool, RowDataPacket } from 'mysql2/promise';
import { CHANGE_LOOKBACK_MS, type OrderChanges } from '../events/order-changes.ts';
import type { WooClient } from './rest-client.ts';

export type ImportProgress = {
  status: 'none' | 'running' | 'done';
  imported: number;
  totalOrders: number | null;
  nextPage: number;
  totalPages: number | null;
  lastError: string | null;
  startedAt: Date | null;
  /** The last page stored: a running import that has not moved for long was stopped (Resume). */
  updatedAt: Date | null;
  finishedAt: Date | null;
};

const PAGE_SIZE = 100;

/**
 * Starts the import of a shop's whole order history (for customers and segments), or leaves a
 * running one where it is. `restart` reads everything again after a finished import.
 */
export async function startHistoryImport(pool: Pool, shopId: number, now: Date, options: { restart?: boolean } = {}): Promise<ImportProgress> {
  await pool.query(
    `INSERT INTO order_imports (shop_id, status, next_page, imported, started_at, updated_at) VALUES (?, 'running', 1, 0, ?, ?)
     ON DUPLICATE KEY UPDATE updated_at = VALUES(updated_at)`,
    [shopId, now, now],
  );
  if (options.restart) {
    await pool.query(
      `UPDATE order_imports SET status = 'running', next_page = 1, imported = 0, started_at = ?, finished_at = NULL, last_error = NULL
        WHERE shop_id = ? AND status = 'done'`,
      [now, shopId],
    );
  }
  return importProgress(pool, shopId);
}

/**
 * Reads the history page by page, each page stored through the same projection as webhooks and
 * sweeps (a newer state is never overwritten), and the position saved after each page: a process
 * killed in the middle, or a shop that fails, goes on from the page it had not finished.
 */
export async function runHistoryImport(
  pool: Pool,
  shopId: number,
  client: WooClient,
  orderChanges: OrderChanges,
  options: { clock?: () => Date; maxPages?: number } = {},
): Promise<ImportProgress> {
  const clock = options.clock ?? (() => new Date());
  for (let read = 0; options.maxPages === undefined || read < options.maxPages; read++) {
    const progress = await importProgress(pool, shopId);
    if (progress.status !== 'running') return progress;
    let page;
    try {
      page = await client.ordersById(progress.nextPage, PAGE_SIZE);
    } catch (error) {
      await pool.query('UPDATE order_imports SET last_error = ?, updated_at = ? WHERE shop_id = ?', [String((error as Error).message).slice(0, 1000), clock(), shopId]);
      throw error;
    }
    // A page is stored in one statement; only its recent orders (which could still be in a flow) go
    // through the flows, so a history of years is read at the speed of the REST pages.
    await orderChanges.record(pool, shopId, page.orders, clock(), { since: new Date(clock().getTime() - CHANGE_LOOKBACK_MS) });
    const finished = progress.nextPage >= page.totalPages || page.orders.length === 0;
    await pool.query(
      `UPDATE order_imports SET next_page = next_page + 1, imported = imported + ?, total_pages = ?, total_orders = ?, last_error = NULL,
         status = ?, updated_at = ?, finished_at = ? WHERE shop_id = ? AND next_page = ?`,
      [page.orders.length, page.totalPages, page.total, finished ? 'done' : 'running', clock(), finished ? clock() : null, shopId, progress.nextPage],
    );
  }
  return importProgress(pool, shopId);
}

export async function importProgress(pool: Pool, shopId: number): Promise<ImportProgress> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT * FROM order_imports WHERE shop_id = ?', [shopId]);
  const r = rows[0];
  if (!r) return { status: 'none', imported: 0, totalOrders: null, nextPage: 1, totalPages: null, lastError: null, startedAt: null, updatedAt: null, finishedAt: null };
  return {
    status: r.status,
    imported: Number(r.imported),
    totalOrders: r.total_orders === null ? null : Number(r.total_orders),
    nextPage: Number(r.next_page),
    totalPages: r.total_pages === null ? null : Number(r.total_pages),
    lastError: r.last_error ?? null,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at ?? null,
  };
}
