import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mysql from 'mysql2/promise';
import type { Logger } from '../logger.ts';
import { withDatabase } from './database.ts';

/**
 * A private MariaDB server owned by this process: data under `dir`, bound to 127.0.0.1
 * on a free port, a random root password kept in `dir/credentials.json` (mode 0600).
 * Started when no COMEBACK_DATABASE_URL is given; reused on the next start.
 */
export type EmbeddedMariaDb = {
  /** mysql://root:…@127.0.0.1:port — the server, no database selected */
  serverUrl: string;
  port: number;
  pid: number;
  dataDir: string;
  /** SIGTERM, wait for a clean shutdown (bounded), then SIGKILL. */
  stop(): Promise<void>;
  /** SIGKILL without shutdown: for crash tests. */
  kill(): Promise<void>;
  /** Start again on the same data folder and port (after stop or kill). */
  start(): Promise<void>;
};

export type EmbeddedOptions = {
  dir: string;
  logger?: Logger;
  /** Durability trade for throwaway servers (tests): log flushed once a second, not per commit. */
  relaxedDurability?: boolean;
  bufferPoolMb?: number;
};

type Credentials = { password: string; port: number };

const INSTALL_HINT = 'MariaDB is not installed. On Debian/Ubuntu run: sudo apt-get update && sudo apt-get install -y mariadb-server';

export function mariadbBinaries(): { server: string; install: string } | undefined {
  const find = (name: string): string | undefined => {
    for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', '/usr/local/mysql/bin']) {
      if (existsSync(join(dir, name))) return join(dir, name);
    }
    const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    return which.status === 0 ? which.stdout.trim() : undefined;
  };
  const server = find('mariadbd') ?? find('mysqld');
  const install = find('mariadb-install-db') ?? find('mysql_install_db');
  return server && install ? { server, install } : undefined;
}

/**
 * The database the configuration names, or, without COMEBACK_DATABASE_URL, the private MariaDB
 * under COMEBACK_HOME started now (`embedded`: the caller stops it).
 */
export async function configuredDatabase(
  config: { databaseUrl: string | undefined; home: string },
  logger: Logger,
): Promise<{ url: string; embedded: EmbeddedMariaDb | undefined }> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: undefined };
  const embedded = await startEmbeddedMariaDb({ dir: join(config.home, 'mariadb'), logger });
  return { url: withDatabase(embedded.serverUrl, 'comeback'), embedded };
}

