import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { drizzle } from 'drizzle-orm/mysql2';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, withDatabase } from '../../sidecar/src/db/database.ts';
import { consentsAmong, mayContact } from '../../sidecar/src/consent/consent.ts';
import { testServerUrl } from '../helpers/database.ts';

const MIGRATIONS = join(import.meta.dirname, '../../sidecar/src/db/migrations');

/**
 * The consents of a shop that ran before purposes (one row per channel and address) are moved
 * honestly: the checkout box was for cart reminders only, a START or other grant for marketing on
 * its channel, a withdrawal covers every purpose of its channel, a bounce stays.
 */
describe('the consent purposes migration', () => {
  const name = `t_consent_migrate_${randomBytes(4).toString('hex')}`;
  const before = mkdtempSync(join(tmpdir(), 'comeback-migrations-'));
  afterAll(async () => {
    rmSync(before, { recursive: true, force: true });
    const admin = await mysql.createConnection({ uri: testServerUrl() });
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  });

  it('moves each old consent to the purposes it was given for, with its history', async () => {
    // The migrations as they were before this one.
    cpSync(MIGRATIONS, before, { recursive: true });
    const journal = JSON.parse(readFileSync(join(before, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
    // This one and every later one: drizzle applies only migrations newer than the last it applied.
    journal.entries = journal.entries.slice(
      0,
      journal.entries.findIndex((e) => e.tag === '0020_consent_purposes'),
    );
    writeFileSync(join(before, 'meta/_journal.json'), JSON.stringify(journal));
    const database = await openDatabase(withDatabase(testServerUrl(), name));
    const pool = database.pool;
    await migrate(drizzle(pool), { migrationsFolder: before });
    await pool.query("INSERT INTO shops (id, url, webhook_secret) VALUES (1, 'https://shop.example.test', 'x')");
    await pool.query(
      `INSERT INTO consents (shop_id, channel, address, status, source, text, changed_at) VALUES
        (1, 'email', 'cart@example.test', 'granted', 'checkout', 'Remind me about my cart', '2025-01-02 10:00:00'),
        (1, 'sms', '+48601234567', 'granted', 'sms-keyword', 'replied "START" by SMS', '2025-01-03 10:00:00'),
        (1, 'email', 'gone@example.test', 'withdrawn', 'one-click', NULL, '2025-01-04 10:00:00'),
        (1, 'email', 'bounced@example.test', 'bounced', 'bounce', NULL, '2025-01-05 10:00:00')`,
    );

    await migrateDatabase(database);
    const [rows] = await pool.query<mysql.RowDataPacket[]>(
      'SELECT address, channel, purpose, status, source, claimed_at, log_id IS NOT NULL AS logged FROM consents ORDER BY address, purpose',
    );
    const summary = rows.map((r) => `${r.address} ${r.channel} ${r.purpose} ${r.status} ${r.source} ${r.logged}`);
    expect(summary).toEqual([
      '+48601234567 sms marketing granted keyword 1',
      'bounced@example.test email cart bounced bounce 1',
      'bounced@example.test email marketing bounced bounce 1',
      'cart@example.test email cart granted checkout 1',
      'gone@example.test email cart withdrawn unsubscribe 1',
      'gone@example.test email marketing withdrawn unsubscribe 1',
      'gone@example.test email order withdrawn unsubscribe 1',
    ]);
    expect(rows.every((r) => r.claimed_at instanceof Date)).toBe(true);
    const [[log]] = await pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM consent_log');
    expect(Number(log!.n)).toBe(7);
    // A checkout grant is no marketing consent; the old unsubscribe still stops mail about orders.
    const may = async (purpose: 'order' | 'cart' | 'marketing', address: string) =>
      mayContact('email', purpose, (await consentsAmong(pool, 1, purpose, 'email', [address])).get(address));
    expect(await may('cart', 'cart@example.test')).toEqual({ ok: true });
    expect(await may('marketing', 'cart@example.test')).toEqual({ ok: false, reason: 'no_consent' });
    expect(await may('order', 'gone@example.test')).toEqual({ ok: false, reason: 'withdrawn' });
    expect(await may('order', 'bounced@example.test')).toEqual({ ok: true });
    await database.close();
  });
});
