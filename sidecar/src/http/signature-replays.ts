import { createHash } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import { deleteExpiredSignatures, insertSignature } from './signature-replay-store.ts';

/** Whether a signature is used for the first time (false: a replay). */
export type ReplayCache = { firstUse(signature: string, expiresAt: Date): Promise<boolean> };

const PRUNE_EVERY_MS = 60_000;
const PRUNE_BATCH = 1_000;

/**
 * Signed writes are good once. The signatures seen are kept in MySQL until their window closes,
 * so a request captured on its way to one sidecar is refused by every sidecar of the database;
 * only a hash is kept. Each sidecar deletes expired ones at most once a minute, in small batches,
 * after a write (nothing to schedule, nothing in the request's way).
 */
export function replayCache(pool: Pool, clock: () => Date = () => new Date()): ReplayCache {
  let prunedAt = 0;
  return {
    async firstUse(signature, expiresAt) {
      const first = await insertSignature(pool, createHash('sha256').update(signature).digest('hex'), expiresAt);
      const now = clock();
      if (now.getTime() - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = now.getTime();
        void deleteExpiredSignatures(pool, now, PRUNE_BATCH).catch(() => undefined);
      }
      return first;
    },
  };
}
