import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/mysql2';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import mysql from 'mysql2/promise';
import { withNamedLock } from './named-lock.ts';
import { useSecretBox, type SecretBox } from './secret-box.ts';

export type Database = {
  pool: mysql.Pool;
  /** Server name and version, e.g. "MariaDB 10.11.19". */
  server: string;
  /** Whether the database answers within `timeoutMs` (1.5 s: /healthz answers within 2 s whatever the database does). */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
};

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

/** How long the database may keep a request waiting (every one bounded: a stalled server must not hang the sidecar). */
export type PoolLimits = {
  /** Waiting for a free connection. */
  acquireTimeoutMs: number;
  /** One statement run on the pool (transactions and named locks keep their own pace). */
  queryTimeoutMs: number;
  /** Requests waiting for a connection at once; one more is refused at once. */
  queueLimit: number;
};

export const DEFAULT_POOL_LIMITS: PoolLimits = { acquireTimeoutMs: 10_000, queryTimeoutMs: 60_000, queueLimit: 1_000 };

/** Options every connection gets: UTC times, exact big numbers, matched (not changed) row counts. */
export function poolOptions(url: string, connectionLimit: number, limits: PoolLimits = DEFAULT_POOL_LIMITS): mysql.PoolOptions {
  return {
    uri: url,
    timezone: 'Z',
    dateStrings: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: false,
    connectionLimit,
    maxIdle: connectionLimit,
    enableKeepAlive: true,
    waitForConnections: true,
    queueLimit: limits.queueLimit,
    connectTimeout: Math.min(10_000, limits.acquireTimeoutMs),
    multipleStatements: false,
    charset: 'utf8mb4_unicode_ci',
    flags: ['FOUND_ROWS'],
    // JSON always as text, parsed by db/json-column.ts: one behaviour on MySQL and MariaDB.
    jsonStrings: true,
    // No stack capture per query (5% of the webhook path's CPU in a profile); errors still carry
    // the server's code and message, and our callers add what they were doing.
    trace: false,
  };
}

type CoreConnection = { on(event: 'error', listener: () => void): unknown };
type CorePool = { getConnection(cb: unknown): void; _allConnections?: { peekBack(): CoreConnection | undefined } };

/**
 * Errors on pooled connections are answered to the query that was running, or mean an idle
 * connection died (a restarted server), which the pool replaces on next use; either way no
 * 'error' event may go unheard, or Node ends the process. mysql2 only hands a connection to pool
 * 'connection' listeners once its handshake succeeded, and one that fails during the handshake
 * can emit a second 'error' with nobody listening (sidorares/node-mysql2#1085: seen here as a
 * worker dying with PROTOCOL_CONNECTION_LOST while MariaDB was killed). So every connection gets
 * a listener the moment the pool creates it: getConnection is wrapped and the newest connection
 * taken from the pool's list. test/reliability/pool-errors.test.ts fails if mysql2's internals move.
 */
export function guardNewConnections(pool: mysql.Pool): boolean {
  const core = (pool as unknown as { pool?: CorePool }).pool;
  if (typeof core?.getConnection !== 'function' || typeof core._allConnections?.peekBack !== 'function') return false;
  const guarded = new WeakSet<CoreConnection>();
  const ignore = () => undefined;
  const getConnection = core.getConnection.bind(core);
  core.getConnection = (cb: unknown) => {
    getConnection(cb);
    // A new connection was pushed synchronously (its handshake runs later); a reused one is guarded already.
    const newest = core._allConnections!.peekBack();
    if (newest && !guarded.has(newest)) {
      guarded.add(newest);
      newest.on('error', ignore);
    }
  };
  return true;
}

type CoreQuery = { timeout?: number; _connection: { destroy(): void } | null; _handleTimeoutError(): void };
type BoundablePool = {
  getConnection(cb: (error: Error | null, connection?: { release(): void }) => void): void;
  query(...args: unknown[]): CoreQuery;
};

/** Told of each wait for a pooled connection (the metrics' pool gauges, metrics/metrics.ts); must not throw. */
export type PoolWaits = { began(): void; ended(waitedMs: number): void };

/** The error a request gets when the database kept it waiting too long, or too many wait already. */
export class DatabaseBusyError extends Error {
  override name = 'DatabaseBusyError';
  readonly code = 'DB_BUSY';
}

/**
 * Bounds every wait on the pool, which mysql2 leaves unbounded: a connection is waited for at most
 * `acquireTimeoutMs` (a connection handed over later goes straight back to the pool), and a statement
 * run on the pool at most `queryTimeoutMs` unless it names its own `timeout`. A statement that ran
 * out of time has its connection destroyed: mysql2 would otherwise keep it busy until the server
 * answered (forever, from a stalled server). The queue itself is bounded by `queueLimit`. `waits`
 * hears each wait begin and end (a refusal at the queue limit included).
 */
