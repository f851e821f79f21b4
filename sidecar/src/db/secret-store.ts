import { execute, selectRows, type Queryable } from './queryable.ts';
import { SecretKeyError, secretBoxOf } from './secret-box.ts';

/** The shops' sealed columns: the REST key's secret and the shared secret, with a rotation's new and previous one. */
const SHOP_SECRET_COLUMNS = ['webhook_secret', 'consumer_secret', 'next_secret', 'previous_secret'] as const;

/** Rows looked at per statement: the pass never holds more than this many at once. */
const BATCH = 500;

/**
 * Seals every secret still stored plain (a database from before sealing) and re-seals every one
 * sealed with the previous key (a re-key: COMEBACK_SECRET_KEY_PREVIOUS set), in batches, at start.
 * Safe to run by several sidecars at once and again and again: each row is written only if it
 * still holds what was read. First of all the database's key check is opened, so a sidecar started
 * with another key than the one the database's secrets were sealed with stops, saying so.
 * Answers how many values were written.
 */
export async function sealStoredSecrets(db: Queryable): Promise<number> {
  const box = secretBoxOf(db);
  await checkKey(db);
  let written = 0;
  for (let after = 0; ;) {
    const rows = await selectRows(
      db,
      `SELECT id, ${SHOP_SECRET_COLUMNS.join(', ')} FROM shops WHERE id > ? ORDER BY id LIMIT ?`,
      [after, BATCH],
      (r) => ({ id: r.num('id'), values: SHOP_SECRET_COLUMNS.map((c) => r.strOrNull(c)) }),
    );
    for (const row of rows) {
      const values = row.values.map((v) => (v && box.needsSealing(v) ? box.seal(box.open(v)) : v));
      if (values.every((v, i) => v === row.values[i])) continue;
      const result = await execute(
        db,
        `UPDATE shops SET ${SHOP_SECRET_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND ${SHOP_SECRET_COLUMNS.map((c) => `${c} <=> ?`).join(' AND ')}`,
        [...values, row.id, ...row.values],
      );
      written += result.affectedRows;
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]!.id;
  }
  // The link-signing key (shop 0) and each shop's loyalty events key, in their settings documents.
  for (const [key, field] of [
    ['link_secret', 'secret'],
    ['loyalty', 'eventsKey'],
  ] as const) {
    for (let after = -1; ;) {
      const rows = await selectRows(
        db,
        'SELECT shop_id, value, version FROM settings WHERE `key` = ? AND shop_id > ? ORDER BY shop_id LIMIT ?',
        [key, after, BATCH],
        (r) => ({ shopId: r.num('shop_id'), version: r.num('version'), value: r.json<Record<string, unknown>>('value') }),
      );
      for (const row of rows) {
        const stored = row.value?.[field];
        if (typeof stored !== 'string' || !box.needsSealing(stored)) continue;
        const value = JSON.stringify({ ...row.value, [field]: box.seal(box.open(stored)) });
        const result = await execute(
          db,
          'UPDATE settings SET value = ?, version = version + 1 WHERE shop_id = ? AND `key` = ? AND version = ?',
          [value, row.shopId, key, row.version],
        );
        written += result.affectedRows;
      }
      if (rows.length < BATCH) break;
      after = rows[rows.length - 1]!.shopId;
    }
  }
  return written;
}

const CHECK = 'comeback secret key check';

/** The first sidecar leaves a value sealed with its key; a later one that cannot open it has another key and must not start. */
async function checkKey(db: Queryable): Promise<void> {
  const box = secretBoxOf(db);
  await execute(db, "INSERT IGNORE INTO settings (shop_id, `key`, value) VALUES (0, 'secret_key_check', ?)", [
    JSON.stringify({ check: box.seal(CHECK) }),
  ]);
  const [row] = await selectRows(db, "SELECT value FROM settings WHERE shop_id = 0 AND `key` = 'secret_key_check'", [], (r) =>
    r.json<{ check?: string }>('value'),
  );
  let opened: string | undefined;
  try {
    opened = box.open(row?.check ?? '');
  } catch (error) {
    throw new SecretKeyError(
      `the secrets in this database were sealed with another key than COMEBACK_SECRET_KEY (${(error as Error).message}); every sidecar on one database needs the same key`,
    );
  }
  if (opened !== CHECK) throw new SecretKeyError('the database’s key check is unreadable');
  if (box.needsSealing(row!.check!)) {
    await execute(db, "UPDATE settings SET value = ? WHERE shop_id = 0 AND `key` = 'secret_key_check'", [
      JSON.stringify({ check: box.seal(CHECK) }),
    ]);
  }
}
