import type { Pool } from 'mysql2/promise';
import { CHANGE_LOOKBACK_MS, type OrderChanges } from '../events/order-changes.ts';
import {
  beginImport,
  importRow,
  recordImportedPage,
  recordImportError,
  restartFinishedImport,
  type ImportProgress,
} from './import-store.ts';
import type { WooClient } from './rest-client.ts';

export type { ImportProgress };

const PAGE_SIZE = 100;
const NO_IMPORT: ImportProgress = {
  status: 'none',
  imported: 0,
  totalOrders: null,
  nextPage: 1,
  totalPages: null,
  lastError: null,
  startedAt: null,
  updatedAt: null,
  finishedAt: null,
};

/**
 * Starts the import of a shop's whole order history (for customers and segments), or leaves a
 * running one where it is. `restart` reads everything again after a finished import.
 */
export async function startHistoryImport(
  pool: Pool,
  shopId: number,
  now: Date,
  options: { restart?: boolean } = {},
): Promise<ImportProgress> {
  await beginImport(pool, shopId, now);
  if (options.restart) await restartFinishedImport(pool, shopId, now);
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
      await recordImportError(pool, shopId, String((error as Error).message).slice(0, 1000), clock());
      throw error;
    }
    // A page is stored in one statement; only its recent orders (which could still be in a flow) go
    // through the flows, so a history of years is read at the speed of the REST pages.
    await orderChanges.record(pool, shopId, page.orders, clock(), { since: new Date(clock().getTime() - CHANGE_LOOKBACK_MS) });
    const finished = progress.nextPage >= page.totalPages || page.orders.length === 0;
    await recordImportedPage(
      pool,
      shopId,
      progress.nextPage,
      { orders: page.orders.length, totalPages: page.totalPages, totalOrders: page.total, finished },
      clock(),
    );
  }
  return importProgress(pool, shopId);
}

/** Where the shop's import stands; `none` before the first start. */
export async function importProgress(pool: Pool, shopId: number): Promise<ImportProgress> {
  return (await importRow(pool, shopId)) ?? { ...NO_IMPORT };
}
