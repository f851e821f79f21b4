import type { Pool, PoolConnection } from 'mysql2/promise';

export type TransactionOptions = {
  /**
   * READ COMMITTED for claims (SELECT … FOR UPDATE SKIP LOCKED): the locking reads take record
   * locks only, so rows a scan reads but does not take stay free for other sidecars, and no gap
   * locks block (or deadlock with) concurrent inserts. Default: the server's (REPEATABLE READ).
   */
  readCommitted?: boolean;
};

/** Runs `work` in a transaction on one connection: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(
  pool: Pool,
  work: (conn: PoolConnection) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const conn = await pool.getConnection();
  try {
    if (options.readCommitted) await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await conn.beginTransaction();
    const result = await work(conn);
    await conn.commit();
    return result;
  } catch (error) {
    await conn.rollback().catch(() => undefined);
    throw error;
  } finally {
    conn.release();
  }
}
