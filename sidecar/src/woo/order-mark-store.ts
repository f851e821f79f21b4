import { execute, selectRows, type Queryable } from '../db/queryable.ts';

/**
 * The recovery marks as `enrollments` carries them: `mark_until` (how long the order is in
 * recovery) and `mark_dirty` (the shop has not been told the latest state yet).
 */

/** An enrollment whose mark the shop has not been told yet; `status` is the state being pushed. */
export type DirtyMark = { id: number; shopId: number; orderId: number; status: string; markUntil: Date | null };

/** Shops without the plugin read no marks: their enrollments' flags are simply dropped. */
export async function clearMarksOfShopsWithoutPlugin(db: Queryable): Promise<void> {
  await execute(
    db,
    'UPDATE enrollments e JOIN shops s ON s.id = e.shop_id SET e.mark_dirty = FALSE WHERE e.mark_dirty AND s.link_base IS NULL',
  );
}

/** Up to `limit` enrollments whose marks are to be pushed, ordered by shop. */
export async function dirtyMarks(db: Queryable, limit: number): Promise<DirtyMark[]> {
  return selectRows(
    db,
    'SELECT id, shop_id, subject_id, status, mark_until FROM enrollments FORCE INDEX (enrollments_mark_dirty) WHERE mark_dirty ORDER BY shop_id LIMIT ?',
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

/** Every active enrollment of the shop (and completed one still in its link's grace) is to be marked again (its plugin just started reading marks). */
export async function flagActiveMarks(db: Queryable, shopId: number): Promise<void> {
  await execute(
    db,
    "UPDATE enrollments SET mark_dirty = TRUE WHERE shop_id = ? AND (status = 'active' OR (status = 'completed' AND mark_until IS NOT NULL))",
    [shopId],
  );
}