export function boundPool(pool: mysql.Pool, limits: PoolLimits, waits?: PoolWaits): boolean {
  const core = (pool as unknown as { pool?: BoundablePool }).pool;
  if (typeof core?.getConnection !== 'function' || typeof core.query !== 'function') return false;
  const getConnection = core.getConnection.bind(core);
  core.getConnection = (cb) => {
    let settled = false;
    const began = performance.now();
    waits?.began();
    const timer = setTimeout(() => {
      settled = true;
      waits?.ended(performance.now() - began);
      cb(new DatabaseBusyError(`no database connection within ${limits.acquireTimeoutMs} ms`));
    }, limits.acquireTimeoutMs);
    timer.unref();
    getConnection((error, connection) => {
      clearTimeout(timer);
      if (settled) return void connection?.release();
      waits?.ended(performance.now() - began);
      cb(error, connection);
    });
  };
  const query = core.query.bind(core);
  core.query = (...args: unknown[]) => {
    const command = query(...args);
    if (command.timeout === undefined) command.timeout = limits.queryTimeoutMs;
    const timedOut = command._handleTimeoutError.bind(command);
    command._handleTimeoutError = () => {
      timedOut();
      command._connection?.destroy();
    };
    return command;
  };
  return true;
}

/** Whether an error means the database could not answer in time, or at all (the request may be tried again later). */
export function databaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (e instanceof DatabaseBusyError || e.message === 'Queue limit reached.' || e.message === 'Pool is closed.') return true;
  return (
    typeof e.code === 'string' &&
    [
      'PROTOCOL_SEQUENCE_TIMEOUT',
      'PROTOCOL_CONNECTION_LOST',
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'ER_STATEMENT_TIMEOUT',
    ].includes(e.code)
  );
}

/**
 * Connects to the database named in the URL, creating it when missing, and refuses servers
 * without SKIP LOCKED (MySQL < 8.0.1, MariaDB < 10.6): the scheduler needs it to share work.
 */
export async function openDatabase(
  url: string,
  options: { connectionLimit?: number; limits?: PoolLimits; secretBox?: SecretBox; waits?: PoolWaits } = {},
): Promise<Database> {
  const limits = options.limits ?? DEFAULT_POOL_LIMITS;
  const name = databaseName(url);
  const admin = await mysql.createConnection({
    uri: withoutDatabase(url),
    timezone: 'Z',
    connectTimeout: Math.min(10_000, limits.acquireTimeoutMs),
  });
  let server: string;
  try {
    const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
    server = describeServer(String(rows[0]?.v ?? ''));
    await admin.query(`CREATE DATABASE IF NOT EXISTS ${mysql.escapeId(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const pool = mysql.createPool(poolOptions(url, options.connectionLimit ?? 20, limits));
  guardNewConnections(pool);
  boundPool(pool, limits, options.waits);
  if (options.secretBox) useSecretBox(pool, options.secretBox);
  // The session speaks UTC too, so NOW(3) and the CURRENT_TIMESTAMP(3) defaults are UTC like the
  // times Node writes, whatever zone the server runs in (queued before any query of the connection).
  (pool as unknown as { on(event: 'connection', cb: (c: { query(sql: string): unknown }) => void): void }).on(
    'connection',
    (connection) => {
      connection.query("SET time_zone = '+00:00'");
    },
  );
  return {
    pool,
    server,
    async ping(timeoutMs = 1_500) {
      // Bounded twice: waiting for a connection and the answer, whatever the pool's own limits.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([pool.query({ sql: 'SELECT 1', timeout: timeoutMs }).then(() => true), late]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * Applies pending drizzle-kit migrations (drizzle owns the tables and migrations; queries are SQL
 * in each room's store, see docs/ARCHITECTURE.md). A named lock serialises sidecars that start together,
 * so the second one waits and then finds nothing left to do.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  await withNamedLock(database.pool, 'comeback:migrate', 300, () => migrate(drizzle(database.pool), { migrationsFolder: MIGRATIONS }));
}

export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_$-]{1,64}$/.test(name)) {
    throw new Error(`database URL must name a database (letters, digits, _ $ -): got "${name}"`);
  }
  return name;
}

export function withDatabase(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

function withoutDatabase(url: string): string {
  const u = new URL(url);
  u.pathname = '/';
  return u.toString();
}

function describeServer(version: string): string {
  const maria = /mariadb/i.test(version);
  const [major = 0, minor = 0] = version.split(/[.-]/).map(Number);
  const ok = maria ? major > 10 || (major === 10 && minor >= 6) : major >= 8;
  const label = `${maria ? 'MariaDB' : 'MySQL'} ${version.split('-')[0]}`;
  if (!ok) {
    throw new Error(`${label} is too old: Comeback needs MySQL 8.0+ or MariaDB 10.6+ (SELECT … FOR UPDATE SKIP LOCKED)`);
  }
  return label;
}
