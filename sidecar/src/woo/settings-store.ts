import { execute, selectOne, type Queryable } from '../db/queryable.ts';

/** The `settings` table: one JSON document per shop and key (the company, the formats, a room's settings). */

/** The stored document, as found; null when the shop has none under this key. */
export async function settingsDocument(db: Queryable, shopId: number, key: string): Promise<{ value: unknown } | null> {
  return selectOne(db, 'SELECT value FROM settings WHERE shop_id = ? AND `key` = ?', [shopId, key], (r) => ({
    value: r.json<unknown>('value'),
  }));
}

/** Stores the document (JSON text) under the key, counting a new version when one was there. */
export async function upsertSettingsDocument(db: Queryable, shopId: number, key: string, json: string): Promise<void> {
  await execute(
    db,
    'INSERT INTO settings (shop_id, `key`, value) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value), version = version + 1, updated_at = CURRENT_TIMESTAMP(3)',
    [shopId, key, json],
  );
}
