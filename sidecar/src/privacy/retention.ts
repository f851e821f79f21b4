import type { Pool } from 'mysql2/promise';
import { loadRetention, type RetentionSettings } from './retention-settings.ts';
import {
  pruneCarts,
  pruneClickDetails,
  pruneEvents,
  pruneInbound,
  pruneMessageBodies,
  pruneStepLog,
  retentionMark,
  retentionShopIds,
  setRetentionMark,
  type RetentionRule,
} from './retention-store.ts';

/** Rows per statement: small enough that no statement holds many locks or a long undo log. */
export const RETENTION_BATCH = 2_000;
const DAY_MS = 86_400_000;

type Rule = {
  rule: RetentionRule;
  days: keyof RetentionSettings;
  prune: typeof pruneEvents;
  /** Whether the next run starts where this one stopped; false where rows kept by design (ordered carts) would be skipped forever otherwise. */
  resumes: boolean;
};

const RULES: Rule[] = [
  { rule: 'events', days: 'webhookBodiesDays', prune: pruneEvents, resumes: true },
  { rule: 'message-bodies', days: 'messageBodiesDays', prune: pruneMessageBodies, resumes: true },
  { rule: 'step-log', days: 'stepLogDays', prune: pruneStepLog, resumes: true },
  { rule: 'click-details', days: 'clickDetailsDays', prune: pruneClickDetails, resumes: true },
  { rule: 'carts', days: 'unorderedCartsDays', prune: pruneCarts, resumes: false },
  { rule: 'inbound', days: 'inboundMessagesDays', prune: pruneInbound, resumes: true },
];

export type RetentionRun = Partial<Record<RetentionRule, number>>;

/**
 * The daily pruning: for every shop and rule, rows older than the shop's period are deleted or
 * emptied in statements of at most `batch` rows along the time column's index, pausing between
 * statements so webhooks, steps and sends keep their share of the database. Safe to run twice.
 */
export async function runRetention(
  pool: Pool,
  now: Date,
  options: { batch?: number; pauseMs?: number; shopIds?: number[] } = {},
): Promise<RetentionRun> {
  const batch = options.batch ?? RETENTION_BATCH;
  const pauseMs = options.pauseMs ?? 200;
  const total: RetentionRun = {};
  for (const shopId of options.shopIds ?? (await retentionShopIds(pool))) {
    const settings = await loadRetention(pool, shopId);
    for (const { rule, days, prune, resumes } of RULES) {
      const before = new Date(now.getTime() - settings[days] * DAY_MS);
      const from = resumes ? await retentionMark(pool, shopId, rule) : new Date(0);
      for (;;) {
        const n = await prune(pool, { shopId, from, before, limit: batch });
        total[rule] = (total[rule] ?? 0) + n;
        if (n < batch) break;
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
      if (resumes) await setRetentionMark(pool, shopId, rule, before);
    }
  }
  return total;
}
