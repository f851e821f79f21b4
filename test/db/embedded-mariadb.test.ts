import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { processRunning, startEmbeddedMariaDb } from '../../sidecar/src/db/embedded-mariadb.ts';

describe('the private MariaDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'comeback-embedded-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('installs on first start, is password-protected on 127.0.0.1, and keeps its data across restarts', async () => {
    const first = await startEmbeddedMariaDb({ dir, relaxedDurability: true });
    const credentials = JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8'));
    expect(statSync(join(dir, 'credentials.json')).mode & 0o777).toBe(0o600);
    expect(credentials.password.length).toBeGreaterThan(16);
    await expect(mysql.createConnection({ host: '127.0.0.1', port: first.port, user: 'root', password: '' })).rejects.toThrow(
      /Access denied/,
    );
    const conn = await mysql.createConnection({ uri: first.serverUrl });
    await conn.query('CREATE DATABASE kept');
    await conn.query('CREATE TABLE kept.t (v INT)');
    await conn.query('INSERT INTO kept.t VALUES (42)');
    await conn.end();
    await first.stop();
    expect(processRunning(first.pid)).toBe(false);

    const second = await startEmbeddedMariaDb({ dir, relaxedDurability: true });
    expect(second.port).toBe(first.port);
    const again = await mysql.createConnection({ uri: second.serverUrl });
    const [rows] = await again.query<mysql.RowDataPacket[]>('SELECT v FROM kept.t');
    expect(rows[0]?.v).toBe(42);
    await again.end();
    await second.stop();
  });

  it('adopts a server left running by a process that was killed, instead of starting a second one', async () => {
    // A child process starts the server and is SIGKILLed: the server outlives it.
    const script = `import { processRunning, startEmbeddedMariaDb } from ${JSON.stringify(new URL('../../sidecar/src/db/embedded-mariadb.ts', import.meta.url).pathname)};
      const s = await startEmbeddedMariaDb({ dir: ${JSON.stringify(dir)}, relaxedDurability: true });
      process.stdout.write(String(s.pid) + '\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const orphanPid = await new Promise<number>((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(processRunning(orphanPid)).toBe(true);

    const adopted = await startEmbeddedMariaDb({ dir, relaxedDurability: true });
    expect(adopted.pid).toBe(orphanPid);
    const conn = await mysql.createConnection({ uri: adopted.serverUrl });
    await conn.query('SELECT 1');
    await conn.end();
    await adopted.stop();
    expect(processRunning(orphanPid)).toBe(false);
  });
});
