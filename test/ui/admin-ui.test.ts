import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../sidecar/src/logger.ts';
import { startSidecar } from '../../sidecar/src/sidecar.ts';
import { startFakeShop, unpaidOrdersFromAnHourAgo, wooTime } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';

const TOKEN = 'admin-token-for-the-ui-tests-0123456789';
const SHOTS = join(import.meta.dirname, '../output/screenshots');
const CHROMIUM = process.env.COMEBACK_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The admin UI as served by the sidecar at /admin, in real Chromium (Debian's, driven by
 * playwright-core), on real MariaDB, against the stand-in shop over HTTP. Screenshots of each
 * screen land in test/output/screenshots/ for review (not committed).
 */
describe('the admin UI in Chromium', async () => {
  const { database, url } = await createTestDatabase('admin_ui');
  const pool = database.pool;
  const { payu, bacs, orders } = unpaidOrdersFromAnHourAgo();
  const shop = await startFakeShop({ orders });
  const sidecar = await startSidecar({
    logger: createLogger('silent'),
    env: { COMEBACK_DATABASE_URL: url, COMEBACK_HTTP_PORT: '0', COMEBACK_ADMIN_TOKEN: TOKEN, COMEBACK_SCHEDULER_PROCESS_EVERY_MS: '200' },
  });
  const connected = await request(sidecar.url).post('/api/shops').set('authorization', `Bearer ${TOKEN}`).send({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret, name: 'Fixture Shop' }).expect(201);
  const shopId = connected.body.shop.id as number;
  // The shop's bank account, as the merchant enters it without the plugin.
  await request(sidecar.url).put('/api/settings/company').set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId))
    .send({ name: 'Fixture Shop Ltd', address: ['1 Test Street'], bankAccounts: [{ accountName: 'Fixture Shop Ltd', bankName: 'First Test Bank', accountNumber: '12345678', iban: 'GB33BUKB20201555555555', bic: 'BUKBGB22' }] })
    .expect(200);
  await sidecar.scheduler.agenda.now('woo.reconcile');
  const row = async (sql: string, params: unknown[] = []) => (await pool.query<RowDataPacket[]>(sql, params))[0][0];
  await waitFor(() => row('SELECT COUNT(*) AS n FROM orders WHERE shop_id = ?', [shopId]), (r) => Number(r?.n) >= 2, 20_000, 'the sweep to store both orders');

  mkdirSync(SHOTS, { recursive: true });
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  afterAll(async () => {
    await browser.close();
    await sidecar.stop();
    await shop.close();
  });
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const tab = (name: string) => page.getByRole('tab', { name }).click();
  const onlineBody = () => page.locator('textarea[name="reminders.0.onlineBody"]');

  it('signs in with the admin token and turns recovery on', async () => {
    await page.goto(`${sidecar.url}/admin/#token=${TOKEN}`);
    await expect.poll(() => page.getByRole('checkbox', { name: 'Recover unpaid orders' }).isVisible()).toBe(true);
    // The token left the address bar at once.
    expect(page.url()).not.toContain(TOKEN);
    await page.getByRole('checkbox', { name: 'Recover unpaid orders' }).check();
    await page.locator('.comeback-save-status').getByText('Saved. Unpaid orders are being recovered.').waitFor();
    const settings = await row("SELECT value FROM settings WHERE shop_id = ? AND `key` = 'recovery'", [shopId]);
    expect(JSON.parse(String(settings!.value)).enabled).toBe(true);
    await shot('recovery');
  });

  it('shows an unknown shortcode at its line and column as it is typed, and clears it once fixed', async () => {
    await onlineBody().fill('Hello [customer_first_name],\nPlease pay: [paymnt_link]');
    const error = page.locator('.comeback-template-error').first();
    await error.waitFor();
    expect(await error.textContent()).toContain('Line 2, column 13:');
    expect(await error.textContent()).toContain('paymnt_link');
    // The offending tag is where the message says.
    await error.getByRole('button', { name: 'Show' }).click();
    expect(await onlineBody().evaluate((el) => {
      const area = el as unknown as { value: string; selectionStart: number; selectionEnd: number };
      return area.value.slice(area.selectionStart, area.selectionEnd);
    })).toBe('[paymnt_link]');
    await shot('editor-error');

    await onlineBody().fill('Hello [customer_first_name],\nPlease pay: ');
    await page.getByRole('button', { name: '[payment_link]' }).first().click();
    await expect.poll(() => onlineBody().inputValue()).toBe('Hello [customer_first_name],\nPlease pay: [payment_link]');
    await expect.poll(() => page.locator('.comeback-template-error').count()).toBe(0);
  });

  it('previews the real order: a payment link for the online one, bank details for the transfer', async () => {
    const billing = payu.billing as { first_name: string };
    const frame = page.frameLocator('iframe.comeback-preview__frame');
    await expect.poll(async () => frame.locator('body').textContent(), { timeout: 10_000 }).toContain(`Hello ${billing.first_name}`);
    expect(await page.getByText(`Shown with order #${String(payu.number)}`).count()).toBe(1);
    const href = await frame.getByRole('link', { name: 'Pay now' }).getAttribute('href');
    expect(href).toMatch(new RegExp(`^${sidecar.url}/r/`));
    expect(await page.getByTestId('preview-subject').textContent()).toContain(String(payu.number));
    await shot('preview-online');

    await page.getByRole('button', { name: 'Bank transfer' }).click();
    await page.getByRole('button', { name: 'Plain text' }).click();
    await expect.poll(() => page.getByTestId('preview-text').textContent()).toContain('IBAN: GB33BUKB20201555555555');
    expect(await page.getByTestId('preview-text').textContent()).toContain(`Payment reference: ${String(bacs.number)}`);
    expect(await page.getByText(`Shown with order #${String(bacs.number)}`).count()).toBe(1);
    await shot('preview-offline');

    await page.getByRole('button', { name: 'Save reminders' }).click();
    await page.locator('.comeback-save-status').getByText('Saved. Unpaid orders are being recovered.').waitFor();
    const settings = JSON.parse(String((await row("SELECT value FROM settings WHERE shop_id = ? AND `key` = 'recovery'", [shopId]))!.value));
    expect(settings.reminders[0].onlineBody).toBe('Hello [customer_first_name],\nPlease pay: [payment_link]');
  });

  it('shows the enrollments in the queue, with one enrollment’s timeline', async () => {
    await tab('Queue');
    const link = page.getByRole('button', { name: `#${String(payu.number)}` });
    await expect.poll(async () => (await link.count()) > 0 || (await page.getByRole('button', { name: 'Refresh' }).click(), false), { timeout: 20_000 }).toBe(true);
    await link.click();
    await page.getByText('Entered recovery').waitFor();
    await shot('queue');
  });

  it('shows the sent reminder in the outbox as the customer saw it', async () => {
    await waitFor(() => row("SELECT COUNT(*) AS n FROM outbox WHERE shop_id = ? AND status = 'sent'", [shopId]), (r) => Number(r?.n) >= 2, 30_000, 'both reminders to be sent');
    await tab('Outbox');
    await page.getByRole('button', { name: 'Refresh' }).click();
    const first = page.locator('.comeback-table tbody tr').first().getByRole('button');
    await first.waitFor();
    await first.click();
    await expect.poll(() => page.frameLocator('.comeback-detail iframe').locator('body').textContent()).toMatch(/Hello|waiting/);
    await shot('outbox');
  });

  it('shows the recovered order in the reports after the paid webhook', async () => {
    // The customer pays: WooCommerce marks the order processing and delivers order.updated.
    await shop.update(payu.id as number, { status: 'processing', date_paid_gmt: wooTime(new Date()), date_paid: wooTime(new Date()), set_paid: true });
    await waitFor(() => row('SELECT COUNT(*) AS n FROM attributions WHERE shop_id = ?', [shopId]), (r) => Number(r?.n) === 1, 30_000, 'the payment to be credited');
    await tab('Reports');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.getByTestId('stat-orders').locator('.comeback-stat__value').textContent()).toBe('1');
    expect(await page.getByTestId('stat-revenue').textContent()).toContain(Number(payu.total).toFixed(2));
    const byReminder = await page.getByTestId('by-reminder').locator('tbody tr').first().locator('td').allTextContents();
    expect(byReminder.slice(0, 5)).toEqual(['Reminder 1', 'email', '2', '0', '1']);
    await shot('reports');
  });

  it('shows the connection and raises a banner when WooCommerce disables a webhook', async () => {
    await tab('Connection');
    await page.locator('.components-notice__content').getByText('Your shop is connected and sending its order events.').waitFor();
    await expect.poll(() => page.getByTestId('sending').textContent()).toContain('healthy · last message sent');
    await shot('connection');
    // What the last check recorded when WooCommerce had disabled the order.updated webhook.
    await pool.query("UPDATE shops SET webhooks = JSON_SET(webhooks, '$[1].status', 'disabled') WHERE id = ? AND JSON_VALUE(webhooks, '$[1].topic') = 'order.updated'", [shopId]);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('.comeback-banner').getByText('WooCommerce stopped sending these order events: order.updated').waitFor();
  });

  it('works at a tablet width and from the keyboard', async () => {
    await page.setViewportSize({ width: 800, height: 1000 });
    await tab('Recovery');
    await page.getByRole('checkbox', { name: 'Recover unpaid orders' }).waitFor();
    // Tab stops reach the toggle and the first text without a mouse.
    await page.getByRole('tab', { name: 'Recovery' }).focus();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate('document.activeElement && document.activeElement.getAttribute("name")')) === 'reminders.0.subject';
    }
    expect(reached).toBe(true);
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('recovery-tablet');
    expect(consoleErrors).toEqual([]);
  });
});
