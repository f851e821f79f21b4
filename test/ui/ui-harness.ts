import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import type { StandInOptions } from '../../sidecar/src/demo/stand-in-shop.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { startSidecar } from '../../sidecar/src/sidecar.ts';
import { recordedOrders, startFakeShop, wooTime } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';

const SHOTS = join(import.meta.dirname, '../output/screenshots');
const CHROMIUM = process.env.COMEBACK_CHROMIUM ?? '/usr/bin/chromium';
const DAY = 86_400_000;

/**
 * An order history for the stand-in shop: recorded order shapes with the buyer, total and dates
 * changed, placed and last modified long ago (so only the history import reads them, not the
 * first sweep of recent changes).
 */
export function orderHistory(now = new Date()) {
  const template = [...recordedOrders().values()].find((o) => o.status === 'completed' || o.status === 'processing')!;
  const orders = new Map<number, Record<string, unknown>>();
  let id = 7000;
  const placed = (email: string, daysAgo: number, total: string, extra: Record<string, unknown> = {}) => {
    const at = wooTime(new Date(now.getTime() - daysAgo * DAY));
    orders.set(++id, {
      ...template,
      id,
      number: String(id),
      status: 'completed',
      total,
      billing: { ...(template.billing as object), email, phone: '' },
      date_created_gmt: at,
      date_created: at,
      date_paid_gmt: at,
      date_paid: at,
      date_completed_gmt: at,
      date_modified_gmt: at,
      date_modified: at,
      ...extra,
    });
    return id;
  };
  return { orders, placed };
}

/** Debian's Chromium, headless, quiet (no background traffic, no first-run screens). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Signs the administrator test/php/install.php created into the WordPress site at `home`, as a merchant would. */
export async function signInToWordPress(page: Page, home: string): Promise<void> {
  await page.goto(`${home}/wp-login.php`);
  await page.fill('#user_login', 'admin');
  await page.fill('#user_pass', 'admin-password');
  await Promise.all([page.waitForURL(/wp-admin/), page.click('#wp-submit')]);
}

/**
 * Opens a screen by its tab's name: the screens are grouped, and a screen of another group is
 * first reached through its group (the group button listing the screen's hash name).
 */
export async function openTab(page: Page, title: string) {
  const tab = page.getByRole('tab', { name: title, exact: true });
  await page.getByRole('tablist').first().waitFor();
  if (!(await tab.isVisible())) await page.locator(`.comeback-nav__group[data-tabs~="${title.toLowerCase()}"]`).click();
  await tab.click();
}

/**
 * The admin UI served by a real sidecar at /admin, on its own MariaDB database, connected to the
 * stand-in shop, in Debian's Chromium. `admin` calls the same API with the admin token (to set
 * up data and read back what the UI saved).
 */
export async function startUi(
  name: string,
  orders: Map<number, Record<string, unknown>>,
  /** `shop`: more of the stand-in shop (its time zone…); `timezoneId`: the browser's own zone, when not the machine's. */
  options: { shop?: StandInOptions; timezoneId?: string } = {},
) {
  const token = `admin-token-for-${name}-tests-0123456789`;
  const { database, url } = await createTestDatabase(name);
  const shop = await startFakeShop({ ...options.shop, orders });
  const sidecar = await startSidecar({
    logger: createLogger('silent'),
    env: {
      COMEBACK_DATABASE_URL: url,
      COMEBACK_HTTP_PORT: '0',
      COMEBACK_ALLOW_PRIVATE_URLS: 'on',
      COMEBACK_ADMIN_TOKEN: token,
      COMEBACK_SCHEDULER_PROCESS_EVERY_MS: '200',
    },
  });
  const connected = await request(sidecar.url)
    .post('/api/shops')
    .set('authorization', `Bearer ${token}`)
    .send({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret, name: 'Fixture Shop' })
    .expect(201);
  const shopId = connected.body.shop.id as number;
  const admin = (method: 'get' | 'post' | 'put' | 'patch', path: string) =>
    request(sidecar.url)[method](path).set('authorization', `Bearer ${token}`).set('x-comeback-shop-id', String(shopId));

  mkdirSync(SHOTS, { recursive: true });
  const browser = await launchChromium();
  const page: Page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // A script, style or frame the content security policy (/admin) refused counts as a page error.
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
  });
  return {
    pool: database.pool,
    shop,
    sidecar,
    shopId,
    admin,
    browser,
    page,
    pageErrors,
    signIn: () => page.goto(`${sidecar.url}/admin/#token=${token}`),
    tab: (title: string) => openTab(page, title),
    shot: (file: string) => page.screenshot({ path: join(SHOTS, `${file}.png`), fullPage: true }),
    row: async (sql: string, params: unknown[] = []) => (await database.pool.query<RowDataPacket[]>(sql, params))[0][0],
    /** Runs the history import to its end: the stand-in shop's orders read, the customers rebuilt. */
    async importHistory() {
      await admin('post', '/api/customers/import').send({}).expect(202);
      await waitFor(
        async () => (await admin('get', '/api/customers/import').expect(200)).body.status,
        (status) => status === 'done',
        30_000,
        'the import to finish',
      );
    },
    async close() {
      await browser.close();
      await sidecar.stop();
      await shop.close();
    },
  };
}
