import { selectRows, type Queryable, type Row } from '../db/queryable.ts';

/** What the recovery report reads: messages sent, clicks on them and the orders credited to them, in a time range. */

/** Counts of one reminder (step and channel) on one day; `day` is YYYY-MM-DD in the zone `offsetMinutes` from UTC. */
export type StepDayCount = { step: number | null; channel: string | null; day: string; n: number };
export type StepDayRevenue = StepDayCount & { currency: string | null; amount: number };
/** `n` every click, `unique` the messages' first clicks. */
export type StepDayClicks = StepDayCount & { unique: number };

/** The local day of a time column: the offset is applied in SQL so that the database groups and Node only labels. */
const localDay = (column: string, offsetMinutes: number) => `DATE_FORMAT(${column} + INTERVAL ${offsetMinutes} MINUTE, '%Y-%m-%d')`;

/** Messages of a flow's step sent, per step, channel and day: a [Test] send or an alert (no step) is not one. */
export async function messagesSentPerStepAndDay(
  db: Queryable,
  shopId: number,
  from: Date,
  to: Date,
  offsetMinutes: number,
): Promise<StepDayCount[]> {
  return selectRows(
    db,
    `SELECT step, channel, ${localDay('sent_at', offsetMinutes)} AS day, COUNT(*) AS n FROM outbox
     WHERE shop_id = ? AND status = 'sent' AND sent_at >= ? AND sent_at < ? AND step IS NOT NULL GROUP BY step, channel, day`,
    [shopId, from, to],
    stepDayCount,
  );
}

/**
 * Clicks per reminder and day: every click (`n`, a customer who opens the link three times counts
 * three) and the unique ones (`unique`: a message's first click, on the day it was made; its
 * repeats add to `n` only). A message's first click is the earliest of its clicks (one per message
 * and instant, by the unique key on outbox_id, clicked_at), whenever it was: a message first
 * clicked before `from` and again inside the range adds to `n`, not to `unique`.
 */
export async function clicksPerStepAndDay(
  db: Queryable,
  shopId: number,
  from: Date,
  to: Date,
  offsetMinutes: number,
): Promise<StepDayClicks[]> {
  return selectRows(
    db,
    `SELECT m.step, m.channel, ${localDay('c.clicked_at', offsetMinutes)} AS day, COUNT(*) AS n,
       COUNT(CASE WHEN c.clicked_at = (SELECT MIN(f.clicked_at) FROM clicks f WHERE f.outbox_id = c.outbox_id) THEN 1 END) AS uniq
     FROM clicks c JOIN outbox m ON m.id = c.outbox_id
     WHERE m.shop_id = ? AND c.clicked_at >= ? AND c.clicked_at < ? AND m.step IS NOT NULL GROUP BY m.step, m.channel, day`,
    [shopId, from, to],
    (r) => ({ ...stepDayCount(r), unique: r.num('uniq') }),
  );
}

/** Orders credited to a message (not those paid before any went out), each once, per step, channel and day of payment. */
export async function creditedOrdersPerStepAndDay(
  db: Queryable,
  shopId: number,
  from: Date,
  to: Date,
  offsetMinutes: number,
): Promise<StepDayRevenue[]> {
  return selectRows(
    db,
    `SELECT step, channel, currency, ${localDay('paid_at', offsetMinutes)} AS day, COUNT(*) AS n, SUM(revenue) AS amount FROM attributions
     WHERE shop_id = ? AND outbox_id IS NOT NULL AND paid_at >= ? AND paid_at < ? GROUP BY step, channel, currency, day`,
    [shopId, from, to],
    (r) => ({ ...stepDayCount(r), currency: r.strOrNull('currency'), amount: r.num('amount') }),
  );
}

function stepDayCount(r: Row): StepDayCount {
  return { step: r.numOrNull('step'), channel: r.strOrNull('channel'), day: r.str('day'), n: r.num('n') };
}
