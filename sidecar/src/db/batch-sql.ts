import type { RowDataPacket } from 'mysql2/promise';
import type { Queryable } from './queryable.ts';

/**
 * Rows as a derived table for a one-statement multi-row UPDATE (`UPDATE t JOIN (<sql>) v ON …`):
 * `SELECT ? AS a, ? AS b UNION ALL SELECT ?, ? …`, portable to MySQL 8 and MariaDB (no VALUES
 * row constructors). The group commits build their batched writes with it.
 */
export function derivedTable(columns: string[], rows: unknown[][]): { sql: string; params: unknown[] } {
  const first = `SELECT ${columns.map((c) => `? AS ${c}`).join(', ')}`;
  const rest = `SELECT ${columns.map(() => '?').join(', ')}`;
  return { sql: rows.map((_, i) => (i === 0 ? first : rest)).join(' UNION ALL '), params: rows.flat() };
}

/**
 * Inserts rows unless their key is already stored, in one INSERT, and answers each row's id and
 * whether this call created it. A key twice in one batch is one row (the second is not "created").
 * For tables with a unique key column and an auto-increment id.
 */
export async function insertOnce(
  db: Queryable,
  table: string,
  keyColumn: string,
  columns: string[],
  rows: Array<{ key: string; values: unknown[] }>,
): Promise<Array<{ id: number; created: boolean }>> {
  const keys = [...new Set(rows.map((r) => r.key))];
  const [existing] = await db.query<RowDataPacket[]>(`SELECT id, ${keyColumn} AS k FROM ${table} WHERE ${keyColumn} IN (?)`, [keys]);
  const before = new Set(existing.map((r) => String(r.k)));
  const fresh = new Map<string, unknown[]>();
  for (const row of rows) if (!before.has(row.key) && !fresh.has(row.key)) fresh.set(row.key, row.values);
  if (fresh.size > 0) await db.query(`INSERT IGNORE INTO ${table} (${columns.join(', ')}) VALUES ?`, [[...fresh.values()]]);
  const [stored] = await db.query<RowDataPacket[]>(`SELECT id, ${keyColumn} AS k FROM ${table} WHERE ${keyColumn} IN (?)`, [keys]);
  const ids = new Map(stored.map((r) => [String(r.k), Number(r.id)]));
  const claimed = new Set<string>();
  return rows.map((row) => {
    const id = ids.get(row.key);
    if (id === undefined) throw new Error(`${table}: ${row.key} was neither found nor stored`);
    const created = !before.has(row.key) && !claimed.has(row.key);
    claimed.add(row.key);
    return { id, created };
  });
}
