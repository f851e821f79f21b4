import { execute, selectRows, type Queryable } from '../db/queryable.ts';

/**
 * The recovery marks as `enrollments` carries them: `mark_until` (how long the order is in
 * recovery) and `mark_dirty` (the shop has not been told the latest state yet).
 */

/** An enrollment whose mark the shop has not been told yet; `status` is the state being pushed. */
export type DirtyMark = { id: number; shopId: number; orderId: number; status: string; markUntil: Date | null };

/**
 * Shops without the plugin read no marks, and a disconnected shop's marks were cleared when it
 * disconnected (or by its plugin's uninstall): their enrollments' flags are simply dropped.
 */
export async function clearMarksOfShopsWithoutPlugin(db: Queryable): Promise<void> {
  await execute(
    db,
    "UPDATE enrollments e JOIN shops s ON s.id = e.shop_id SET e.mark_dirty = FALSE WHERE e.mark_dirty AND (s.link_base IS NULL OR s.state = 'disconnected')",
  );
}

/** Up to `limit` enrollments whose marks are to be pushed, ordered by shop; a paused shop's wait (nothing is written into it). */
export async function dirtyMarks(db: Queryable, limit: number): Promise<DirtyMark[]> {
  return selectRows(
    db,
    `SELECT e.id, e.shop_id, e.subject_id, e.status, e.mark_until FROM enrollments e FORCE INDEX (enrollments_mark_dirty)
     JOIN shops s ON s.id = e.shop_id AND s.state = 'active' WHERE e.mark_dirty ORDER BY e.shop_id LIMIT ?`,
    [limit],
    (r) => ({
      id: r.num('id'),
      shopId: r.num('shop_id'),
      orderId: r.num('subject_id'),
      status: r.str('status'),
      markUntil: r.dateOrNull('mark_until'),
    }),
  );
}

/**
 * Clears the flags of marks pushed, each only while its enrollment is still in the state pushed
 * (status and mark: a completed enrollment's mark cleared by a payment meanwhile is pushed again).
 */
export async function clearPushedMarks(db: Queryable, pushed: Array<Pick<DirtyMark, 'id' | 'status' | 'markUntil'>>): Promise<void> {
  await execute(
    db,
    `UPDATE enrollments SET mark_dirty = FALSE WHERE id IN (?) AND (${pushed.map(() => '(id = ? AND status = ? AND mark_until <=> ?)').join(' OR ')})`,
    [pushed.map((m) => m.id), ...pushed.flatMap((m) => [m.id, m.status, m.markUntil])],
  );
}

/** Every order of the shop still marked in recovery (an enrollment with a mark), `limit` at a time after `afterId`: what a disconnect clears. */
export async function markedOrdersOfShop(
  db: Queryable,
  shopId: number,
  afterId: number,
  limit: number,
): Promise<Array<{ id: number; orderId: number }>> {
  return selectRows(
    db,
    `SELECT id, subject_id FROM enrollments WHERE shop_id = ? AND id > ? AND mark_until IS NOT NULL AND subject_type = 'order'
     ORDER BY id LIMIT ?`,
    [shopId, afterId, limit],
    (r) => ({ id: r.num('id'), orderId: r.num('subject_id') }),
  );
}

/** Every active enrollment of the shop (and completed one still in its link's grace) is to be marked again (its plugin just started reading marks). */
export async function flagActiveMarks(db: Queryable, shopId: number): Promise<void> {
  await execute(
    db,
    "UPDATE enrollments SET mark_dirty = TRUE WHERE shop_id = ? AND (status = 'active' OR (status = 'completed' AND mark_until IS NOT NULL))",
    [shopId],
  );
}
