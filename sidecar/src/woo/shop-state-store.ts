import { execute, selectOne, selectRows, type Queryable } from '../db/queryable.ts';

/**
 * A shop's lifecycle as `shops` keeps it: active, paused (nobody enters, waiting work held, nothing
 * written into the shop) or disconnected (webhooks deleted, waiting messages cancelled, key
 * forgotten), who changed it and when, and the plugin's profile failures in a row. One function
 * per change; each answers whether it changed anything, so a repeated request changes nothing.
 */

export const SHOP_STATES = ['active', 'paused', 'disconnected'] as const;
export type ShopLifecycle = (typeof SHOP_STATES)[number];
export const STATE_REASONS = ['merchant', 'plugin-deactivated', 'plugin-unreachable', 'plugin-uninstalled'] as const;
export type StateReason = (typeof STATE_REASONS)[number];
/** The pauses the plugin's activation lifts; a merchant's pause stays until the merchant resumes. */
export const PLUGIN_PAUSES: StateReason[] = ['plugin-deactivated', 'plugin-unreachable'];

export type ShopState = { state: ShopLifecycle; reason: StateReason | null; changedAt: Date | null };

export async function shopState(db: Queryable, shopId: number): Promise<ShopState | null> {
  return selectOne(db, 'SELECT state, state_reason, state_changed_at FROM shops WHERE id = ?', [shopId], (r) => ({
    state: r.str('state') as ShopLifecycle,
    reason: r.strOrNull('state_reason') as StateReason | null,
    changedAt: r.dateOrNull('state_changed_at'),
  }));
}

/** Pauses an active shop; true when it was active. */
export async function markShopPaused(db: Queryable, shopId: number, reason: StateReason, now: Date): Promise<boolean> {
  const result = await execute(
    db,
    "UPDATE shops SET state = 'paused', state_reason = ?, state_changed_at = ? WHERE id = ? AND state = 'active'",
    [reason, now, shopId],
  );
  return result.affectedRows > 0;
}

/** Resumes a paused shop (only one paused for one of `pausedFor`, when given); true when it was paused so. An active shop has no reason. */
export async function markShopResumed(db: Queryable, shopId: number, now: Date, pausedFor?: StateReason[]): Promise<boolean> {
  const result = await execute(
    db,
    `UPDATE shops SET state = 'active', state_reason = NULL, state_changed_at = ?, profile_failures = 0
     WHERE id = ? AND state = 'paused'${pausedFor ? ' AND state_reason IN (?)' : ''}`,
    [now, shopId, ...(pausedFor ? [pausedFor] : [])],
  );
  return result.affectedRows > 0;
}

/** Disconnects the shop (its key is forgotten once its webhooks are deleted: forgetShopKey); true when it was not disconnected yet. */
export async function markShopDisconnected(db: Queryable, shopId: number, reason: StateReason, now: Date): Promise<boolean> {
  const result = await execute(
    db,
    `UPDATE shops SET state = 'disconnected', state_reason = ?, state_changed_at = ?, profile_failures = 0
     WHERE id = ? AND state <> 'disconnected'`,
    [reason, now, shopId],
  );
  return result.affectedRows > 0;
}

/** A disconnected shop connected again (a new REST key) is active; true when it was disconnected. */
export async function markShopReconnected(db: Queryable, shopId: number, now: Date): Promise<boolean> {
  const result = await execute(
    db,
    "UPDATE shops SET state = 'active', state_reason = NULL, state_changed_at = ? WHERE id = ? AND state = 'disconnected'",
    [now, shopId],
  );
  return result.affectedRows > 0;
}

/**
 * The shops whose work is held (paused or disconnected): the step and send loops skip their rows.
 * A handful of rows at most; `shops` is read by its primary key range, with no lock.
 */
export async function heldShopIds(db: Queryable): Promise<number[]> {
  return selectRows(db, "SELECT id FROM shops WHERE state <> 'active'", [], (r) => r.num('id'));
}

/** Counts one more failed profile read in a row; answers the count. */
export async function countProfileFailure(db: Queryable, shopId: number): Promise<number> {
  await execute(db, 'UPDATE shops SET profile_failures = profile_failures + 1 WHERE id = ?', [shopId]);
  return (await selectOne(db, 'SELECT profile_failures FROM shops WHERE id = ?', [shopId], (r) => r.num('profile_failures'))) ?? 0;
}

export async function resetProfileFailures(db: Queryable, shopId: number): Promise<void> {
  await execute(db, 'UPDATE shops SET profile_failures = 0 WHERE id = ? AND profile_failures <> 0', [shopId]);
}

/**
 * Ends up to `limit` of a disconnected shop's running enrollments (exit reason 'disconnected');
 * answers how many. Their recovery marks are cleared by the disconnect itself, so none is flagged.
 */
export async function exitShopEnrollments(db: Queryable, shopId: number, now: Date, limit: number): Promise<number> {
  const result = await execute(
    db,
    `UPDATE enrollments SET status = 'exited', exit_reason = 'disconnected', exited_at = ?, next_step_at = NULL, locked_at = NULL, mark_dirty = FALSE
     WHERE shop_id = ? AND status = 'active' LIMIT ?`,
    [now, shopId, limit],
  );
  return result.affectedRows;
}

/** Forgets a disconnected shop's REST key and what its webhooks were. */
export async function forgetShopKey(db: Queryable, shopId: number): Promise<void> {
  await execute(
    db,
    'UPDATE shops SET consumer_key = NULL, consumer_secret = NULL, webhooks = NULL, webhooks_checked_at = NULL, connection_error = NULL WHERE id = ?',
    [shopId],
  );
}
