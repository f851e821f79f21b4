import { randomBytes } from 'node:crypto';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { jsonColumn } from '../db/json-column.ts';

/**
 * The key that signs customer links. Made once, kept in the database so every sidecar on it
 * signs and checks with the same key (settings row of shop 0); never logged.
 */
export async function ensureLinkSecret(pool: Pool): Promise<string> {
  await pool.query("INSERT IGNORE INTO settings (shop_id, `key`, value) VALUES (0, 'link_secret', ?)", [
    JSON.stringify({ secret: randomBytes(32).toString('base64url') }),
  ]);
  const [rows] = await pool.query<RowDataPacket[]>("SELECT value FROM settings WHERE shop_id = 0 AND `key` = 'link_secret'");
  const parsed = jsonColumn<{ secret?: unknown }>(rows[0]?.value);
  if (typeof parsed?.secret !== 'string' || parsed.secret.length < 32) throw new Error('the stored link secret is unreadable');
  return parsed.secret;
}
