import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import extractZip from 'extract-zip';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../sidecar/src/logger.ts';
import { startSidecar } from '../../sidecar/src/sidecar.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { createWordPressSite, ROOT, runPhp, ZIP } from './wordpress-site.ts';

/**
 * The PHP side, run from `npm test`: `php -l` over every plugin file, `npm run build`'s plugin zip
 * and translation template, then PHPUnit (Debian's) on real WordPress core (Debian's) against this
 * run's MariaDB, with the plugin installed from that zip as a merchant would. PHPUnit runs while
 * the tests are collected; each PHP test becomes one test here, with PHPUnit's own failure message.
 */
const PLUGIN = join(ROOT, 'plugin');
const POT = join(PLUGIN, 'languages', 'comeback.pot');
// Built once for the run by test/setup/plugin-build.ts, before any test file started.
const build = inject('pluginBuild');
const committedPot = build.committedPot;

function phpFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? phpFiles(path) : name.endsWith('.php') ? [path] : [];
  });
}

type PhpTest = { name: string; failure: string | undefined };

/** One PHPUnit run on a fresh WordPress site; its results from the JUnit log. */
async function runPhpUnit(label: string, args: string[], env: Record<string, string> = {}): Promise<{ tests: PhpTest[]; output: string }> {
  const site = await createWordPressSite(label, env);
  const junit = join(site.content, 'junit.xml');
  try {
    const { output } = await runPhp(site, 'phpunit', ['-c', join(ROOT, 'test/php/phpunit.xml.dist'), '--log-junit', junit, ...args]);
    let xml = '';
    try {
      xml = readFileSync(junit, 'utf8');
    } catch {
      return { tests: [], output };
    }
    const unescape = (text: string) =>
      text.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&#10;', '\n').replaceAll('&amp;', '&');
    const tests = [...xml.matchAll(/<testcase name="([^"]+)" class="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => {
      const failure = /<(failure|error)[^>]*>([\s\S]*?)<\/\1>/.exec(m[4] ?? '')?.[2];
      return { name: unescape(`${m[2]}::${m[1]}`), failure: failure === undefined ? undefined : unescape(failure) };
    });
    return { tests, output };
  } finally {
    await site.remove();
  }
}

describe('the plugin build (npm run build)', async () => {
  it('builds dist/comeback.zip: the plugin under comeback/ with its copy of the shortcode catalogue and its translations, nothing else', async () => {
    expect(build.status, build.output).toBe(0);
    const unpacked = mkdtempSync(join(tmpdir(), 'comeback-zip-'));
    try {
      await extractZip(ZIP, { dir: unpacked });
      const files = (function list(dir: string, prefix = ''): string[] {
        return readdirSync(dir).flatMap((name) =>
          statSync(join(dir, name)).isDirectory() ? list(join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`],
        );
      })(unpacked);
      expect(files).toEqual(
        expect.arrayContaining([
          'comeback/comeback.php',
          'comeback/shortcodes/catalog.json',
          'comeback/languages/comeback.pot',
          // The Polish catalogue and what the build makes of it: the .mo for PHP, the JSON for the admin UI script.
          'comeback/languages/comeback-pl_PL.po',
          'comeback/languages/comeback-pl_PL.mo',
          'comeback/languages/comeback-pl_PL-comeback-admin.json',
          'comeback/uninstall.php',
        ]),
      );
      expect(files.every((f) => f.startsWith('comeback/') && !f.includes('test'))).toBe(true);
      expect(readFileSync(join(unpacked, 'comeback/shortcodes/catalog.json'), 'utf8')).toBe(
        readFileSync(join(ROOT, 'shortcodes/catalog.json'), 'utf8'),
      );
    } finally {
      rmSync(unpacked, { recursive: true, force: true });
    }
  });

  it('keeps the committed translation template current (every translatable string of the plugin)', () => {
    const generated = readFileSync(POT, 'utf8');
    expect(generated).toContain('msgid "Comeback needs WooCommerce.');
    expect(committedPot, 'plugin/languages/comeback.pot is stale: run npm run build and commit it').toBe(generated);
  });
});

describe('PHP: syntax of every plugin file (php -l)', () => {
  for (const file of phpFiles(PLUGIN)) {
    it(file.slice(ROOT.length + 1), () => {
      const lint = spawnSync('php', ['-l', file], { encoding: 'utf8' });
      expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    });
  }
});

/**
 * A real sidecar for the plugin to talk to, over HTTP on 127.0.0.1, knowing the WordPress test
 * site (its home URL) with a shared secret, as connecting the shop leaves it.
 */
async function sidecarForPlugin() {
  const { database, url } = await createTestDatabase('php_sidecar');
  const sharedSecret = 'plugin-test-shared-secret-0123456789';
  const [shop] = await database.pool.query<import('mysql2/promise').ResultSetHeader>(
    'INSERT INTO shops (url, name, webhook_secret) VALUES (?, ?, ?)',
    ['http://shop.example.test', 'Comeback Test Shop', sharedSecret],
  );
  // A reminder the sidecar sent for order 77, whose link the plugin answers on the shop's domain.
  const linkRef = 'o77_pluginTestRef0123456';
  await database.pool.query(
    "INSERT INTO outbox (idempotency_key, shop_id, channel, recipient, subject, status, link_ref) VALUES ('php-test', ?, 'email', 'ada@example.test', 'Your order', 'sent', ?)",
    [shop.insertId, linkRef],
  );
  const sidecar = await startSidecar({
    logger: createLogger('silent'),
    env: { COMEBACK_DATABASE_URL: url, COMEBACK_HTTP_PORT: '0', COMEBACK_ALLOW_PRIVATE_URLS: 'on' },
  });
  return {
    sidecar,
    env: { COMEBACK_TEST_SIDECAR_URL: sidecar.url, COMEBACK_TEST_SHARED_SECRET: sharedSecret, COMEBACK_TEST_LINK_REF: linkRef },
  };
}

for (const suite of [
  {
    label: 'with_wc',
    title: 'PHPUnit on WordPress core, WooCommerce test double loaded',
    args: ['--exclude-group', 'no-woocommerce'],
    woocommerce: true,
  },
  { label: 'no_wc', title: 'PHPUnit on WordPress core, without WooCommerce', args: ['--group', 'no-woocommerce'], woocommerce: false },
]) {
  describe(suite.title, async () => {
    const connected = suite.woocommerce ? await sidecarForPlugin() : undefined;
    const { tests, output } = await runPhpUnit(
      suite.label,
      suite.args,
      connected ? connected.env : { COMEBACK_TEST_WOOCOMMERCE: 'absent' },
    );
    afterAll(async () => {
      await connected?.sidecar.stop();
    });
    it('ran PHPUnit and found its tests', () => {
      expect(tests.length, output).toBeGreaterThan(0);
    });
    for (const test of tests) {
      it(test.name, () => {
        expect(test.failure, test.failure).toBeUndefined();
      });
    }
  });
}
