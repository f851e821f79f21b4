import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../php/wordpress-site.ts';
import { startUi } from './ui-harness.ts';

/**
 * The sidecar's own /admin in the merchant's language: the browser's languages pick a shipped
 * translation (GET /admin/i18n/ lists them, /admin/i18n/<locale>.json is one), and the Language
 * select on the sign-in screen and above the screens keeps the merchant's choice in this browser.
 */
describe('the sidecar-served admin picks its language', async () => {
  const ui = await startUi('admin_language', new Map());
  afterAll(() => ui.close());
  const shot = (file: string) => join(ROOT, 'test/output/screenshots', `${file}.png`);

  it('lists the shipped translations and answers each as Jed locale data, revalidated, under the admin’s policy', async () => {
    const list = await request(ui.sidecar.url).get('/admin/i18n/').expect(200);
    expect(list.body.languages).toContainEqual({ locale: 'pl_PL', tag: 'pl-PL', rtl: false });
    expect(list.headers['cache-control']).toBe('no-cache');
    const polish = await request(ui.sidecar.url).get('/admin/i18n/pl_PL.json').expect(200);
    expect(polish.body['']).toMatchObject({ domain: 'comeback', lang: 'pl_PL' });
    expect(polish.body['Sign in']).toEqual(['Zaloguj się']);
    expect(polish.headers['cache-control']).toBe('no-cache');
    expect(polish.headers.etag).toBeTruthy();
    await request(ui.sidecar.url).get('/admin/i18n/pl_PL.json').set('if-none-match', polish.headers.etag!).expect(304);
    expect(polish.headers['content-security-policy']).toContain("default-src 'self'");
    await request(ui.sidecar.url).get('/admin/i18n/xx_XX.json').expect(404);
    await request(ui.sidecar.url).get('/admin/i18n/..%2F..%2Fpackage.json').expect(404);
  });

  it('speaks Polish to a browser that asks for Polish, from the sign-in screen on', { timeout: 60_000 }, async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'pl-PL' });
    try {
      await page.goto(`${ui.sidecar.url}/admin/`);
      await page.getByRole('button', { name: 'Zaloguj się' }).waitFor();
      expect(await page.getByLabel('Język').inputValue()).toBe('pl_PL');
      expect(await page.locator('html').getAttribute('lang')).toBe('pl-PL');
      expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
      await page.screenshot({ path: shot('sidecar-admin-pl_PL-sign-in'), fullPage: true });
      await page.getByLabel('Token administratora').fill(`admin-token-for-admin_language-tests-0123456789`);
      await page.getByRole('button', { name: 'Zaloguj się' }).click();
      const nav = page.getByRole('navigation', { name: 'Sekcje Comeback' });
      await nav.waitFor();
      expect(await nav.getByRole('button').allTextContents()).toEqual(['Wiadomości', 'Klienci', 'Aktywność', 'Ustawienia']);
      await page.screenshot({ path: shot('sidecar-admin-pl_PL'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('keeps the merchant’s choice over the browser’s language, and back to English', { timeout: 60_000 }, async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    try {
      await page.goto(`${ui.sidecar.url}/admin/`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(await page.getByLabel('Language').inputValue()).toBe('en_US');
      // Chosen on the sign-in screen: the page starts again in Polish, and stays so.
      await Promise.all([page.waitForEvent('load'), page.getByLabel('Language').selectOption('pl_PL')]);
      await page.getByRole('button', { name: 'Zaloguj się' }).waitFor();
      await page.reload();
      await page.getByLabel('Token administratora').fill(`admin-token-for-admin_language-tests-0123456789`);
      await page.getByRole('button', { name: 'Zaloguj się' }).click();
      const nav = page.getByRole('navigation', { name: 'Sekcje Comeback' });
      await nav.waitFor();
      // And back to English from the select above the screens.
      await Promise.all([page.waitForEvent('load'), page.getByLabel('Język').selectOption('en_US')]);
      await page.getByRole('navigation', { name: 'Comeback sections' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
    } finally {
      await page.close();
    }
  });
});
