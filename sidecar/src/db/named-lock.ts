import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';

/**
 * Runs `work` holding a database-wide named lock (GET_LOCK, in MySQL and MariaDB alike), so
 * sidecars sharing one database — and two tasks in one sidecar — do a look-then-write one at a
 * time. The lock belongs to the connection `work` is handed; it is released however `work` ends.
 */
export async function withNamedLock<T>(
  pool: Pool,
  name: string,
  timeoutSeconds: number,
  work: (conn: PoolConnection) => Promise<T>,
): Promise<T> {
  // MySQL refuses lock names over 64 characters.
  if (name.length > 64) throw new Error(`lock name over 64 characters: ${name}`);
  const conn = await pool.getConnection();
  try {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [name, timeoutSeconds]);
    if (rows[0]?.got !== 1) throw new Error(`could not take the lock ${name} within ${timeoutSeconds} s`);
    try {
      return await work(conn);
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [name]);
    }
  } finally {
    conn.release();
  }
}
