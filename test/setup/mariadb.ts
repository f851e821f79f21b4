import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedMariaDb, type EmbeddedMariaDb } from '../../sidecar/src/db/embedded-mariadb.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    mariadbServerUrl: string;
    mariadbDataDir: string;
  }
}

let server: EmbeddedMariaDb | undefined;
let dir: string | undefined;

/**
 * One real MariaDB for the whole run (each test file makes its own database on it).
 * COMEBACK_TEST_SERVER_URL points the tests at an existing MySQL/MariaDB instead.
 */
export async function setup(project: TestProject): Promise<void> {
  const external = process.env.COMEBACK_TEST_SERVER_URL;
  if (external) {
    project.provide('mariadbServerUrl', external);
    project.provide('mariadbDataDir', '');
    return;
  }
  dir = mkdtempSync(join(tmpdir(), 'comeback-test-'));
  server = await startEmbeddedMariaDb({ dir, relaxedDurability: true, bufferPoolMb: 512 });
  project.provide('mariadbServerUrl', server.serverUrl);
  project.provide('mariadbDataDir', dir);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
