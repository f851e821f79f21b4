import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, withDatabase } from '../../sidecar/src/db/database.ts';
import { testServerUrl } from '../helpers/database.ts';

describe('migrations', () => {
  const name = `t_migrate_${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    const admin = await mysql.createConnection({ uri: testServerUrl() });
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  });

  it('are applied once when two sidecars start together, and again is a no-op', async () => {
    const url = withDatabase(testServerUrl(), name);
    const [a, b] = await Promise.all([openDatabase(url), openDatabase(url)]);
    await Promise.all([migrateDatabase(a), migrateDatabase(b)]);
    await migrateDatabase(a);
    const [applied] = await a.pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM __drizzle_migrations');
    const [tables] = await a.pool.query<mysql.RowDataPacket[]>(
      'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name',
      [name],
    );
    expect(Number(applied[0]!.n)).toBeGreaterThan(0);
    const names = tables.map((r) => r.t);
    for (const t of ['agenda_jobs', 'shops', 'settings', 'events', 'orders', 'enrollments', 'outbox', 'clicks']) expect(names).toContain(t);
    // Every time column is DATETIME(3), stored in UTC.
    const [times] = await a.pool.query<mysql.RowDataPacket[]>(
      "SELECT DISTINCT column_type AS ct FROM information_schema.columns WHERE table_schema = ? AND data_type = 'datetime'",
      [name],
    );
    expect(times.map((r) => r.ct)).toEqual(['datetime(3)']);
    await a.close();
    await b.close();
  });

  it('refuse a URL without a database name', async () => {
    await expect(openDatabase(testServerUrl())).rejects.toThrow(/must name a database/);
  });
});
