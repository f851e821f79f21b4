import type { Pool, RowDataPacket } from 'mysql2/promise';

/**
 * Every text column of every table of the database where one of the patterns still is: `lower`
 * (an email, compared lower-cased), `regexp` (a number however typed, e.g. '500[ -]?000[ -]?001')
 * and `exact` (a name, case-sensitive, so hex hashes never match it). "table.column" each.
 */
export async function columnsHolding(pool: Pool, find: { lower: string; regexp: string; exact: string }): Promise<string[]> {
  const [columns] = await pool.query<RowDataPacket[]>(
    `SELECT table_name AS t, column_name AS c FROM information_schema.columns
      WHERE table_schema = DATABASE() AND data_type IN ('char', 'varchar', 'text', 'mediumtext', 'longtext', 'json', 'varbinary', 'blob', 'longblob')`,
  );
  const found: string[] = [];
  for (const { t, c } of columns) {
    const [[hit]] = await pool.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM \`${t}\` WHERE LOWER(CAST(\`${c}\` AS CHAR)) LIKE ? OR CAST(\`${c}\` AS CHAR) REGEXP ?
          OR CAST(\`${c}\` AS BINARY) LIKE BINARY ?`,
      [`%${find.lower}%`, find.regexp, `%${find.exact}%`],
    );
    if (Number(hit!.n) > 0) found.push(`${t}.${c}`);
  }
  return found;
}
