import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';

type CoreConnection = { threadId: number; emit(event: 'error', error: Error): boolean; listenerCount(event: string): number };

/**
 * No pool connection error may go unheard (db/database.ts guardNewConnections): mysql2 can emit a
 * second 'error' on a connection that failed during its handshake, before any 'connection'
 * listener saw it (sidorares/node-mysql2#1085), and an unheard 'error' ends the process.
 */
describe('pool connection errors', async () => {
  const { database } = await createTestDatabase('pool_errors', { connectionLimit: 2 });
  const core = () =>
    (database.pool as unknown as { pool: { _allConnections: { toArray(): CoreConnection[] } } }).pool._allConnections.toArray();

  it('every connection has a listener of ours from the moment the pool creates it', async () => {
    await database.pool.query('SELECT 1');
    const [connection] = core();
    expect(connection).toBeDefined();
    // mysql2's own once('error') is spent by the first error; the second must still be heard.
    const error = Object.assign(new Error('Connection lost: The server closed the connection.'), {
      code: 'PROTOCOL_CONNECTION_LOST',
      fatal: true,
    });
    expect(() => connection!.emit('error', error)).not.toThrow();
    expect(() => connection!.emit('error', error)).not.toThrow();
    expect(connection!.listenerCount('error')).toBeGreaterThanOrEqual(1);
  });

  it('a connection killed by the server is replaced on next use', async () => {
    await database.pool.query('SELECT 1');
    const conn = await database.pool.getConnection();
    const [rows] = await conn.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
    conn.release();
    await database.pool.query('KILL CONNECTION ?', [rows[0]!.id]).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [again] = await database.pool.query<RowDataPacket[]>('SELECT 1 AS ok');
    expect(again[0]!.ok).toBe(1);
  });
});
