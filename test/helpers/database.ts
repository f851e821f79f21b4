import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeEach, inject } from 'vitest';
import { migrateDatabase, openDatabase, withDatabase, type Database } from '../../sidecar/src/db/database.ts';
import { embeddedSecretKey, SecretBox } from '../../sidecar/src/db/secret-box.ts';

export type TestDatabase = { database: Database; url: string; name: string };

/** The MariaDB server started for this run (root URL, no database selected). */
export function testServerUrl(): string {
  return inject('mariadbServerUrl');
}

/**
 * A fresh, migrated database for one test file on the run's MariaDB. It is dropped after the
 * file when every test passed, and kept (its name printed) for a look when one failed.
 */
export async function createTestDatabase(label: string, options: { connectionLimit?: number } = {}): Promise<TestDatabase> {
  const name = `t_${label.replace(/[^a-z0-9]+/gi, '_').slice(0, 40)}_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(testServerUrl(), name);
  // The key every sidecar of the test run uses too (COMEBACK_HOME/secret-key, made once).
  const database = await openDatabase(url, { ...options, secretBox: new SecretBox(embeddedSecretKey('.comeback')) });
  await migrateDatabase(database);
  let failed = false;
  beforeEach((context) => {
    context.onTestFailed(() => {
      failed = true;
    });
  });
  afterAll(async () => {
    await database.close().catch(() => undefined);
    if (failed) {
      console.warn(`kept database ${name} for inspection (a test failed)`);
      return;
    }
    const admin = await mysql.createConnection({ uri: testServerUrl() });
    await admin.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(name)}`);
    await admin.end();
  });
  return { database, url, name };
}
