import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import extractZip from 'extract-zip';
import { createServer, type AddressInfo } from 'node:net';
import mysql, { type Pool, type ResultSetHeader } from 'mysql2/promise';
import { testServerUrl } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ZIP = join(ROOT, 'dist', 'comeback.zip');

/**
 * A WordPress site for one test file: Debian's WordPress core on a fresh database of this run's
 * MariaDB, a scratch wp-content with Comeback installed from dist/comeback.zip (as a merchant
 * would), and the environment test/php/wp-test-config.php reads.
 */
export type WordPressSite = { env: Record<string, string>; content: string; remove: () => Promise<void> };

export async function createWordPressSite(label: string, extraEnv: Record<string, string> = {}): Promise<WordPressSite> {
  const server = new URL(testServerUrl());
  const database = `wp_${label}_${Date.now().toString(36)}`;
  const admin = await mysql.createConnection({ uri: testServerUrl() });
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  const content = mkdtempSync(join(tmpdir(), 'comeback-wp-'));
  mkdirSync(join(content, 'plugins'));
  await extractZip(ZIP, { dir: join(content, 'plugins') });
  const socket = server.searchParams.get('socketPath');
  const env = {
    WP_DB_NAME: database,
    WP_DB_USER: decodeURIComponent(server.username),
    WP_DB_PASSWORD: decodeURIComponent(server.password),
    WP_DB_HOST: socket ? `localhost:${socket}` : `${server.hostname}:${server.port}`,
    WP_CONTENT_DIR_TEST: content,
    ...extraEnv,
  };
  return {
    env,
    content,
    async remove() {
      rmSync(content, { recursive: true, force: true });
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await admin.end();
    },
  };
}

/** Runs a PHP program against the site without blocking this process (a sidecar may live here). */
export async function runPhp(
  site: WordPressSite,
  command: string,
  args: string[],
  extraEnv: Record<string, string> = {},
  timeoutMs = 300_000,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { cwd: join(ROOT, 'test/php'), env: { ...process.env, ...site.env, ...extraEnv } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  clearTimeout(timer);
  return { code, output };
}

const DEBIAN_CORE = '/usr/share/wordpress';

/**
 * A WordPress core folder the site can be served from over HTTP, wp-admin and wp-login.php
 * included. Debian's own wp-config.php picks a config by host name from /etc/wordpress, and
 * wp-admin finds wp-load.php (and so wp-config.php) next to itself on disk, so the core is laid
 * out afresh in the site's scratch folder: wp-admin and the top-level files copied, wp-includes
 * linked, wp-content pointing at the site's content, and a wp-config.php that loads the test
 * configuration and the WooCommerce test double. Returns the folder, for WP_CORE_DIR and as the
 * document root of `php -S`.
 */
export function servedCore(site: WordPressSite): string {
  const core = join(site.content, '..', `${site.content.split('/').pop()}-core`);
  mkdirSync(core, { recursive: true });
  for (const entry of readdirSync(DEBIAN_CORE)) {
    if (entry === 'wp-config.php' || entry === 'wp-content') continue;
    if (entry === 'wp-includes') symlinkSync(join(DEBIAN_CORE, entry), join(core, entry));
    else cpSync(join(DEBIAN_CORE, entry), join(core, entry), { recursive: true });
  }
  symlinkSync(site.content, join(core, 'wp-content'));
  writeFileSync(
    join(core, 'wp-config.php'),
    `<?php\nrequire ${JSON.stringify(join(ROOT, 'test/php/wp-test-config.php'))};\nrequire_once ${JSON.stringify(join(ROOT, 'test/php/woocommerce-double.php'))};\nrequire_once ABSPATH . 'wp-settings.php';\n`,
  );
  const remove = site.remove;
  site.remove = async () => {
    rmSync(core, { recursive: true, force: true });
    await remove();
  };
  return core;
}

/** A free TCP port on 127.0.0.1, for a site whose home URL must be known before it is served. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A site installed (test/php/install.php: WordPress, the administrator, Comeback active) whose home
 * URL is on a free port of 127.0.0.1, for serveWordPress().
 */
export async function installedWordPressSite(label: string): Promise<{ site: WordPressSite; port: number; home: string }> {
  const port = await freePort();
  const home = `http://127.0.0.1:${port}`;
  const site = await createWordPressSite(label, { WP_TEST_HOME: home });
  const installed = await runPhp(site, 'php', ['install.php']);
  if (installed.code !== 0) throw new Error(`WordPress install failed: ${installed.output}`);
  return { site, port, home };
}

/**
 * Serves the site over HTTP with `php -S` on the port of its home URL, from its own core folder
 * (servedCore(): wp-admin and wp-login.php work too), through test/php/server.php; resolves once
 * WordPress answers. `env` reaches server.php (COMEBACK_TEST_ORDERS, COMEBACK_TEST_WC_REST).
 */
export async function serveWordPress(site: WordPressSite, port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const core = servedCore(site);
  const php = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', core, join(ROOT, 'test/php/server.php')], {
    cwd: join(ROOT, 'test/php'),
    env: { ...process.env, ...site.env, WP_CORE_DIR: core, ...env },
    stdio: 'ignore',
  });
  const home = `http://127.0.0.1:${port}`;
  await waitFor(
    async () =>
      fetch(`${home}/?rest_route=/`).then(
        (r) => r.status,
        () => 0,
      ),
    (status) => status === 200,
    30_000,
    'WordPress to answer over HTTP',
  );
  return php;
}

/**
 * The installed site as a shop of a running sidecar: the shop's row (its home URL and shared
 * secret, as connecting it stores them) and the plugin's options pointing at the sidecar. Answers
 * the shop's id.
 */
export async function connectSiteToSidecar(
  site: WordPressSite,
  pool: Pool,
  shop: { home: string; name: string; secret: string; sidecarUrl: string },
): Promise<number> {
  const [inserted] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, name, webhook_secret) VALUES (?, ?, ?)', [
    shop.home,
    shop.name,
    shop.secret,
  ]);
  const configured = await runPhp(site, 'php', ['configure.php'], {
    COMEBACK_TEST_OPTIONS: JSON.stringify({ comeback_sidecar_url: shop.sidecarUrl, comeback_shared_secret: shop.secret }),
  });
  if (configured.code !== 0) throw new Error(`configuring the site failed: ${configured.output}`);
  return inserted.insertId;
}