export async function startEmbeddedMariaDb(options: EmbeddedOptions): Promise<EmbeddedMariaDb> {
  const bins = mariadbBinaries();
  if (!bins) throw new Error(INSTALL_HINT);
  const dir = resolve(options.dir);
  const dataDir = join(dir, 'data');
  const credentialsFile = join(dir, 'credentials.json');
  const pidFile = join(dir, 'mariadbd.pid');
  // Clients use the Unix socket: a query costs the client ~45% less CPU than over loopback TCP
  // (measured, BENCHMARKS.md). TCP on 127.0.0.1 stays open for tools and humans.
  const socket = socketPath(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });

  const freshInstall = !existsSync(join(dataDir, 'mysql'));
  if (freshInstall) {
    options.logger?.info({ dataDir }, 'creating private MariaDB data folder');
    const args = ['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db'];
    if (process.getuid?.() === 0) args.push('--user=root');
    const result = spawnSync(bins.install, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`mariadb-install-db failed: ${result.stderr || result.stdout}`);
  }

  let credentials: Credentials | undefined = existsSync(credentialsFile)
    ? (JSON.parse(readFileSync(credentialsFile, 'utf8')) as Credentials)
    : undefined;

  // A server left running by a process that was killed: adopt it instead of fighting over the data folder.
  const orphan = livePid(pidFile, dataDir);
  let child: ChildProcess | undefined;
  let pid = orphan ?? 0;
  let port = credentials?.port ?? (await freePort());
  if (orphan && credentials) {
    options.logger?.info({ pid: orphan, port }, 'reusing private MariaDB left running by an earlier process');
  } else {
    if (orphan) await killAndWait(orphan, 'SIGTERM', 30_000);
    if (!(await portIsFree(port))) port = await freePort();
    ({ child, pid } = launch());
  }

  function launch(): { child: ChildProcess; pid: number } {
    const args = [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${socket}`,
      `--pid-file=${pidFile}`,
      `--log-error=${join(dir, 'error.log')}`,
      '--skip-name-resolve',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      '--default-time-zone=+00:00',
      '--max-connections=1000',
      `--innodb-buffer-pool-size=${options.bufferPoolMb ?? 256}M`,
      '--innodb-log-file-size=256M',
    ];
    if (options.relaxedDurability) args.push('--innodb-flush-log-at-trx-commit=2', '--sync-binlog=0');
    if (process.getuid?.() === 0) args.push('--user=root');
    // Its own process group: a Ctrl-C in the terminal reaches the sidecar, which then stops the server in order.
    const proc = spawn(bins!.server, args, { stdio: 'ignore', detached: true });
    proc.on('error', (error) => options.logger?.error({ err: error }, 'private MariaDB failed to start'));
    return { child: proc, pid: proc.pid ?? 0 };
  }

  const url = (password: string): string =>
    `mysql://root:${encodeURIComponent(password)}@127.0.0.1:${port}/?socketPath=${encodeURIComponent(socket)}`;

  async function waitReady(password: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (child && child.exitCode !== null) {
        throw new Error(`private MariaDB exited with code ${child.exitCode}; see ${join(dir, 'error.log')}`);
      }
      try {
        const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', password, connectTimeout: 2_000 });
        await conn.end();
        return;
      } catch (error) {
        lastError = error;
        // A wrong password means the server is up: the caller decides what to do with that.
        if ((error as { code?: string }).code === 'ER_ACCESS_DENIED_ERROR') throw error;
        await sleep(100);
      }
    }
    throw new Error(`private MariaDB did not accept connections within 60 s: ${String(lastError)}`);
  }

  if (!credentials) {
    // First start on this folder: root has no password yet. Write the password down before setting it.
    credentials = { password: randomBytes(18).toString('base64url'), port };
    writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
    await waitReady('');
    const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', password: '' });
    const [rows] = await conn.query<mysql.RowDataPacket[]>("SELECT Host AS host FROM mysql.user WHERE User = 'root'");
    for (const row of rows) {
      const host = String(row.host);
      if (['localhost', '127.0.0.1', '::1'].includes(host)) {
        await conn.query('ALTER USER ?@? IDENTIFIED BY ?', ['root', host, credentials.password]);
      } else {
        await conn.query('DROP USER ?@?', ['root', host]);
      }
    }
    await conn.end();
  } else {
    await waitReady(credentials.password);
    if (credentials.port !== port) {
      credentials = { ...credentials, port };
      writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
    }
  }
  const password = credentials.password;
  options.logger?.info({ port, pid, dataDir }, 'private MariaDB ready');

  const handle: EmbeddedMariaDb = {
    serverUrl: url(password),
    port,
    pid,
    dataDir,
    async stop() {
      await killAndWait(handle.pid, 'SIGTERM', 60_000);
    },
    async kill() {
      await killAndWait(handle.pid, 'SIGKILL', 10_000);
    },
    async start() {
      if (processRunning(handle.pid)) return;
      ({ child, pid } = launch());
      handle.pid = pid;
      await waitReady(password);
    },
  };
  return handle;
}

function socketPath(dir: string): string {
  const inDir = join(dir, 'mariadbd.sock');
  // Unix socket paths are limited to ~107 bytes; a long folder gets a short path derived from
  // it, the same on every start (the URL handed out names it).
  if (Buffer.byteLength(inDir) < 100) return inDir;
  return join(tmpdir(), `comeback-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.sock`);
}

function livePid(pidFile: string, dataDir: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !processRunning(pid)) return undefined;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(dataDir) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Alive and not a zombie: an orphan that exited may linger as one where PID 1 does not reap. */
export function processRunning(pid: number): boolean {
  return isAlive(pid) && !isZombie(pid);
}

async function killAndWait(pid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + timeoutMs;
  while (processRunning(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      await sleep(200);
      return;
    }
    await sleep(50);
  }
}

function isZombie(pid: number): boolean {
  try {
    return /\)\s+Z\s/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.unref();
    server.on('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}
