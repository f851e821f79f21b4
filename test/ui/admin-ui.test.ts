import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestSidecar } from '../helpers/sidecar.ts';
import { startFakeShop, unpaidOrdersFromAnHourAgo, wooTime } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';
import { launchChromium, openTab } from './ui-harness.ts';

const TOKEN = 'admin-token-for-the-ui-tests-0123456789';
const SHOTS = join(import.meta.dirname, '../output/screenshots');

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
  const sidecar = await startTestSidecar(url, { env: { COMEBACK_ADMIN_TOKEN: TOKEN } });
  const connected = await request(sidecar.url)
    .post('/api/shops')
    .set('authorization', `Bearer ${TOKEN}`)
    .send({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret, name: 'Fixture Shop' })
    .expect(201);
  const shopId = connected.body.shop.id as number;
  // The shop's bank account, as the merchant enters it without the plugin.
  await request(sidecar.url)
    .put('/api/settings/company')
    .set('authorization', `Bearer ${TOKEN}`)
    .set('x-comeback-shop-id', String(shopId))
    .send({
      name: 'Fixture Shop Ltd',
      address: ['1 Test Street'],
      bankAccounts: [
        {
          accountName: 'Fixture Shop Ltd',
          bankName: 'First Test Bank',
          accountNumber: '12345678',
          iban: 'GB33BUKB20201555555555',
          bic: 'BUKBGB22',
        },
      ],
    })
    .expect(200);
  await sidecar.scheduler.agenda.now('woo.reconcile');
  const row = async (sql: string, params: unknown[] = []) => (await pool.query<RowDataPacket[]>(sql, params))[0][0];
  await waitFor(
    () => row('SELECT COUNT(*) AS n FROM orders WHERE shop_id = ?', [shopId]),
    (r) => Number(r?.n) >= 2,
    20_000,
    'the sweep to store both orders',
  );

  mkdirSync(SHOTS, { recursive: true });
  const browser: Browser = await launchChromium();
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  afterAll(async () => {
    await browser.close();
    await sidecar.stop();
    await shop.close();
  });
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const tab = (name: string) => openTab(page, name);
  const onlineBody = () => page.locator('textarea[name="reminders.0.onlineBody"]');
  const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
  type StoredDefinition = {
    trigger: Record<string, unknown>;
    steps: Array<{ delay: unknown; channels: string[]; sms?: { body: string }; email?: { body: string } }>;
  };
  const unpaidFlow = async () => {
    const flow = await row(
      `SELECT f.enabled, v.definition FROM flows f JOIN flow_versions v ON v.shop_id = f.shop_id AND v.flow_key = f.flow_key AND v.version = f.version
       WHERE f.shop_id = ? AND f.flow_key = 'unpaid-order'`,
      [shopId],
    );
    return { enabled: Boolean(flow?.enabled), definition: json(flow?.definition) as StoredDefinition };
  };

  it('signs in with the admin token and turns recovery on', async () => {
    await page.goto(`${sidecar.url}/admin/#token=${TOKEN}`);
    // The flows come first.
    await page.getByRole('tab', { name: 'Flows', selected: true }).waitFor();
    // The token left the address bar at once.
    expect(page.url()).not.toContain(TOKEN);
    await tab('Recovery');
    await expect.poll(() => page.getByRole('checkbox', { name: 'Recover unpaid orders' }).isVisible()).toBe(true);
    await page.getByRole('checkbox', { name: 'Recover unpaid orders' }).check();
    await page.locator('.comeback-save-status').getByText('Saved. Unpaid orders are being recovered.').waitFor();
    // The recovery form is a view of the unpaid-order flow.
    expect((await unpaidFlow()).enabled).toBe(true);
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
    expect(
      await onlineBody().evaluate((el) => {
        const area = el as unknown as { value: string; selectionStart: number; selectionEnd: number };
        return area.value.slice(area.selectionStart, area.selectionEnd);
      }),
    ).toBe('[paymnt_link]');
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

    // One preview per offline method the shop has enabled, titled as at checkout (WooCommerce's REST gateways).
    // Once the previews are in (the header's spinner moves the buttons while they load).
    await page.locator('.comeback-preview[aria-busy="false"]').waitFor();
    await page.getByRole('button', { name: 'Direct bank transfer', exact: true }).click();
    await page.getByRole('button', { name: 'Plain text' }).click();
    await expect.poll(() => page.getByTestId('preview-text').textContent()).toContain('IBAN: GB33BUKB20201555555555');
    expect(await page.getByTestId('preview-text').textContent()).toContain(`Payment reference: ${String(bacs.number)}`);
    expect(await page.getByText(`Shown with order #${String(bacs.number)}`).count()).toBe(1);
    await shot('preview-offline');

    // How long the order stays open after the last reminder (48 h unless the merchant says otherwise).
    const grace = page.getByRole('spinbutton', { name: 'Keep the order open after the last reminder (hours)' });
    expect(await grace.inputValue()).toBe('48');
    await grace.fill('6');
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await page.locator('.comeback-save-status').getByText('Saved. Unpaid orders are being recovered.').waitFor();
    expect((await unpaidFlow()).definition.steps[0]?.email?.body).toBe('Hello [customer_first_name],\nPlease pay: [payment_link]');
    expect((await unpaidFlow()).definition.trigger).toMatchObject({ event: 'order.unpaid', linkGraceHours: 6 });
  });

  it('has a cheque text of its own: edited in its own box, checked as typed, previewed and saved', async () => {
    // The shop enables cheque: its text is titled as at checkout, never by the gateway id.
    const cheque = page.getByRole('textbox', { name: 'Text for Check payments' });
    expect(await cheque.inputValue()).toContain('We have not yet received your cheque');
    expect(await page.getByRole('textbox', { name: 'Text for Direct bank transfer' }).inputValue()).toContain('[bank_details]');
    await page.locator('.comeback-preview[aria-busy="false"]').waitFor();
    await page.getByRole('button', { name: 'Check payments', exact: true }).click();
    await expect.poll(() => page.getByTestId('preview-text').textContent()).toContain('We have not yet received your cheque');
    const preview = (await page.getByTestId('preview-text').textContent())!;
    expect(preview).toContain('Please make it payable to Fixture Shop');
    expect(preview).not.toContain('GB33BUKB20201555555555');
    // No cheque order yet in this shop: a sample order, and it says so.
    expect(await page.getByText('No order of this kind yet: shown with a sample order.').count()).toBe(1);
    await shot('preview-cheque');

    // A payment link has no place in a cheque text: refused as it is typed, at its line and column.
    await cheque.fill('Hello [customer_first_name],\nplease pay: [payment_link]');
    const error = page.locator('.comeback-template-error').first();
    await error.waitFor();
    expect(await error.textContent()).toContain('Line 2, column 13:');
    expect(await error.textContent()).toContain('[payment_link]');
    await cheque.fill('Hello [customer_first_name],\nplease send your cheque, payable to [payable_to], to:\n[company_details]');
    await expect.poll(() => page.locator('.comeback-template-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await page.locator('.comeback-save-status').getByText('Saved. Unpaid orders are being recovered.').waitFor();
    const email = (await unpaidFlow()).definition.steps[0]?.email as { offlineBodies?: Record<string, string> } | undefined;
    expect(email?.offlineBodies?.cheque).toBe(
      'Hello [customer_first_name],\nplease send your cheque, payable to [payable_to], to:\n[company_details]',
    );
    expect(email?.offlineBodies?.bacs).toContain('[bank_details]');
  });

  it('shows the enrollments in the queue, with one enrollment’s timeline', async () => {
    await tab('Queue');
    const link = page.getByRole('button', { name: `#${String(payu.number)}` });
    await expect
      .poll(async () => (await link.count()) > 0 || (await page.getByRole('button', { name: 'Refresh' }).click(), false), {
        timeout: 20_000,
      })
      .toBe(true);
    await link.click();
    await page.getByText('Entered recovery').waitFor();
    await shot('queue');
  });

  it('shows the sent reminder in the outbox as the customer saw it', async () => {
    await waitFor(
      () => row("SELECT COUNT(*) AS n FROM outbox WHERE shop_id = ? AND status = 'sent'", [shopId]),
      (r) => Number(r?.n) >= 2,
      30_000,
      'both reminders to be sent',
    );
    await tab('Outbox');
    await page.getByRole('button', { name: 'Refresh' }).click();
    const first = page.locator('.comeback-table tbody tr').first().getByRole('button');
    await first.waitFor();
    await first.click();
    await expect.poll(() => page.frameLocator('.comeback-detail iframe').locator('body').textContent()).toMatch(/Hello|waiting/);
    await shot('outbox');
  });

  it('says in the queue, step by step and in plain words, why a message went or did not', async () => {
    const enrollment = await row("SELECT id FROM enrollments WHERE shop_id = ? AND flow = 'unpaid-order' AND subject_id = ?", [
      shopId,
      String(payu.id),
    ]);
    const id = Number(enrollment!.id);
    // What the engine writes when a step first waits for the send window, and finds no number for SMS.
    const before = new Date(Date.now() - 3_600_000);
    await pool.query(
      'INSERT INTO step_log (enrollment_id, step, channel, outcome, detail, at) VALUES (?, 0, NULL, ?, ?, ?), (?, 0, ?, ?, NULL, ?)',
      [
        id,
        'quiet_hours',
        'outside 09:00–20:00 in Europe/Warsaw; moved to 2026-01-05T08:00:00.000Z',
        before,
        id,
        'sms',
        'no_address',
        before,
      ],
    );
    await tab('Queue');
    await page.getByRole('button', { name: `#${String(payu.number)}` }).click();
    const log = page.getByTestId('step-log');
    await log.getByText('Sent by email (queued in the outbox).').waitFor();
    const text = await log.textContent();
    expect(text).toContain('Step 1');
    expect(text).toContain('Held back: outside the hours messages may go; moved to when they begin.');
    expect(text).toContain('outside 09:00–20:00 in Europe/Warsaw; moved to');
    expect(text).not.toContain('2026-01-05T08:00:00.000Z');
    expect(text).toContain('Not sent by SMS: the customer left no mobile number.');
    await shot('queue-why-not-sent');
  });

  it('refuses a bad reminder delay at its field, keeps the merchant’s order, and asks before unsaved edits are lost', async () => {
    await tab('Recovery');
    await page.getByRole('button', { name: 'Add a reminder' }).click();
    const second = page.locator('input[name="reminders.1.delay.value"]');
    const secondError = page.locator('#comeback-reminder-1-delay-errors .comeback-field-error');
    // Zero, negative and empty are refused as typed, never snapped to 1.
    for (const typed of ['0', '-5', '']) {
      await second.fill(typed);
      await secondError.first().waitFor();
      expect(await second.getAttribute('aria-invalid')).toBe('true');
      expect(await second.inputValue()).toBe(typed);
    }
    // Before the first (1 hour): refused where it is, not re-sorted.
    await second.fill('30');
    await page
      .locator('select', { has: page.locator('option[value="minutes"]') })
      .nth(1)
      .selectOption('minutes');
    await expect.poll(() => secondError.textContent()).toBe('a reminder cannot come before the one above it');
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await page.getByTestId('savebar-errors').getByText('a reminder cannot come before the one above it').waitFor();
    await expect
      .poll(() => page.evaluate('document.activeElement && document.activeElement.getAttribute("name")'))
      .toBe('reminders.1.delay.value');
    expect((await unpaidFlow()).definition.steps).toHaveLength(1);
    await shot('recovery-delay-refused');

    // Another screen while edits are unsaved (Queue, through its group): asked first; "Keep editing" stays with them.
    await page.locator('.comeback-nav__group', { hasText: 'Activity' }).click();
    const leaveDialog = page.getByRole('alertdialog', { name: 'Leave without saving?' });
    await leaveDialog.waitFor();
    await shot('unsaved-changes-dialog');
    await leaveDialog.getByRole('button', { name: 'Keep editing' }).click();
    await leaveDialog.waitFor({ state: 'detached' });
    expect(await page.getByRole('tab', { name: 'Recovery', selected: true }).count()).toBe(1);
    expect(await second.inputValue()).toBe('30');
    // Reloading asks too (the browser's own question); dismissed, the edits stay.
    const asked = new Promise<string>((resolve) => page.once('dialog', (d) => (resolve(d.type()), void d.dismiss())));
    void page.reload().catch(() => {});
    expect(await asked).toBe('beforeunload');
    expect(await second.inputValue()).toBe('30');

    await second.fill('1');
    await page
      .locator('select', { has: page.locator('option[value="minutes"]') })
      .nth(1)
      .selectOption('days');
    await expect.poll(() => secondError.count()).toBe(0);
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await page.locator('.comeback-save-status').getByText('Saved. Unpaid orders are being recovered.').waitFor();
    expect((await unpaidFlow()).definition.steps.map((s) => s.delay)).toEqual([
      { value: 1, unit: 'hours' },
      { value: 1, unit: 'days' },
    ]);
    // Saved: another tab opens without a question.
    await tab('Queue');
    await page.getByRole('tab', { name: 'Queue', selected: true }).waitFor();
  });

  it('asks before stopping reminders or sending the next one early, and the open panel follows what happened', async () => {
    // The transfer order's enrollment, its first reminder sent, waits for the second (a day after the order).
    const { version } = (await row("SELECT version FROM flows WHERE shop_id = ? AND flow_key = 'unpaid-order'", [shopId]))!;
    await pool.query(
      "UPDATE enrollments SET status = 'active', flow_version = ?, step = 1, exited_at = NULL, exit_reason = NULL, last_error = NULL, next_step_at = ? WHERE shop_id = ? AND subject_id = ?",
      [version, new Date(Date.now() + 23 * 3_600_000), shopId, String(bacs.id)],
    );
    await tab('Queue');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('button', { name: `#${String(bacs.number)}` }).click();
    const panel = page.locator('.comeback-detail');
    await panel.getByRole('button', { name: 'Send next reminder now' }).waitFor();
    // A scheduled enrollment is not failing: no "Retry now".
    expect(await panel.getByRole('button', { name: 'Retry now' }).count()).toBe(0);

    await panel.getByRole('button', { name: 'Stop reminders' }).click();
    const stop = page.getByRole('alertdialog', { name: 'Stop the reminders?' });
    await stop.waitFor();
    expect(await stop.textContent()).toContain((bacs.billing as { email: string }).email);
    await page.keyboard.press('Escape');
    await stop.waitFor({ state: 'detached' });
    const enrollment = () => row('SELECT status, step FROM enrollments WHERE shop_id = ? AND subject_id = ?', [shopId, String(bacs.id)]);
    expect(await enrollment()).toMatchObject({ status: 'active', step: 1 });

    await panel.getByRole('button', { name: 'Send next reminder now' }).click();
    const sendNow = page.getByRole('alertdialog', { name: 'Send the next reminder now?' });
    await sendNow.waitFor();
    await shot('queue-send-now-dialog');
    await sendNow.getByRole('button', { name: 'Send reminder 2 now' }).click();
    // The panel, still open, shows the reminder sent and the enrollment done, without being reopened.
    await panel.getByText('Reminder 2 is being sent now.').waitFor();
    await panel.locator('.comeback-timeline li', { hasText: 'Reminder sent · reminder 2' }).waitFor({ timeout: 20_000 });
    await panel.getByRole('button', { name: 'Send next reminder now' }).waitFor({ state: 'detached' });
    expect((await enrollment())!.status).toBe('completed');
    await shot('queue-sent-now');
  });

  it('shows the recovered order in the reports after the paid webhook', async () => {
    // The customer pays: WooCommerce marks the order processing and delivers order.updated.
    await shop.update(payu.id as number, {
      status: 'processing',
      date_paid_gmt: wooTime(new Date()),
      date_paid: wooTime(new Date()),
      set_paid: true,
    });
    await waitFor(
      () => row('SELECT COUNT(*) AS n FROM attributions WHERE shop_id = ?', [shopId]),
      (r) => Number(r?.n) === 1,
      30_000,
      'the payment to be credited',
    );
    await tab('Reports');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.getByTestId('stat-orders').locator('.comeback-stat__value').textContent()).toBe('1');
    expect(await page.getByTestId('stat-revenue').textContent()).toContain(Number(payu.total).toFixed(2));
    const byReminder = await page.getByTestId('by-reminder').locator('tbody tr').first().locator('td').allTextContents();
    expect(byReminder.slice(0, 6)).toEqual(['Reminder 1', 'Email', '2', '0', '0', '1']);
    await shot('reports');
  });

  it('speaks the shop’s words on the queue, outbox and reports: gateway titles, flow names, money and dates as the shop writes them', async () => {
    const screen = async () => (await page.locator('.comeback-tabs').textContent()) ?? '';
    // What the merchant never set or saw in WooCommerce: gateway ids, flow keys, our row ids, "24.9900 USD" in a "$" shop.
    const noJargon = (text: string) => {
      // (The fixture customers' addresses are bacs@… and payustandard@…: those are theirs.)
      expect(text.replace(/[\w.+-]+@example\.test/g, '')).not.toMatch(/\bbacs\b|\bpayustandard\b/);
      expect(text).not.toContain('unpaid-order');
      expect(text).not.toMatch(/Enrollment \d+|Message \d+|Cart \d+/);
      expect(text).not.toMatch(/\d USD\b/);
      // One date format, the shop's ("F j, Y" then the time), not the browser's "12/4/2026, 11:14:03 PM".
      expect(text).not.toMatch(/\d{1,2}\/\d{1,2}\/\d{4}/);
    };
    const billing = bacs.billing as { first_name: string; last_name: string };
    await tab('Queue');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('button', { name: `#${String(bacs.number)}` }).click();
    const detail = page.locator('.comeback-detail');
    await detail.getByText('Direct bank transfer', { exact: false }).waitFor();
    const details = (await detail.textContent()) ?? '';
    expect(details).toContain(`${billing.first_name} ${billing.last_name}’s order #${String(bacs.number)}`);
    expect(details).toContain(
      `Order #${String(bacs.number)} · $${Number(bacs.total).toFixed(2)} · Direct bank transfer · on hold, waiting for payment`,
    );
    expect(details).toContain('Flow “Unpaid order reminder”, version');
    expect(details).toMatch(
      /(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4} \d{1,2}:\d{2} [ap]m/,
    );
    const queue = await screen();
    expect(queue).toContain('Unpaid order reminder');
    noJargon(queue);

    await tab('Outbox');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('.comeback-table tbody tr').first().getByRole('button').click();
    await page.locator('.comeback-detail').waitFor();
    const outbox = await screen();
    expect(outbox).toContain('Sent');
    noJargon(outbox);

    await tab('Reports');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.getByTestId('stat-orders').locator('.comeback-stat__value').textContent()).toBe('1');
    expect(await page.getByTestId('stat-revenue').locator('.comeback-stat__value').textContent()).toBe(`$${Number(payu.total).toFixed(2)}`);
    noJargon(await screen());
    await shot('shop-words');
  });

  it('names the order that paid the same items again, and cancels the stale one in WooCommerce once the merchant confirms', async () => {
    // The bank-transfer customer checks out the same items again and pays by card: a new order.
    const paidAt = wooTime(new Date());
    await shop.create({
      ...bacs,
      id: 9100,
      number: '9100',
      status: 'processing',
      payment_method: 'stripe',
      date_created_gmt: paidAt,
      date_paid_gmt: paidAt,
      date_modified_gmt: paidAt,
    });
    await waitFor(
      () => row('SELECT exit_reason FROM enrollments WHERE shop_id = ? AND subject_id = ?', [shopId, String(bacs.id)]),
      (r) => r?.exit_reason === 'paid again',
      30_000,
      'the stale order to leave recovery',
    );
    await tab('Queue');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('paid again as #9100').waitFor();
    await page.getByRole('button', { name: `#${String(bacs.number)}` }).click();
    await page.getByRole('button', { name: `Cancel order #${String(bacs.number)} in WooCommerce…` }).click();
    // Asked first: nothing is cancelled until the merchant says yes.
    expect(shop.orders.get(bacs.id as number)?.status).toBe('on-hold');
    await page.getByRole('button', { name: `Yes, cancel order #${String(bacs.number)}` }).click();
    await page.locator('.comeback-detail').getByText('The order is cancelled in WooCommerce, with a private note saying why.').waitFor();
    expect(shop.orders.get(bacs.id as number)?.status).toBe('cancelled');
    expect((shop.notes.get(bacs.id as number) ?? []).map((n) => n.note)).toContain(
      'Comeback: cancelled from the recovery queue at the merchant’s request — the same items were paid as order #9100.',
    );
    await expect.poll(() => page.getByRole('button', { name: /^Cancel order #/ }).count()).toBe(0);
    await shot('queue-paid-again');
  });

  it('shows the connection and raises a banner when WooCommerce disables a webhook', async () => {
    await tab('Connection');
    await page.locator('.components-notice__content').getByText('Your shop is connected and sending its order events.').waitFor();
    // No SMTP URL here: the mail went to the dev outbox, and the screen says so instead of "healthy".
    await expect.poll(() => page.getByTestId('sending').textContent()).toContain('Email goes to the dev outbox on this machine only');
    expect(await page.getByTestId('sending').textContent()).not.toContain('healthy');
    expect(await page.getByTestId('sending-sms').textContent()).toContain('to the dev outbox on this machine only');
    await shot('connection');
    // What the last check recorded when WooCommerce had disabled the order.updated webhook.
    await pool.query(
      "UPDATE shops SET webhooks = JSON_SET(webhooks, '$[1].status', 'disabled') WHERE id = ? AND JSON_VALUE(webhooks, '$[1].topic') = 'order.updated'",
      [shopId],
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('.comeback-banner').getByText('WooCommerce stopped sending these order events: Order updated').waitFor();
  });

  const flowRow = (key: string) => page.locator(`tr[data-flow="${key}"]`);
  const saveFlow = () => page.getByRole('button', { name: 'Save flow' }).click();
  const saveStatus = () => page.locator('.comeback-save-status');
  const storedFlow = async (key: string, version: number) => {
    const stored = await row('SELECT definition FROM flow_versions WHERE shop_id = ? AND flow_key = ? AND version = ?', [
      shopId,
      key,
      version,
    ]);
    return json(stored?.definition) as StoredDefinition | undefined;
  };
  const smsText = () => page.locator('textarea[name="steps.0.sms.body"]');

  it('lists the flows and saves a changed delay and SMS text of the abandoned-cart flow as a new version', async () => {
    await tab('Flows');
    await flowRow('abandoned-cart').waitFor();
    // Steps in words, as shipped (channels not set up are marked for screen readers too).
    expect((await page.getByTestId('steps-abandoned-cart').textContent())?.replaceAll(' (not set up yet)', '')).toBe(
      'SMS / WhatsApp / Email day 1 → Email day 3 → Email day 7 → SMS / WhatsApp day 10',
    );
    expect(await flowRow('abandoned-cart').textContent()).toContain('A cart is left without an order for 60 minutes');
    await shot('flows');

    await flowRow('abandoned-cart').getByRole('button', { name: 'Abandoned cart', exact: true }).click();
    await page.getByTestId('flow-version').getByText('As shipped, never saved').waitFor();
    await page.locator('input[name="steps.0.delay.value"]').fill('2');
    await smsText().fill('[shop_name]: your cart is still here: [cart_link]');
    await page.getByText('Unsaved changes').waitFor();
    await saveFlow();
    await saveStatus().getByText('Saved as version 1.').waitFor();
    await expect.poll(() => page.getByTestId('flow-version').textContent()).toContain('Version 1');
    const saved = await storedFlow('abandoned-cart', 1);
    expect(saved?.steps[0]?.delay).toEqual({ value: 2, unit: 'days' });
    expect(saved?.steps[0]?.sms?.body).toBe('[shop_name]: your cart is still here: [cart_link]');
    await shot('flow-editor');
  });

  it('shows a broken shortcode next to its text as typed and when saving, and a refused delay next to the delay', async () => {
    await smsText().fill('Hi [cart_lnk]');
    const smsErrors = page.locator('.comeback-template', { has: smsText() }).locator('.comeback-template-error');
    await smsErrors.first().waitFor();
    expect(await smsErrors.first().textContent()).toContain('Line 1, column 4:');
    expect(await smsErrors.first().textContent()).toContain('cart_lnk');
    // The sidecar refuses the save for the same reason: shown once, at the same text.
    await saveFlow();
    await saveStatus().getByText('1 problem stops this flow from being saved').waitFor();
    expect(await smsErrors.count()).toBe(1);
    expect(await smsText().getAttribute('aria-invalid')).toBe('true');
    await shot('flow-template-error');
    await smsText().fill('[shop_name]: your cart is still here: [cart_link]');
    await expect.poll(() => smsErrors.count()).toBe(0);

    // A negative delay is refused at the field as typed, not snapped to 0.
    const secondDelay = page.locator('input[name="steps.1.delay.value"]');
    await secondDelay.fill('-5');
    const valueError = page.locator('#comeback-step-1 .comeback-field-error[data-field="steps.1.delay.value"]');
    await valueError.waitFor();
    expect(await valueError.textContent()).toBe('Enter a whole number from 0 to 10000.');
    expect(await secondDelay.inputValue()).toBe('-5');
    // Step 2 at day 1 would come before step 1 (day 2): said as typed, and the sidecar names steps.1.delay.
    await secondDelay.fill('1');
    await saveFlow();
    const delayError = page.locator('#comeback-step-1 .comeback-field-error[data-field="steps.1.delay"]');
    await delayError.waitFor();
    expect(await delayError.textContent()).toBe('a step cannot come before the one above it');
    expect(await secondDelay.getAttribute('aria-invalid')).toBe('true');
    await shot('flow-field-error');
    await secondDelay.fill('3');
    await expect.poll(() => delayError.count()).toBe(0);
    expect(await storedFlow('abandoned-cart', 2)).toBeUndefined();
    // Removing a step asks first; Escape keeps it.
    const steps = () => page.locator('.comeback-step').count();
    const before = await steps();
    await page.getByRole('button', { name: 'Remove step 2' }).click();
    await page.getByRole('alertdialog', { name: 'Remove step 2?' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    expect(await steps()).toBe(before);
  });

  it('reorders the channels of a step, by mouse and from the keyboard', async () => {
    const channelsOf = (step: number) =>
      page.locator(`#comeback-step-${step} li[data-channel]`).evaluateAll((items) => items.map((li) => li.getAttribute('data-channel')));
    expect(await channelsOf(0)).toEqual(['sms', 'whatsapp', 'email']);
    const earlier = page.getByRole('button', { name: 'Try Email earlier in step 1' });
    await earlier.click();
    expect(await channelsOf(0)).toEqual(['sms', 'email', 'whatsapp']);
    await earlier.focus();
    await page.keyboard.press('Enter');
    expect(await channelsOf(0)).toEqual(['email', 'sms', 'whatsapp']);
    // The reload after the save is held: the editor already counts what it saved as saved, and
    // loads the flow once (a second load could bring a version someone saved meanwhile over it).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const loads: Array<Promise<void>> = [];
    await page.route('**/api/flows/abandoned-cart', (route) => {
      const get = route.request().method() === 'GET';
      const passed = (get ? held : Promise.resolve()).then(() => route.continue());
      if (get) loads.push(passed);
      return passed;
    });
    try {
      await saveFlow();
      await saveStatus().getByText('Saved as version 2.').waitFor();
      expect(await page.getByText('Unsaved changes').count()).toBe(0);
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
      expect(loads).toHaveLength(1);
    } finally {
      release();
      await Promise.all(loads);
      await page.unroute('**/api/flows/abandoned-cart');
    }
    await expect.poll(() => page.getByTestId('flow-version').textContent()).toContain('Version 2');
    expect((await storedFlow('abandoned-cart', 2))?.steps[0]?.channels).toEqual(['email', 'sms', 'whatsapp']);
  });

  it('tells the editor to reload when someone else saved the flow meanwhile', async () => {
    // Another admin moves step 2 to day 4 (version 3) while this editor still has version 2.
    const admin = (r: request.Test) => r.set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));
    const current = await admin(request(sidecar.url).get('/api/flows/abandoned-cart')).expect(200);
    const definition = current.body.definition;
    definition.steps[1].delay.value = 4;
    await admin(request(sidecar.url).put('/api/flows/abandoned-cart')).send({ definition, enabled: false, expectedVersion: 2 }).expect(200);

    await page.locator('input[name="name"]').fill('Abandoned cart, my way');
    await saveFlow();
    await saveStatus().getByText('Someone else saved this flow meanwhile (it is now version 3)').waitFor();
    await shot('flow-conflict');
    await saveStatus().getByRole('button', { name: 'Reload the flow' }).click();
    await expect.poll(() => page.getByTestId('flow-version').textContent()).toContain('Version 3');
    await expect.poll(() => page.locator('input[name="name"]').inputValue()).toBe('Abandoned cart');
    await expect.poll(() => page.locator('input[name="steps.1.delay.value"]').inputValue()).toBe('4');
  });

  it('turns a flow on from the list', async () => {
    await page.getByRole('button', { name: 'All flows' }).click();
    const toggle = page.getByRole('checkbox', { name: 'Send “Abandoned cart”' });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await page.locator('.comeback-flows__notice').getByText('“Abandoned cart” is on.').waitFor();
    const stored = await row('SELECT enabled, version FROM flows WHERE shop_id = ? AND flow_key = ?', [shopId, 'abandoned-cart']);
    expect({ enabled: Boolean(stored?.enabled), version: Number(stored?.version) }).toEqual({ enabled: true, version: 3 });
    expect(await page.getByTestId('steps-abandoned-cart').textContent()).toContain('Email / SMS / WhatsApp day 2 → Email day 4');
  });

  it('deletes a copy of a flow after asking, and offers no Delete for a preset', async () => {
    await page.getByRole('button', { name: 'Make a copy of “Abandoned cart”' }).click();
    await page.getByRole('heading', { name: 'Abandoned cart (copy)' }).waitFor();
    await page.getByRole('button', { name: 'All flows' }).click();
    await flowRow('abandoned-cart-copy').waitFor();
    expect(
      await flowRow('abandoned-cart')
        .getByRole('button', { name: /^Delete/ })
        .count(),
    ).toBe(0);
    await flowRow('abandoned-cart-copy').getByRole('button', { name: 'Delete “Abandoned cart (copy)”' }).click();
    const question = page.getByRole('alertdialog', { name: 'Delete “Abandoned cart (copy)”?' });
    await question.getByRole('button', { name: 'Delete “Abandoned cart (copy)”' }).click();
    await page.locator('.comeback-flows__notice').getByText('“Abandoned cart (copy)” is deleted.').waitFor();
    expect(await flowRow('abandoned-cart-copy').count()).toBe(0);
    expect(await row('SELECT COUNT(*) AS n FROM flows WHERE shop_id = ? AND flow_key = ?', [shopId, 'abandoned-cart-copy'])).toMatchObject({
      n: 0,
    });
  });

  it('shows an open alert above every screen until it is dismissed', async () => {
    const now = new Date();
    await pool.query(
      "INSERT INTO alerts (shop_id, kind, subject, message, opened_at, last_seen_at, open_key) VALUES (?, 'provider_failing', 'sms', ?, ?, ?, ?)",
      [
        shopId,
        'SMS could not be sent 5 times in 15 minutes: Twilio 20003 Authentication Error',
        now,
        now,
        `${shopId}:provider_failing:sms`,
      ],
    );
    await page.reload();
    const alert = page.locator('.comeback-alert', { hasText: 'Twilio 20003' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('A sending channel is failing');
    expect(await alert.textContent()).toContain('Since ');
    await shot('alert-banner');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => alert.count()).toBe(0);
    const stored = await row("SELECT resolved_at FROM alerts WHERE shop_id = ? AND kind = 'provider_failing' AND subject = 'sms'", [
      shopId,
    ]);
    expect(stored?.resolved_at).not.toBeNull();
  });

  it('sets where alerts are emailed on the connection screen, from the sticky bar, guarded until saved', async () => {
    await tab('Connection');
    const email = page.getByRole('textbox', { name: 'Email alerts to' });
    const bar = page.locator('.comeback-alert-email .comeback-savebar');
    const save = bar.getByRole('button', { name: 'Save the alert address' });
    expect(await save.isDisabled()).toBe(true);
    // A wrong address is kept as typed and refused at its field, with the focus on it.
    await email.fill('alerts at example');
    await bar.getByText('Unsaved changes').waitFor();
    await save.click();
    const error = page.locator('.comeback-field-error[data-field="alertEmail"]');
    await error.waitFor();
    expect(await error.textContent()).toBe('Enter an email address, or leave the field empty to see alerts here only.');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.getAttribute("name")')).toBe('alertEmail');
    expect(await email.inputValue()).toBe('alerts at example');
    // Another screen while it is unsaved: asked first; "Keep editing" stays with it.
    await page.locator('.comeback-nav__group', { hasText: 'Customers' }).click();
    const leaving = page.getByRole('alertdialog', { name: 'Leave without saving?' });
    await leaving.getByRole('button', { name: 'Keep editing' }).click();
    await leaving.waitFor({ state: 'detached' });
    expect(await email.inputValue()).toBe('alerts at example');

    await email.fill('alerts@example.test');
    await save.click();
    await bar.getByText('Saved. Alerts go to alerts@example.test.').waitFor();
    expect(await bar.getByText('Unsaved changes').count()).toBe(0);
    expect(new URL(page.url()).hash).toBe('#connection');
    const stored = await row("SELECT value FROM settings WHERE shop_id = ? AND `key` = 'alerts'", [shopId]);
    expect(JSON.parse(String(stored!.value))).toEqual({ email: 'alerts@example.test' });
    await shot('connection-alerts');
  });

  it('marks the channels that are not set up, and keeps their texts editable', async () => {
    // As a sidecar with no SMS or WhatsApp provider answers (this one sends every channel to its dev outbox).
    await page.route('**/api/flows', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), channels: { email: true, sms: false, whatsapp: false } } });
    });
    await tab('Flows');
    await page.locator('.comeback-flows__channels').getByText('Not set up yet: SMS, WhatsApp.').waitFor();
    expect(await page.getByTestId('steps-order-confirmation').textContent()).toBe(
      'SMS (not set up yet) / WhatsApp (not set up yet) at once',
    );
    await flowRow('order-confirmation').getByRole('button', { name: 'Order confirmation', exact: true }).click();
    await page.locator('#comeback-step-0 li[data-channel="sms"]').getByText('not set up yet').waitFor();
    expect(await page.locator('textarea[name="steps.0.sms.body"]').isEditable()).toBe(true);
    await shot('flow-channels-not-set-up');
    await page.unroute('**/api/flows');
    await page.getByRole('button', { name: 'All flows' }).click();
  });

  it('pauses, resumes and disconnects the shop from the connection screen, saying what each did', async () => {
    await tab('Connection');
    const state = page.getByTestId('shop-state');
    const stored = async () => row('SELECT state, state_reason FROM shops WHERE id = ?', [shopId]);
    await state.getByRole('button', { name: 'Pause' }).click();
    await state.getByText(/^Paused by you on .*held, not lost/).waitFor();
    expect(await stored()).toMatchObject({ state: 'paused', state_reason: 'merchant' });
    // The banner over every screen says it too.
    await page
      .locator('.comeback-banner')
      .getByText(/^Paused by you on/)
      .waitFor();

    await state.getByRole('button', { name: 'Resume' }).click();
    await state.getByText('Resumed. Held reminders are going out now.').waitFor();
    expect(await stored()).toMatchObject({ state: 'active' });

    await state.getByRole('button', { name: 'Disconnect…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disconnect this shop from Comeback?' });
    expect(await dialog.getByRole('radio', { name: /^Keep it/ }).isChecked()).toBe(true);
    await shot('connection-disconnect-dialog');
    await dialog.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await state.getByText(/^Disconnected: 4 webhook\(s\) removed from WooCommerce, \d+ waiting message\(s\) cancelled/).waitFor();
    expect(await state.textContent()).toContain(`ending in …${shop.consumerKey.slice(-7)}`);
    await state.getByText(/^Disconnected by you on .*Connect the shop again/).waitFor();
    expect(shop.webhooks.size).toBe(0);
    expect(await stored()).toMatchObject({ state: 'disconnected', state_reason: 'merchant' });
    await shot('connection-disconnected');

    // Connected again with its key (data kept): active, webhooks back.
    await request(sidecar.url)
      .put('/api/shop/connection')
      .set('authorization', `Bearer ${TOKEN}`)
      .set('x-comeback-shop-id', String(shopId))
      .send({ consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret })
      .expect(200);
    expect(await stored()).toMatchObject({ state: 'active' });
    expect(shop.webhooks.size).toBe(4);
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
