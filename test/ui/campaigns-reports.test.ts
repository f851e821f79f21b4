import { afterAll, describe, expect, it } from 'vitest';
import { grantConsent, withdrawConsent } from '../helpers/consent.ts';
import { wooTime } from '../fakes/fake-woo-shop.ts';
import { waitFor } from '../helpers/processes.ts';
import { orderHistory, startUi } from './ui-harness.ts';

type StoredCampaign = {
  id: number;
  name: string;
  tags: string[];
  status: string;
  sendAt: string | null;
  step: { channels: string[]; email?: { subject: string; body: string } };
};

/**
 * Campaigns and the customer reports in Chromium against a real sidecar: a campaign written in
 * the UI with its audience counted live before it is scheduled; then what win-back brought (a
 * lapsed customer messaged with a coupon buys with it) in the report's sections.
 */
describe('campaigns and customer reports in the admin UI', async () => {
  const { orders, placed } = orderHistory();
  // Ola buys every 20 days, last 50 days ago (at risk, lapsed); Jan once, 3 days ago, the most
  // (VIP); Eva long ago (inactive), and she unsubscribed.
  const olaOrder = placed('ola@example.test', 110, '25.00');
  for (const d of [90, 70, 50]) placed('ola@example.test', d, '25.00');
  placed('jan@example.test', 3, '400.00');
  placed('eva@example.test', 300, '30.00');
  placed('eva@example.test', 200, '30.00');
  const ui = await startUi('ui_campaigns', orders);
  const { page, admin, tab, shot, shop, shopId } = ui;
  afterAll(() => ui.close());
  const longAgo = new Date(Date.now() - 400 * 86_400_000);
  for (const email of ['ola@example.test', 'jan@example.test'])
    await grantConsent(ui.pool, shopId, { purpose: 'marketing', channel: 'email', address: email, claimedAt: longAgo });
  await withdrawConsent(ui.pool, shopId, 'email', 'eva@example.test');
  await ui.importHistory();
  const campaigns = async () => (await admin('get', '/api/campaigns').expect(200)).body.items as StoredCampaign[];
  const saveStatus = () => page.locator('.comeback-save-status');

  it('writes a campaign to two segments with its audience counted live, and saves it as a draft', async () => {
    await ui.signIn();
    await tab('Campaigns');
    await page.getByText('No campaigns yet.').waitFor();
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByRole('textbox', { name: 'Name (for you)' }).fill('Spring comeback');
    // Everyone first: three customers, two of whom agreed to email.
    await page.locator('[data-testid="audience-size"][data-ready="true"]').waitFor();
    await expect.poll(() => page.getByTestId('audience-customers').textContent()).toBe('3 customers in the audience');
    expect(await page.getByTestId('audience-reachable').textContent()).toBe('2 agreed to marketing on these channels');
    await page
      .locator('fieldset[data-name="tags"]')
      .getByRole('checkbox', { name: /^At risk: later than their usual rhythm \(1 customer\)$/ })
      .check();
    await page
      .locator('fieldset[data-name="tags"]')
      .getByRole('checkbox', { name: /^Inactive: no purchase for long \(1 customer\)$/ })
      .check();
    await expect.poll(() => page.getByTestId('audience-customers').textContent()).toBe('2 customers in the audience');
    await expect.poll(() => page.getByTestId('audience-reachable').textContent()).toBe('1 agreed to marketing on these channels');
    expect(await page.getByTestId('audience-opted-out').textContent()).toBe('1 opted out');
    // Half held out of two who agreed: about one.
    await page.locator('input[name="holdOutPercent"]').fill('50');
    await expect.poll(() => page.getByTestId('audience-held-out').textContent()).toMatch(/^about 1 held out/);
    await page.locator('input[name="holdOutPercent"]').fill('0');

    // An order's shortcode has no order to speak of here: refused as typed.
    const body = page.locator('textarea[name="step.email.body"]');
    await body.fill('Hello [customer_first_name], your order [order_number] misses you.');
    const error = page.locator('.comeback-template', { has: body }).locator('.comeback-template-error');
    await error.first().waitFor();
    expect(await error.first().textContent()).toContain('order_number');
    await body.fill('Hello [customer_first_name], we have new things for spring. [unsubscribe_link]');
    await expect.poll(() => error.count()).toBe(0);
    await page.locator('textarea[name="step.email.subject"]').fill('Spring at [shop_name]');
    // A rate of nothing a minute is refused at its field (the sidecar's words), nothing stored.
    const perMinute = page.locator('input[name="perMinute"]');
    await perMinute.fill('0');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.locator('.comeback-field-error[data-field="perMinute"]').getByText('Enter a whole number from 1 to 10000.').waitFor();
    expect(await perMinute.getAttribute('aria-invalid')).toBe('true');
    expect(await campaigns()).toEqual([]);
    await shot('campaign-field-error');
    await perMinute.fill('60');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await saveStatus().getByText('Saved.').waitFor();
    expect(await page.getByTestId('campaign-status').textContent()).toBe('draft');
    const [draft] = await campaigns();
    expect(draft).toMatchObject({
      name: 'Spring comeback',
      tags: ['at-risk', 'inactive'],
      status: 'draft',
      sendAt: null,
      step: { channels: ['email'], email: { subject: 'Spring at [shop_name]' } },
    });
    await shot('campaign-draft');
  });

  it('schedules it after saying who gets it and when, then shows it in the list', async () => {
    // No time yet: said in the save bar, the focus on the time.
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByTestId('savebar-errors').getByText('Choose when it goes.').waitFor();
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.getAttribute("name")')).toBe('sendAt');
    const at = new Date(Date.now() + 2 * 86_400_000);
    at.setSeconds(0, 0);
    const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.locator('input[name="sendAt"]').fill(local);
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    const question = page.getByRole('alertdialog', { name: 'Schedule the campaign?' });
    await question.waitFor();
    expect(await question.textContent()).toContain('“Spring comeback” goes to 1 customer of at-risk, inactive');
    await shot('campaign-schedule-confirm');
    // Escape: nothing scheduled.
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    expect((await campaigns())[0]).toMatchObject({ status: 'draft' });
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await question.getByRole('button', { name: /^Schedule for / }).click();
    await saveStatus().getByText('Scheduled for').waitFor();
    expect(await page.getByTestId('campaign-status').textContent()).toBe('scheduled');
    const [scheduled] = await campaigns();
    expect(scheduled).toMatchObject({ status: 'scheduled' });
    expect(new Date(scheduled!.sendAt!).getTime()).toBe(at.getTime());
    await shot('campaign-scheduled');

    await page.getByRole('button', { name: 'All campaigns' }).click();
    const row = page.locator(`tr[data-campaign="${scheduled!.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Scheduled');
    // Segments by name, not by their codes ("at-risk").
    expect(await row.textContent()).toContain('At risk, Inactive');
    expect(await row.textContent()).not.toContain('at-risk');
    await shot('campaigns');
  });

  it('cancels the scheduled campaign: it can no longer be changed', async () => {
    const [scheduled] = await campaigns();
    await page.locator(`tr[data-campaign="${scheduled!.id}"]`).getByRole('button', { name: 'Spring comeback' }).click();
    await page.getByRole('button', { name: 'Cancel the campaign' }).click();
    await page.getByRole('alertdialog', { name: 'Cancel the campaign?' }).getByRole('button', { name: 'Cancel the campaign' }).click();
    await saveStatus().getByText('Cancelled: nobody else gets it.').waitFor();
    expect(await page.getByTestId('campaign-status').textContent()).toBe('cancelled');
    expect((await campaigns())[0]!.status).toBe('cancelled');
    expect(await page.getByRole('textbox', { name: 'Name (for you)' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Schedule', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'All campaigns' }).click();
  });

  it('shows what win-back brought against its hold-out, its coupons and revenue by segment', async () => {
    // Win-back at any hour, on: Ola is past her rhythm and gets offer A with a coupon.
    const preset = (await admin('get', '/api/flows/win-back').expect(200)).body;
    await admin('put', '/api/flows/win-back')
      .send({ definition: { ...preset.definition, sendWindow: null }, enabled: true, expectedVersion: preset.version })
      .expect(200);
    const coupon = await waitFor(
      () => ui.row("SELECT code FROM coupons WHERE shop_id = ? AND customer_key = 'ola@example.test'", [shopId]),
      (r) => r !== undefined,
      30_000,
      'offer A’s coupon',
    );
    const sent = await waitFor(
      () =>
        ui.row(
          "SELECT o.sent_at FROM outbox o JOIN enrollments e ON e.id = o.enrollment_id WHERE o.shop_id = ? AND e.flow = 'win-back' AND o.status = 'sent'",
          [shopId],
        ),
      (r) => r !== undefined,
      30_000,
      'offer A to be sent',
    );
    // She comes back and pays with it. WooCommerce writes whole seconds: her payment is a second
    // after the message's, once the clock is there.
    const paidAt = new Date(Math.ceil((sent!.sent_at as Date).getTime() / 1000) * 1000 + 1000);
    await waitFor(
      async () => Date.now(),
      (t) => t > paidAt.getTime(),
      5_000,
      'the second of the payment',
    );
    const now = wooTime(paidAt);
    const template = orders.get(olaOrder)!;
    await shop.create({
      ...template,
      id: 9001,
      number: '9001',
      total: '80.00',
      date_created_gmt: now,
      date_created: now,
      date_paid_gmt: now,
      date_paid: now,
      date_completed_gmt: now,
      date_modified_gmt: now,
      date_modified: now,
      coupon_lines: [{ id: 1, code: String(coupon!.code).toLowerCase(), discount: '8.00', discount_tax: '0.00', meta_data: [] }],
    });
    await waitFor(
      () => ui.row('SELECT order_id FROM coupons WHERE shop_id = ? AND code = ?', [shopId, coupon!.code]),
      (r) => r?.order_id !== null && r?.order_id !== undefined,
      30_000,
      'the coupon to be marked used',
    );

    // The queue names a win-back enrollment by its customer, not by an order.
    await tab('Queue');
    await page.getByRole('button', { name: 'ola@example.test' }).click();
    await page.locator('.comeback-detail').getByText('Customer ola@example.test').waitFor();
    await tab('Reports');
    const winBack = page.locator('[data-testid="by-flow"] tr[data-flow="win-back"]');
    await winBack.waitFor();
    const cells = await winBack.locator('td').allTextContents();
    // Ola and Eva lapsed (Eva unsubscribed, so she entered but got nothing: not messaged); Ola came back.
    expect(cells.slice(0, 3)).toEqual(['Win back lapsed customers', '1', '0']);
    expect(cells[3]).toBe('100.0 %');
    await page.getByTestId('uplift-chart').locator('canvas').waitFor();
    expect(await page.getByTestId('stat-coupons-issued').locator('.comeback-stat__value').textContent()).toBe('1');
    expect(await page.getByTestId('stat-coupons-redeemed').locator('.comeback-stat__value').textContent()).toBe('1');
    expect(await page.getByTestId('stat-coupons-rate').locator('.comeback-stat__value').textContent()).toBe('100.0 %');
    const segments = page.locator('[data-testid="by-segment"] tbody tr');
    await segments.first().waitFor();
    expect(await page.locator('[data-testid="by-segment"]').textContent()).toContain('80.00');
    expect(await page.getByTestId('stat-repurchases').locator('.comeback-stat__value').textContent()).toBe('1');
    // No hold-out in this flow: nothing to compare with, rather than a made-up zero.
    expect(await page.getByTestId('stat-incremental-orders').locator('.comeback-stat__value').textContent()).toBe('—');
    expect(Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'))).toBeLessThanOrEqual(
      0,
    );
    await shot('reports-customers');
    expect(ui.pageErrors).toEqual([]);
  });
});
