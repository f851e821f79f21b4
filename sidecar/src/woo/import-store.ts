import { execute, selectOne, type Queryable } from '../db/queryable.ts';

/** The `order_imports` table: one row per shop, where its order-history import stands. */

/** Where a shop's history import stands (`none`: never started, no row). */
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

/** One page read: how far the history goes, and whether this was its last page. */
export type ImportedPage = { orders: number; totalPages: number; totalOrders: number; finished: boolean };

/** A running import from page 1 for a shop that has none; a shop's existing import is only touched (updated_at). */
export async function beginImport(db: Queryable, shopId: number, now: Date): Promise<void> {
  await execute(
    db,
    `INSERT INTO order_imports (shop_id, status, next_page, imported, started_at, updated_at) VALUES (?, 'running', 1, 0, ?, ?)
     ON DUPLICATE KEY UPDATE updated_at = VALUES(updated_at)`,
    [shopId, now, now],
  );
}

/** A finished import runs again from page 1; a running one is left where it is. */
export async function restartFinishedImport(db: Queryable, shopId: number, now: Date): Promise<void> {
  await execute(
    db,
    `UPDATE order_imports SET status = 'running', next_page = 1, imported = 0, started_at = ?, finished_at = NULL, last_error = NULL
      WHERE shop_id = ? AND status = 'done'`,
    [now, shopId],
  );
}

export async function recordImportError(db: Queryable, shopId: number, message: string, at: Date): Promise<void> {
  await execute(db, 'UPDATE order_imports SET last_error = ?, updated_at = ? WHERE shop_id = ?', [message, at, shopId]);
}

/**
 * Moves the import past `page` once its orders are stored. Only if it still stands at that page:
 * a second runner that stored the same page does not move it twice.
 */
export async function recordImportedPage(db: Queryable, shopId: number, page: number, read: ImportedPage, at: Date): Promise<void> {
  await execute(
    db,
    `UPDATE order_imports SET next_page = next_page + 1, imported = imported + ?, total_pages = ?, total_orders = ?, last_error = NULL,
       status = ?, updated_at = ?, finished_at = ? WHERE shop_id = ? AND next_page = ?`,
    [read.orders, read.totalPages, read.totalOrders, read.finished ? 'done' : 'running', at, read.finished ? at : null, shopId, page],
  );
}

/** The shop's import; null when none was ever started. */
export async function importRow(db: Queryable, shopId: number): Promise<ImportProgress | null> {
  return selectOne(
    db,
    'SELECT status, imported, total_orders, next_page, total_pages, last_error, started_at, updated_at, finished_at FROM order_imports WHERE shop_id = ?',
    [shopId],
    (r) => ({
      status: r.str('status') as 'running' | 'done',
      imported: r.num('imported'),
      totalOrders: r.numOrNull('total_orders'),
      nextPage: r.num('next_page'),
      totalPages: r.numOrNull('total_pages'),
      lastError: r.strOrNull('last_error'),
      startedAt: r.date('started_at'),
      updatedAt: r.date('updated_at'),
      finishedAt: r.dateOrNull('finished_at'),
    }),
  );
}
