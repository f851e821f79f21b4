import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mo } from 'gettext-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../sidecar/src/logger.ts';
import { startSidecar } from '../../sidecar/src/sidecar.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { connectSiteToSidecar, installedWordPressSite, ROOT, runPhp, serveWordPress } from '../php/wordpress-site.ts';
import { launchChromium, signInToWordPress } from './ui-harness.ts';

/**
 * The admin UI in wp-admin on a WordPress whose site language is Polish (Settings → General →
 * Site Language: the WPLANG option), with Comeback installed from dist/comeback.zip and its
 * languages: WordPress hands the admin script the Polish JSON the build made from
 * comeback-pl_PL.po, and every screen under WooCommerce → Comeback names itself in Polish.
 */
const SCREENS = [
  { group: 'Wiadomości', tabs: ['Scenariusze', 'Odzyskiwanie', 'Odzyskiwanie klientów', 'Kampanie', 'Lojalność'] },
  { group: 'Klienci', tabs: ['Klienci', 'Segmenty'] },
  { group: 'Aktywność', tabs: ['Kolejka', 'Kolejka wysyłki', 'Raporty'] },
  { group: 'Ustawienia', tabs: ['Połączenie'] },
];
const ENGLISH = ['Messages', 'Customers', 'Activity', 'Settings', 'Flows', 'Recovery', 'Win-back', 'Campaigns', 'Loyalty', 'Segments'];
const SHOTS = join(ROOT, 'test/output/screenshots');
const POLISH_PLURALS = 'nplurals=3; plural=(n == 1) ? 0 : ((n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)) ? 1 : 2);';

describe('the admin UI in wp-admin on a Polish WordPress', async () => {
  const { site, port, home } = await installedWordPressSite('polish');
  const { database, url } = await createTestDatabase('polish_wp_admin');
  const sidecar = await startSidecar({
    logger: createLogger('silent'),
    env: { COMEBACK_DATABASE_URL: url, COMEBACK_HTTP_PORT: '0', COMEBACK_ALLOW_PRIVATE_URLS: 'on' },
  });
  await connectSiteToSidecar(site, database.pool, {
    home,
    name: 'Sklep Testowy',
    secret: 'polish-wp-admin-shared-secret-0123456',
    sidecarUrl: sidecar.url,
  });
  // WordPress keeps WPLANG only for a language it has installed (sanitize_option() checks
  // get_available_languages(): the .mo files of wp-content/languages): the core's Polish pack,
  // here its header alone (WordPress's own strings stay English; Comeback's are the point).
  mkdirSync(join(site.content, 'languages'), { recursive: true });
  writeFileSync(
    join(site.content, 'languages', 'pl_PL.mo'),
    mo.compile({ charset: 'utf-8', headers: { Language: 'pl_PL', 'Plural-Forms': POLISH_PLURALS }, translations: { '': {} } }),
  );
  const configured = await runPhp(site, 'php', ['configure.php'], { COMEBACK_TEST_OPTIONS: JSON.stringify({ WPLANG: 'pl_PL' }) });
  if (configured.code !== 0) throw new Error(`setting the site language failed: ${configured.output}`);
  const php = await serveWordPress(site, port);
  const browser = await launchChromium();
  afterAll(async () => {
    await browser.close();
    php.kill('SIGTERM');
    await sidecar.stop();
    await site.remove();
  });

  it('names every navigation group and screen in Polish, and none in English', { timeout: 120_000 }, async () => {
    // An English browser: the language is WordPress's, not the browser's.
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signInToWordPress(page, home);
    await page.goto(`${home}/wp-admin/admin.php?page=comeback`);
    const nav = page.getByRole('navigation', { name: 'Sekcje Comeback' });
    await nav.waitFor({ timeout: 30_000 });
    expect(await page.locator('html').getAttribute('lang')).toBe('pl-PL');
    expect(await page.locator('#comeback-admin').getAttribute('dir')).toBe('ltr');
    expect(await nav.getByRole('button').allTextContents()).toEqual(SCREENS.map((s) => s.group));
    for (const { group, tabs } of SCREENS) {
      await nav.getByRole('button', { name: group, exact: true }).click();
      // The screens' own tab list (the first in the app: a screen may hold tabs of its own below).
      const tabList = page.locator('.comeback-tabs').first().getByRole('tablist').first();
      await expect.poll(() => tabList.getByRole('tab').allTextContents()).toEqual(tabs);
      for (const tab of tabs) {
        await tabList.getByRole('tab', { name: tab, exact: true }).click();
        await expect.poll(() => tabList.getByRole('tab', { selected: true }).textContent()).toBe(tab);
        const shown = await page.locator('#comeback-admin').innerText();
        for (const english of ENGLISH) {
          expect(await page.getByRole('tab', { name: english, exact: true }).count(), `${tab}: the tab “${english}”`).toBe(0);
          expect(await nav.getByRole('button', { name: english, exact: true }).count(), `${tab}: the group “${english}”`).toBe(0);
        }
        expect(shown).toContain(tab);
        await page.screenshot({ path: join(SHOTS, `wp-admin-pl_PL-${tab.replaceAll(' ', '-')}.png`), fullPage: true });
      }
    }
    expect(errors).toEqual([]);
  });
});
