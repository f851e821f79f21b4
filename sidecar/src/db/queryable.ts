import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { jsonColumn } from './json-column.ts';
import { secretBoxOf } from './secret-box.ts';

/** What a query runs on: the pool, or one connection inside a transaction. */
export type Queryable = Pool | PoolConnection;

/** The pool (each statement its own transaction), not one connection that may be inside a transaction. */
export const isPool = (db: Queryable): db is Pool => 'getConnection' in db;

/**
 * One result row, read by column with its type. mysql2 hands back loosely typed values (BIGINT
 * and DECIMAL as numbers or strings, TINYINT(1) as 0/1, JSON as text); each store maps its rows
 * once, through these readers, into the room's own types.
 */
export class Row {
  constructor(
    private readonly row: RowDataPacket,
    private readonly db?: Queryable,
  ) {}

  num(column: string): number {
    return Number(this.row[column]);
  }
  numOrNull(column: string): number | null {
    const v = this.row[column];
    return v === null || v === undefined ? null : Number(v);
  }
  str(column: string): string {
    const v = this.row[column];
    return v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  }
  strOrNull(column: string): string | null {
    const v = this.row[column];
    return v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  }
  bool(column: string): boolean {
    const v = this.row[column];
    return v === true || v === 1 || v === '1' || (Buffer.isBuffer(v) && v[0] === 1);
  }
  date(column: string): Date {
    return this.row[column] as Date;
  }
  dateOrNull(column: string): Date | null {
    return (this.row[column] as Date | null | undefined) ?? null;
  }
  json<T>(column: string): T | null {
    return jsonColumn<T>(this.row[column]);
  }
  /** A secret column, opened with the database's key (db/secret-box.ts); '' when empty. */
  secret(column: string): string {
    const v = this.strOrNull(column);
    return v === null || v === '' ? '' : secretBoxOf(this.db!).open(v);
  }
  /** The raw value, for the rare column whose type is decided by the caller (e.g. a Buffer). */
  raw(column: string): unknown {
    return this.row[column];
  }
}

/** Runs a SELECT and maps every row once. */
export async function selectRows<T>(db: Queryable, sql: string, params: unknown[], map: (row: Row) => T): Promise<T[]> {
  const [rows] = await db.query<RowDataPacket[]>(sql, params);
  return rows.map((r) => map(new Row(r, db)));
}

/** Runs a SELECT and maps its first row, or answers null when there is none. */
export async function selectOne<T>(db: Queryable, sql: string, params: unknown[], map: (row: Row) => T): Promise<T | null> {
  const [rows] = await db.query<RowDataPacket[]>(sql, params);
  return rows[0] ? map(new Row(rows[0], db)) : null;
}

/** Runs an INSERT, UPDATE or DELETE; answers what the server said (affectedRows, insertId). */
export async function execute(db: Queryable, sql: string, params: unknown[] = []): Promise<ResultSetHeader> {
  const [result] = await db.query<ResultSetHeader>(sql, params);
  return result;
}

/** A secret as a secret column stores it: sealed with the database's key (db/secret-box.ts). */
export function sealed(db: Queryable, plain: string): string {
  return secretBoxOf(db).seal(plain);
}
