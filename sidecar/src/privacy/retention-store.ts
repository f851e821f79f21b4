import { execute, selectOne, selectRows, type Queryable } from '../db/queryable.ts';

// The retention job's statements: each touches at most `limit` rows of one shop older than a
// cutoff, walking the time column's index from where the last run stopped (retention_marks).

export type RetentionRule = 'events' | 'message-bodies' | 'step-log' | 'click-details' | 'carts' | 'inbound';

const EPOCH = new Date(0);

/** Where a rule stopped for the shop last time (rows before it are done). */
export async function retentionMark(db: Queryable, shopId: number, rule: RetentionRule): Promise<Date> {
  return (
    (await selectOne(db, 'SELECT pruned_until FROM retention_marks WHERE shop_id = ? AND rule = ?', [shopId, rule], (r) =>
      r.date('pruned_until'),
    )) ?? EPOCH
  );
}

export async function setRetentionMark(db: Queryable, shopId: number, rule: RetentionRule, until: Date): Promise<void> {
  await execute(
    db,
    'INSERT INTO retention_marks (shop_id, rule, pruned_until) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE pruned_until = GREATEST(pruned_until, VALUES(pruned_until))',
    [shopId, rule, until],
  );
}

type Range = { shopId: number; from: Date; before: Date; limit: number };

/** Deletes up to `limit` rows of the shop whose `column` is in the range, oldest first, unless `keep` holds. */
async function deleteInRange(db: Queryable, table: string, column: string, keep: string, r: Range): Promise<number> {
  return (
    await execute(
      db,
      `DELETE FROM ${table} WHERE shop_id = ? AND ${column} >= ? AND ${column} < ? AND NOT (${keep}) ORDER BY ${column} LIMIT ?`,
      [r.shopId, r.from, r.before, r.limit],
    )
  ).affectedRows;
}

/** Processed deliveries received before the cutoff: deleted (the order's state is in `orders`; one not processed yet stays). */
export function pruneEvents(db: Queryable, r: Range): Promise<number> {
  return deleteInRange(db, 'events', 'received_at', "status = 'received'", r);
}

/** Bodies of messages queued before the cutoff and no longer waiting: emptied; the row (recipient, step, status, times) stays for the reports. */
export async function pruneMessageBodies(db: Queryable, r: Range): Promise<number> {
  const ids = await selectRows(
    db,
    `SELECT id FROM outbox FORCE INDEX (outbox_shop_created) WHERE shop_id = ? AND created_at >= ? AND created_at < ?
        AND status IN ('sent', 'failed', 'cancelled') AND (body_html IS NOT NULL OR body_text IS NOT NULL OR payload IS NOT NULL)
      ORDER BY created_at LIMIT ?`,
    [r.shopId, r.from, r.before, r.limit],
    (row) => row.num('id'),
  );
  if (ids.length === 0) return 0;
  await execute(db, 'UPDATE outbox SET body_html = NULL, body_text = NULL, headers = NULL, payload = NULL WHERE id IN (?)', [ids]);
  return ids.length;
}

/** Step log lines before the cutoff: deleted, but for the hold-out marks the customer report counts. */
export async function pruneStepLog(db: Queryable, r: Range): Promise<number> {
  const ids = await selectRows(
    db,
    `SELECT l.id FROM step_log l FORCE INDEX (step_log_at) JOIN enrollments e ON e.id = l.enrollment_id
      WHERE l.at >= ? AND l.at < ? AND e.shop_id = ? AND l.outcome <> 'held_out' ORDER BY l.at LIMIT ?`,
    [r.from, r.before, r.shopId, r.limit],
    (row) => row.num('id'),
  );
  if (ids.length === 0) return 0;
  return (await execute(db, 'DELETE FROM step_log WHERE id IN (?)', [ids])).affectedRows;
}

/** Browsers of clicks before the cutoff: forgotten; the click stays for the reports. */
export async function pruneClickDetails(db: Queryable, r: Range): Promise<number> {
  const ids = await selectRows(
    db,
    `SELECT c.id FROM clicks c FORCE INDEX (clicks_at) JOIN outbox m ON m.id = c.outbox_id
      WHERE c.clicked_at >= ? AND c.clicked_at < ? AND m.shop_id = ? AND c.user_agent IS NOT NULL ORDER BY c.clicked_at LIMIT ?`,
    [r.from, r.before, r.shopId, r.limit],
    (row) => row.num('id'),
  );
  if (ids.length === 0) return 0;
  await execute(db, 'UPDATE clicks SET user_agent = NULL WHERE id IN (?)', [ids]);
  return ids.length;
}

/** Carts never ordered, idle since before the cutoff: deleted (an ordered cart stays: it is the order's). */
export function pruneCarts(db: Queryable, r: Range): Promise<number> {
  return deleteInRange(db, 'carts', 'last_activity_at', "status = 'ordered'", r);
}

/** Messages customers sent before the cutoff: deleted (the conversation, its 24-hour window's clock, stays). */
export async function pruneInbound(db: Queryable, r: Range): Promise<number> {
  const ids = await selectRows(
    db,
    `SELECT i.id FROM inbound_messages i FORCE INDEX (inbound_received) JOIN conversations c ON c.id = i.conversation_id
      WHERE i.received_at >= ? AND i.received_at < ? AND c.shop_id = ? ORDER BY i.received_at LIMIT ?`,
    [r.from, r.before, r.shopId, r.limit],
    (row) => row.num('id'),
  );
  if (ids.length === 0) return 0;
  return (await execute(db, 'DELETE FROM inbound_messages WHERE id IN (?)', [ids])).affectedRows;
}

/** Every shop that still has data. */
export function retentionShopIds(db: Queryable): Promise<number[]> {
  return selectRows(db, 'SELECT id FROM shops ORDER BY id', [], (r) => r.num('id'));
}
