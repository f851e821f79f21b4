import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { messageLinks } from '../../sidecar/src/messages/step-message.ts';
import { orderLinkRef } from '../../sidecar/src/links/link-token.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { startSidecar } from '../../sidecar/src/sidecar.ts';
import { loadShopProfile } from '../../sidecar/src/woo/shop-profile.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';
import { pluginRequest } from '../helpers/sidecar.ts';
import { FIXTURES } from '../helpers/woo-fixtures.ts';
import { installedWordPressSite, ROOT, runPhp, serveWordPress } from '../php/wordpress-site.ts';
import { launchChromium, openTab, signInToWordPress } from '../ui/ui-harness.ts';

const SECRET = 'plugin-over-http-shared-secret-0123';

/**
 * The sidecar and the WordPress plugin talking over real HTTP: WordPress core with Comeback
 * installed from dist/comeback.zip, served by `php -S`, and a sidecar in this process. The
 * company data and BACS accounts the plugin reports are what reminders show; a payment link the
 * sidecar mints works on the shop's domain, and the click comes back to the sidecar from the
 * plugin's queue.
 */
describe('the plugin and the sidecar over HTTP', async () => {
  const { site, port, home } = await installedWordPressSite('http');
  const { database, url } = await createTestDatabase('plugin_http');
  const sidecar = await startSidecar({
    logger: createLogger('silent'),
    env: { COMEBACK_DATABASE_URL: url, COMEBACK_HTTP_PORT: '0', COMEBACK_ALLOW_PRIVATE_URLS: 'on' },
  });
  // Registered without a name, as POST /api/shops from the plugin stores it: the plugin's profile brings it.
  const [shop] = await database.pool.query<ResultSetHeader>('INSERT INTO shops (url, name, webhook_secret) VALUES (?, NULL, ?)', [
    home,
    SECRET,
  ]);
  // What the merchant saved in WooCommerce (recorded options, fixture 118) and in Comeback's settings.
  const recordedOptions = JSON.parse(readFileSync(join(FIXTURES, '118-options-bacs-accounts-store-address.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const configured = await runPhp(site, 'php', ['configure.php'], {
    COMEBACK_TEST_OPTIONS: JSON.stringify({
      ...recordedOptions,
      comeback_sidecar_url: sidecar.url,
      comeback_shared_secret: SECRET,
      // How this shop writes prices and dates (WooCommerce → Settings → General, Settings → General).
      woocommerce_price_decimal_sep: ',',
      woocommerce_price_thousand_sep: '.',
      woocommerce_price_num_decimals: '2',
      woocommerce_currency_pos: 'right_space',
      date_format: 'j. F Y',
      timezone_string: 'Asia/Tokyo',
      // The site title (Settings → General), with an ampersand, an apostrophe and a non-ASCII letter.
      blogname: "Tom & Jerry's Kraków",
      // WooCommerce → Settings → Emails: the sender and the template's accent colour.
      woocommerce_email_from_name: 'Tom & Jerry',
      woocommerce_email_from_address: 'shop@tomandjerry.example.test',
      woocommerce_email_base_color: '#c0392b',
    }),
  });
  if (configured.code !== 0) throw new Error(`configuring the site failed: ${configured.output}`);
  // Guest orders placed an hour ago: past WooCommerce's ten minutes, its pay page asks a guest to verify the email.
  const orders = [41, 42].map((id) => ({
    id,
    status: 'pending',
    key: `wc_order_http${id}`,
    created_ago: 3600,
    billing: { email: `guest${id}@example.test` },
  }));
  // Served from its own core folder, so wp-admin and wp-login.php work over HTTP too.
  const php = await serveWordPress(site, port, { COMEBACK_TEST_ORDERS: JSON.stringify(orders) });
  afterAll(async () => {
    php.kill('SIGTERM');
    await sidecar.stop();
    await site.remove();
  });
  const signed = pluginRequest(sidecar.url, { url: home, secret: SECRET });
  /** The administrator created at install (test/php/install.php) signs in over HTTP; answers the session's cookies. */
  const signIn = async (): Promise<string> => {
    const login = await fetch(`${home}/wp-login.php`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'wordpress_test_cookie=WP%20Cookie%20check' },
      body: new URLSearchParams({ log: 'admin', pwd: 'admin-password', testcookie: '1', redirect_to: `${home}/wp-admin/` }).toString(),
    });
    expect(login.status).toBe(302);
    return login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  };

  it(
    'registers the plugin when the merchant saves in the admin UI, so a bank-transfer preview shows the BACS accounts',
    { timeout: 60_000 },
    async () => {
      const preview = () =>
        signed('post', '/api/recovery/preview', {
          gateway: 'offline',
          reminder: { subject: 'Order [order_number]', onlineBody: '[payment_link]', offlineBody: 'Please transfer to:\n[bank_details]' },
        });
      // Connected, but no screen of the plugin saved yet: the sidecar knows no bank account.
      const before = await preview();
      expect(before.status).toBe(422);
      expect(before.body.error.code).toBe('missing_bank_accounts');
      // The merchant signs in and saves in the admin UI, whose calls go through the plugin's REST proxy.
      const cookie = await signIn();
      const admin = await (await fetch(`${home}/wp-admin/admin.php?page=comeback`, { headers: { cookie } })).text();
      const nonce = /window\.comebackAdmin = \{[^}]*"nonce":"([0-9a-f]+)"/.exec(admin)?.[1];
      expect(nonce, 'the admin UI gets its REST nonce').toBeDefined();
      const proxy = (method: string, path: string, body?: unknown) => {
        const target = new URL(`${home}/`);
        target.searchParams.set('rest_route', '/comeback/v1/admin');
        target.searchParams.set('path', path);
        return fetch(target, {
          method,
          headers: { cookie, 'x-wp-nonce': nonce!, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      };
      const settings = await proxy('GET', 'settings/recovery');
      expect(settings.status, await settings.clone().text()).toBe(200);
      expect((await proxy('PUT', 'settings/recovery', await settings.json())).status).toBe(200);
      // The save registered the plugin; the sidecar read its shop profile with the BACS accounts.
      const after = await waitFor(
        async () => {
          const answer = await preview();
          return { status: answer.status, body: answer.body as { text?: string; error?: unknown } };
        },
        (answer) => answer.status === 200,
        20_000,
        'the preview once the plugin registered',
      );
      expect(after.body.text).toContain('Account name: Fixture Shop Ltd');
      expect((await signed('get', '/api/shop/connection').expect(200)).body.linkBase).toBe(`${home}/`);
    },
  );

  it('takes the shop’s name, its site title, from the plugin as soon as the plugin registers', { timeout: 60_000 }, async () => {
    await signed('put', '/api/shop/plugin', { linkBase: `${home}/` }).expect(200);
    const name = await waitFor(
      async () => (await database.pool.query<RowDataPacket[]>('SELECT name FROM shops WHERE id = ?', [shop.insertId]))[0][0]!.name,
      (n) => n !== null,
      20_000,
      'the shop’s name from the plugin',
    );
    // WordPress stores the title HTML-escaped ("Tom &amp; Jerry…"); the plugin reports it as typed.
    expect(name).toBe("Tom & Jerry's Kraków");
  });

  it('takes the company data and BACS accounts from the plugin as soon as the plugin registers', { timeout: 60_000 }, async () => {
    await signed('put', '/api/shop/plugin', { linkBase: `${home}/` }).expect(200);
    const company = await waitFor(
      async () => (await signed('get', '/api/settings/company').expect(200)).body,
      (c) => c?.bankAccounts?.length === 2,
      20_000,
      'the company data from the plugin',
    );
    expect(company.name).toBe("Tom & Jerry's Kraków");
    expect(company.address).toEqual(['1 Test Street', 'Testville, CA 90001', 'US']);
    expect(company.bankAccounts[0]).toMatchObject({
      accountName: 'Fixture Shop Ltd',
      iban: 'GB33BUKB20201555555555',
      bic: 'BUKBGB22',
      sortCode: '12-34-56',
    });
    expect(company.bankAccounts[1]).toMatchObject({ bankName: 'Drugi Bank Testowy', iban: 'PL61109010140000071219812874' });
  });

  it('writes prices and dates in reminders the way the shop does, as its plugin reports', { timeout: 60_000 }, async () => {
    const preview = await waitFor(
      async () =>
        (
          await signed('post', '/api/recovery/preview', {
            gateway: 'offline',
            reminder: {
              subject: '[order_total] – [order_date]',
              onlineBody: '[payment_link]',
              offlineBody: '[order_total]\n[bank_details]',
            },
          })
        ).body,
      (body) => typeof body?.subject === 'string' && body.subject.includes(','),
      20_000,
      'the shop’s formats from the plugin',
    );
    // The sample order (49.90 EUR, 22:30 UTC on 5 March 2025): the shop's separators and symbol
    // side, its date format, and its zone, where it is already 6 March.
    // (A subject is folded to one line of plain spaces; the body keeps WooCommerce's no-break space.)
    expect(preview.subject).toBe('49,90 € – 6. March 2025');
    expect(preview.text).toContain('49,90\u00a0€\nAccount name: Fixture Shop Ltd');
  });

  it('sends from the shop’s WooCommerce sender, in its colours, as its plugin reports', { timeout: 60_000 }, async () => {
    await signed('put', '/api/shop/plugin', { linkBase: `${home}/` }).expect(200);
    const profile = await waitFor(
      async () => loadShopProfile(database.pool, shop.insertId),
      (p) => p.sender !== null,
      20_000,
      'the shop’s email settings from the plugin',
    );
    expect(profile.sender).toEqual({ from: '"Tom & Jerry" <shop@tomandjerry.example.test>', replyTo: 'shop@tomandjerry.example.test' });
    const preview = (
      await signed('post', '/api/recovery/preview', {
        gateway: 'online',
        reminder: { subject: 'Pay', onlineBody: '[payment_link]', offlineBody: '[bank_details]' },
      }).expect(200)
    ).body;
    expect(preview.html).toContain('background-color:#c0392b');
  });

  it('follows a payment link the sidecar minted, on the shop’s domain, and reports the click back', { timeout: 60_000 }, async () => {
    const ref = orderLinkRef(41);
    await database.pool.query(
      "INSERT INTO outbox (idempotency_key, shop_id, channel, recipient, subject, status, link_ref) VALUES ('http-e2e', ?, 'email', 'ada@example.test', 'Your order', 'sent', ?)",
      [shop.insertId, ref],
    );
    const links = messageLinks({ publicUrl: () => sidecar.url, linkSecret: 'unused-for-shop-domain-links', linkTtlDays: 30 }, ref, {
      linkBase: `${home}/`,
      secret: SECRET,
    });
    expect(links.payment.startsWith(`${home}/?comeback=`)).toBe(true);

    const followed = await fetch(links.payment, { redirect: 'manual' });
    expect(followed.status).toBe(302);
    const payPage = `${home}/checkout/order-pay/41/?pay_for_order=true&key=wc_order_http41`;
    expect(followed.headers.get('location')).toBe(payPage);
    // The link came to the order's email address: the pay form opens in one click, for that order only.
    const setCookie = followed.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^comeback_pass=41\.\d+\.[\w-]{43}; expires=[^;]+; Max-Age=(1800|1799); path=\/; HttpOnly; SameSite=Lax$/);
    const pass = setCookie.slice(0, setCookie.indexOf(';'));
    const wall = 'verify the email address associated with the order';
    expect(await (await fetch(payPage, { headers: { cookie: pass } })).text()).toContain('Pay for order');
    expect(await (await fetch(payPage)).text()).toContain(wall);
    const otherOrder = `${home}/checkout/order-pay/42/?pay_for_order=true&key=wc_order_http42`;
    expect(await (await fetch(otherOrder, { headers: { cookie: pass } })).text()).toContain(wall);
    expect(await (await fetch(payPage, { headers: { cookie: `${pass.slice(0, -1)}${pass.endsWith('A') ? 'B' : 'A'}` } })).text()).toContain(
      wall,
    );

    const tampered = await fetch(links.payment.slice(0, -3) + 'abc', { redirect: 'manual' });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('This link is not valid');

    const cron = await runPhp(site, 'php', ['run-cron.php'], { COMEBACK_TEST_CRON_HOOK: 'comeback_report_click' });
    expect(cron.output).toContain('ran 1');
    const [clicks] = await database.pool.query<RowDataPacket[]>(
      'SELECT c.kind, c.user_agent FROM clicks c JOIN outbox m ON m.id = c.outbox_id WHERE m.link_ref = ?',
      [ref],
    );
    expect(clicks).toHaveLength(1);
    expect(clicks[0]).toMatchObject({ kind: 'pay' });
  });

  it('runs the admin UI inside wp-admin, its calls going through the plugin to the sidecar', { timeout: 90_000 }, async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // The administrator created at install (test/php/install.php) signs in as a merchant would.
      await signInToWordPress(page, home);
      await page.goto(`${home}/wp-admin/admin.php?page=comeback`);
      // Flows open first; the recovery form is the unpaid-order flow's simple view.
      await page.getByRole('tab', { name: 'Recovery' }).click();
      const toggle = page.getByRole('checkbox', { name: 'Recover unpaid orders' });
      await toggle.waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(ROOT, 'test/output/screenshots/wp-admin-recovery.png'), fullPage: true });
      // Turned on in the browser, stored by the sidecar: through the plugin's REST route (nonce,
      // manage_woocommerce) and its signed call.
      await toggle.check();
      await page.locator('.comeback-save-status').getByText('Saved. Unpaid orders are being recovered.').waitFor();
      const [rows] = await database.pool.query<RowDataPacket[]>(
        "SELECT enabled FROM flows WHERE shop_id = ? AND flow_key = 'unpaid-order'",
        [shop.insertId],
      );
      expect(rows[0]!.enabled).toBe(1);
      // Every screen answers through the plugin.
      for (const [tab, text] of [
        ['Queue', 'Nobody is in recovery with this status.'],
        ['Outbox', 'Your order'],
        ['Reports', 'Reminders sent'],
        ['Connection', 'Last check of your orders'],
      ] as const) {
        await openTab(page, tab);
        await page.getByText(text).first().waitFor();
        expect(await page.locator('.components-notice.is-error').count(), tab).toBe(0);
        await page.screenshot({ path: join(ROOT, `test/output/screenshots/wp-admin-${tab.toLowerCase()}.png`), fullPage: true });
      }
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
  // Last: it changes the secret every test above signs with.
  it('rotates the shared secret from WooCommerce → Comeback; a link already sent still opens', { timeout: 60_000 }, async () => {
    const ref = orderLinkRef(41);
    const sentBefore = messageLinks({ publicUrl: () => sidecar.url, linkSecret: 'unused-for-shop-domain-links', linkTtlDays: 30 }, ref, {
      linkBase: `${home}/`,
      secret: SECRET,
    }).payment;
    const cookie = await signIn();
    const page = await (await fetch(`${home}/wp-admin/admin.php?page=comeback`, { headers: { cookie } })).text();
    const form = /<form[^>]*>(?:(?!<\/form>)[\s\S])*value="comeback_rotate_secret"[\s\S]*?<\/form>/.exec(page)?.[0] ?? '';
    expect(form).toContain('Rotate the shared secret');
    const nonce = /name="_wpnonce" value="([0-9a-f]+)"/.exec(form)?.[1];
    const clicked = await fetch(`${home}/wp-admin/admin-post.php`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', referer: `${home}/wp-admin/admin.php?page=comeback` },
      body: new URLSearchParams({ action: 'comeback_rotate_secret', _wpnonce: nonce ?? '' }).toString(),
    });
    // The redirect back to the page (302), unless PHP's deprecation notices about this WordPress's bundled Requests library went out first.
    expect(await clicked.text()).not.toContain('The link you followed has expired');
    const after = await (await fetch(`${home}/wp-admin/admin.php?page=comeback`, { headers: { cookie } })).text();
    expect(after).toContain('The shared secret was changed');
    // The sidecar holds the new secret alone: the old one signs nothing any more.
    const [rows] = await database.pool.query<RowDataPacket[]>('SELECT next_secret FROM shops WHERE id = ?', [shop.insertId]);
    expect(rows[0]!.next_secret).toBeNull();
    expect((await signed('get', '/api/shop/connection')).status).toBe(401);
    // A payment link sent before the rotation (signed with the old secret) still leads to the pay page.
    const followed = await fetch(sentBefore, { redirect: 'manual' });
    expect(followed.status).toBe(302);
    expect(followed.headers.get('location')).toBe(`${home}/checkout/order-pay/41/?pay_for_order=true&key=wc_order_http41`);
  });
});
