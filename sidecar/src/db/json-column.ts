/**
 * A JSON column's value. The pool asks for JSON as text (`jsonStrings`): MariaDB's JSON is
 * LONGTEXT and, depending on server metadata, the driver would sometimes hand it over parsed and
 * sometimes not — ambiguous for a stored bare string. As text, parsing here is always right.
 */
export function jsonColumn<T = unknown>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return JSON.parse(Buffer.isBuffer(value) ? value.toString('utf8') : String(value)) as T;
}
