import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';

describe('the database session', async () => {
  const { database } = await createTestDatabase('session_tz', { connectionLimit: 3 });

  it('speaks UTC on every pooled connection, so NOW() and column defaults match the times Node writes', async () => {
    // Three at once: three connections, each set up as the pool made it.
    const zones = await Promise.all(
      [0, 1, 2].map(async () => (await database.pool.query<RowDataPacket[]>('SELECT @@session.time_zone AS tz, SLEEP(0.05)'))[0][0]!.tz),
    );
    expect(zones).toEqual(['+00:00', '+00:00', '+00:00']);
    const [[row]] = (await database.pool.query('SELECT NOW(3) AS now')) as unknown as [[{ now: Date }]];
    expect(Math.abs(row.now.getTime() - Date.now())).toBeLessThan(60_000);
  });
});
