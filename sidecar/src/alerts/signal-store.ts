import { selectRows, type Queryable } from '../db/queryable.ts';
import type { WebhookState } from '../woo/shop-connection.ts';

/** What the alert checks read of every shop's outbox, enrollments and webhook state: signs that sending or the queue is in trouble. */

export type SendFailures = { shopId: number; channel: string; failures: number; lastError: string | null };
export type LateWork = { shopId: number; count: number; since: Date };
export type ShopConnectionState = { shopId: number; connectionError: string | null; webhooks: WebhookState[] | null };

export async function allShopIds(db: Queryable): Promise<number[]> {
  return selectRows(db, 'SELECT id FROM shops', [], (r) => r.num('id'));
}

/**
 * Per shop and channel (of `channels`), the sends that failed since `since` when there are at
 * least `atLeast` (rows now retrying, or given up), with the latest error (its first
 * `errorChars` + 1 characters: enough to tell it was cut). The outbox keeps no time of a failed
 * attempt, so it is inferred: a retrying row was tried one backoff before its next attempt
 * (outbox.ts defaultBackoff, mirrored here), a failed row is counted when it was queued after
 * `since` (most give up at their first attempt, a permanent error).
 */
export async function recentSendFailures(
  db: Queryable,
  options: { since: Date; shopIds: number[]; channels: readonly string[]; atLeast: number; errorChars: number },
): Promise<SendFailures[]> {
  const { since, shopIds, channels, atLeast, errorChars } = options;
  return selectRows(
    db,
    `SELECT shop_id, channel, failures, last_error FROM (
       SELECT f.shop_id, f.channel, f.last_error,
         COUNT(*) OVER (PARTITION BY f.shop_id, f.channel) AS failures,
         ROW_NUMBER() OVER (PARTITION BY f.shop_id, f.channel ORDER BY f.at DESC, f.id DESC) AS n
       FROM (
         SELECT id, shop_id, channel, LEFT(last_error, ${errorChars + 1}) AS last_error,
           next_attempt_at - INTERVAL LEAST(60 << LEAST(GREATEST(attempts - 1, 0), 20), 21600) SECOND AS at
         FROM outbox FORCE INDEX (outbox_status)
         WHERE status = 'retry' AND next_attempt_at >= ? AND attempts > 0
         UNION ALL
         SELECT id, shop_id, channel, LEFT(last_error, ${errorChars + 1}), created_at
         FROM outbox FORCE INDEX (outbox_shop_created)
         WHERE shop_id IN (?) AND created_at >= ? AND status = 'failed' AND attempts > 0
           AND (last_error IS NULL OR last_error NOT LIKE 'permanent country\\_not\\_allowed:%')
       ) f
       WHERE f.at >= ? AND f.channel IN (?)
     ) x WHERE n = 1 AND failures >= ?`,
    [since, shopIds, since, since, channels, atLeast],
    (r) => ({ shopId: r.num('shop_id'), channel: r.str('channel'), failures: r.num('failures'), lastError: r.strOrNull('last_error') }),
  );
}

/**
 * Which of these shop and channel pairs had a send go through since `sentSince`. A send that
 * succeeds now may belong to a row queued well before (retries, a delayed send): rows queued since
 * `queuedSince` are read, by the outbox's created_at index.
 */
export async function pairsWithSendsThrough(
  db: Queryable,
  pairs: Array<[shopId: number, channel: string]>,
  options: { queuedSince: Date; sentSince: Date },
): Promise<Array<{ shopId: number; channel: string }>> {
  // shop_id IN (…) with the created_at bound is a range of outbox_shop_created per shop.
  return selectRows(
    db,
    `SELECT DISTINCT shop_id, channel FROM outbox FORCE INDEX (outbox_shop_created)
     WHERE shop_id IN (?) AND created_at >= ? AND status = 'sent' AND sent_at >= ? AND (shop_id, channel) IN (?)`,
    [[...new Set(pairs.map(([shopId]) => shopId))], options.queuedSince, options.sentSince, pairs],
    (r) => ({ shopId: r.num('shop_id'), channel: r.str('channel') }),
  );
}

