/**
 * A JSON column's value. The pool asks for JSON as text (`jsonStrings`): MariaDB's JSON is
 * LONGTEXT and, depending on server metadata, the driver would sometimes hand it over parsed and
 * sometimes not — ambiguous for a stored bare string. As text, parsing here is always right.
 */
export function jsonColumn<T = unknown>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return JSON.parse(value) as T;
  if (Buffer.isBuffer(value)) return JSON.parse(value.toString('utf8')) as T;
  throw new TypeError(`a JSON column must arrive as text (jsonStrings), not as ${typeof value}`);
}
