import { afterAll, describe, expect, it } from 'vitest';
import { grantConsent } from '../helpers/consent.ts';
import { orderHistory, startUi } from './ui-harness.ts';

/**
 * A campaign's send time is the shop's clock, not the browser's: a shop in Europe/Warsaw (Settings
 * → General → Timezone, read from WordPress's REST index) scheduled from a browser in New York.
 */
describe('a campaign scheduled on the shop’s clock', async () => {
  const { orders, placed } = orderHistory();
  placed('ola@example.test', 20, '25.00');
  const ui = await startUi('ui_campaign_zone', orders, {
    shop: { timezone: { timezoneString: 'Europe/Warsaw', gmtOffset: '1' } },
    timezoneId: 'America/New_York',
  });
  const { page, admin, tab, shot, shopId } = ui;
  afterAll(() => ui.close());
  await grantConsent(ui.pool, shopId, {
    purpose: 'marketing',
    channel: 'email',
    address: 'ola@example.test',
    claimedAt: new Date(Date.now() - 30 * 86_400_000),
  });
  await ui.importHistory();

  it('knows the shop’s zone from WordPress’s REST index, without the plugin', async () => {
    const connection = (await admin('get', '/api/shop/connection').expect(200)).body;
    expect(connection.shop.formats.timeZone).toBe('Europe/Warsaw');
  });

  it('takes 09:00 as 09:00 in Warsaw (08:00Z in winter), says so at the field, and shows 09:00 in the list and when reopened', async () => {
    await ui.signIn();
    await tab('Campaigns');
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByRole('textbox', { name: 'Name (for you)' }).fill('Winter sale');
    await page.locator('textarea[name="step.email.subject"]').fill('Winter at [shop_name]');
    await page.locator('textarea[name="step.email.body"]').fill('Hello [customer_first_name], our winter sale is on. [unsubscribe_link]');
    const sendAt = page.locator('input[name="sendAt"]');
    expect(await page.locator('.components-base-control', { has: sendAt }).textContent()).toContain('Shop time, Europe/Warsaw');
    await sendAt.fill('2027-01-15T09:00');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    const question = page.getByRole('alertdialog', { name: 'Schedule the campaign?' });
    await question.waitFor();
    // The shop's own date format, on its clock (New York would say 3:00 am).
    expect(await question.textContent()).toContain('January 15, 2027 9:00 am');
    await question.getByRole('button', { name: 'Schedule for January 15, 2027 9:00 am' }).click();
    await page.locator('.comeback-save-status').getByText('Scheduled for January 15, 2027 9:00 am.').waitFor();
    const [scheduled] = (await admin('get', '/api/campaigns').expect(200)).body.items as Array<{ id: number; sendAt: string }>;
    expect(scheduled!.sendAt).toBe('2027-01-15T08:00:00.000Z');
    await shot('campaign-shop-time');

    await page.getByRole('button', { name: 'All campaigns' }).click();
    const row = page.locator(`tr[data-campaign="${scheduled!.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('January 15, 2027 9:00 am');
    await row.getByRole('button', { name: 'Winter sale' }).click();
    await expect.poll(() => page.locator('input[name="sendAt"]').inputValue()).toBe('2027-01-15T09:00');
    expect(ui.pageErrors).toEqual([]);
  });
});