/** Per active shop (a paused shop's work is held on purpose), the active enrollments whose step was due before `dueBefore` and that no sidecar holds (never claimed, or its lease taken before `leaseBefore`). */
export async function lateStepsPerShop(db: Queryable, dueBefore: Date, leaseBefore: Date): Promise<LateWork[]> {
  return selectRows(
    db,
    `SELECT shop_id, COUNT(*) AS n, MIN(next_step_at) AS since FROM enrollments FORCE INDEX (enrollments_due)
     WHERE status = 'active' AND next_step_at < ? AND (locked_at IS NULL OR locked_at < ?)
       AND shop_id NOT IN (SELECT id FROM shops WHERE state <> 'active') GROUP BY shop_id`,
    [dueBefore, leaseBefore],
    (r) => ({ shopId: r.num('shop_id'), count: r.num('n'), since: r.date('since') }),
  );
}

/** Per active shop, the messages due before `dueBefore` and still waiting (pending, retry) or held by a sender (sending). */
export async function lateMessagesPerShop(db: Queryable, dueBefore: Date): Promise<LateWork[]> {
  return selectRows(
    db,
    `SELECT shop_id, COUNT(*) AS n, MIN(next_attempt_at) AS since FROM outbox FORCE INDEX (outbox_status)
     WHERE status IN ('pending', 'retry', 'sending') AND next_attempt_at < ?
       AND shop_id NOT IN (SELECT id FROM shops WHERE state <> 'active') GROUP BY shop_id`,
    [dueBefore],
    (r) => ({ shopId: r.num('shop_id'), count: r.num('n'), since: r.date('since') }),
  );
}

/** The active shops (a paused one's webhooks are left alone) whose last webhook check stored webhook states or failed. */
export async function shopConnectionStates(db: Queryable): Promise<ShopConnectionState[]> {
  return selectRows(
    db,
    "SELECT id, webhooks, connection_error FROM shops WHERE state = 'active' AND (webhooks IS NOT NULL OR connection_error IS NOT NULL)",
    [],
    (r) => ({
      shopId: r.num('id'),
      connectionError: r.strOrNull('connection_error'),
      webhooks: r.json<WebhookState[]>('webhooks'),
    }),
  );
}

/** The shops paused because their plugin's signed profile endpoint stopped answering, and since when. */
export async function shopsPausedUnreachable(db: Queryable): Promise<Array<{ shopId: number; since: Date | null }>> {
  return selectRows(
    db,
    "SELECT id, state_changed_at FROM shops WHERE state = 'paused' AND state_reason = 'plugin-unreachable'",
    [],
    (r) => ({
      shopId: r.num('id'),
      since: r.dateOrNull('state_changed_at'),
    }),
  );
}

/** Every shop channel whose daily budget held a message back on `day` (YYYY-MM-DD, UTC). */
export async function budgetsHeldOn(
  db: Queryable,
  day: string,
): Promise<Array<{ shopId: number; channel: string; used: number; held: number }>> {
  return selectRows(db, 'SELECT shop_id, channel, used, held FROM send_budgets WHERE day = ? AND held > 0', [day], (r) => ({
    shopId: r.num('shop_id'),
    channel: r.str('channel'),
    used: r.num('used'),
    held: r.num('held'),
  }));
}

/** Per shop and channel, the messages queued since `since` that failed for their number's country (the allowed destinations). */
export async function countryRefusals(
  db: Queryable,
  options: { since: Date; shopIds: number[] },
): Promise<Array<{ shopId: number; channel: string; count: number }>> {
  return selectRows(
    db,
    `SELECT shop_id, channel, COUNT(*) AS n FROM outbox FORCE INDEX (outbox_shop_created)
     WHERE shop_id IN (?) AND created_at >= ? AND status = 'failed' AND last_error LIKE 'permanent country\\_not\\_allowed:%'
     GROUP BY shop_id, channel`,
    [options.shopIds, options.since],
    (r) => ({ shopId: r.num('shop_id'), channel: r.str('channel'), count: r.num('n') }),
  );
}
