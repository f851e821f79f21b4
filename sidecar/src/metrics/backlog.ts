import type { Pool } from 'mysql2/promise';
import type { Logger } from '../logger.ts';
import { outboxBacklog } from '../messages/outbox-store.ts';
import type { Metrics } from './metrics.ts';

export type BacklogOptions = {
  /** A count younger than this is served again without a query (several scrapers, one query). */
  maxAgeMs: number;
  /** How long a scrape waits for a fresh count before answering with the last one. */
  waitMs: number;
  /** Rows counted at most per scrape. */
  cap: number;
};

export const BACKLOG_DEFAULTS: BacklogOptions = { maxAgeMs: 2_000, waitMs: 1_000, cap: 100_000 };

/**
 * The outbox backlog gauge, counted when scraped: at most one query in flight and one per
 * `maxAgeMs`, and a scrape waits for it at most `waitMs`. A database that does not answer in time
 * (or fails) leaves the last count on the gauge and counts a collect error; the query goes on in
 * the background, bounded by the pool's statement timeout, and its count serves the next scrape.
 */
export function outboxBacklogCollector(deps: { pool: Pool; metrics: Metrics; logger: Logger }, options = BACKLOG_DEFAULTS) {
  const { metrics } = deps;
  let countedAt = -Infinity;
  let inFlight: Promise<boolean> | undefined;

  const count = async (): Promise<boolean> => {
    try {
      const counts = await outboxBacklog(deps.pool, options.cap);
      for (const [status, n] of Object.entries(counts)) metrics.outboxBacklog.set({ status }, n);
      countedAt = performance.now();
      return true;
    } catch (error) {
      deps.logger.warn({ err: error }, 'counting the outbox backlog for /metrics failed');
      return false;
    } finally {
      inFlight = undefined;
    }
  };

  /** Refreshes the gauge before a scrape; resolves within `waitMs` whatever the database does. */
  return async function refresh(): Promise<void> {
    if (performance.now() - countedAt < options.maxAgeMs) return;
    inFlight ??= count();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), options.waitMs);
    });
    const fresh = await Promise.race([inFlight, late]);
    clearTimeout(timer);
    if (!fresh) metrics.collectErrors.inc({ what: 'outbox_backlog' });
  };
}
