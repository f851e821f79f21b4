import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { orderHistory, startUi } from './ui-harness.ts';

/**
 * The text editor in Chromium against a real sidecar: its palette offers only the shortcodes that
 * print something in the text (by the flow's trigger and the step's coupon), and a tag typed
 * without its "]" or one that would print nothing is refused as it is typed, with where and why.
 */
describe('the editor offers and accepts only what prints', async () => {
  const ui = await startUi('ui_palette', orderHistory().orders);
  const { page, tab } = ui;
  afterAll(() => ui.close());

  const text = (p: Page, name: string) => p.locator(`textarea[name="${name}"]`);
  const editorOf = (p: Page, name: string) => p.locator('.comeback-template', { has: text(p, name) });
  const palette = async (p: Page, name: string) =>
    (await editorOf(p, name).locator('.comeback-palette__item').allTextContents()).map((t) => t.trim());
  const errorsOf = (p: Page, name: string): Locator => editorOf(p, name).locator('.comeback-template-error');
  const openFlow = async (key: string, name: string) => {
    await tab('Flows');
    const back = page.getByRole('button', { name: '← All flows' });
    if (await back.isVisible()) await back.click();
    await page.locator(`tr[data-flow="${key}"]`).getByRole('button', { name, exact: true }).click();
    await text(page, 'steps.0.email.body').waitFor();
  };

  it('offers a voucher notice the voucher and the balance, and not the survey it is not about', async () => {
    await ui.signIn();
    await openFlow('voucher-issued', 'Voucher issued');
    const offered = await palette(page, 'steps.0.email.body');
    expect(offered).toEqual(expect.arrayContaining(['[voucher_code]', '[voucher_value]', '[points_balance]', '[customer_first_name]']));
    expect(offered).not.toContain('[nps_link]');
    expect(offered).not.toContain('[coupon_code]');
    expect(offered).not.toContain('[order_total]');
  });

  it('offers an unpaid reminder no coupon until its step has one, and never a tracking number', async () => {
    await openFlow('unpaid-order', 'Unpaid order reminder');
    const body = 'steps.0.email.body';
    const offered = await palette(page, body);
    expect(offered).toContain('[payment_link]');
    expect(offered).toContain('[order_total]');
    for (const name of ['[coupon_code]', '[coupon_value]', '[tracking_number]', '[tracking_link]', '[points_balance]']) {
      expect(offered).not.toContain(name);
    }
    expect(await palette(page, 'steps.0.email.offlineBody')).not.toContain('[tracking_number]');

    const coupon = page.getByRole('checkbox', { name: 'Give a personal coupon with the message of step 1' });
    await coupon.check();
    await expect.poll(() => palette(page, body)).toContain('[coupon_code]');
    await coupon.uncheck();
    await expect.poll(() => palette(page, body)).not.toContain('[coupon_code]');

    // Typed anyway: refused where it stands, saying why.
    await text(page, body).fill('Hello [customer_first_name],\nyour code: [coupon_code]\n[payment_link]');
    await errorsOf(page, body).first().waitFor();
    expect(await errorsOf(page, body).first().textContent()).toMatch(/Line 2, column 12:.*this step offers none/);
  });

  it('says a tag misses its ] at its line and column as it is typed, not a misleading value error', async () => {
    const body = 'steps.0.email.body';
    await text(page, body).fill('Hello [customer_first_name, welcome back\n[payment_link]');
    await expect
      .poll(() => errorsOf(page, body).allTextContents())
      .toEqual([expect.stringMatching(/Line 1, column 7:.*missing its closing \]/)]);

    await text(page, body).fill('You ordered:\n[order_items\nTotal: [order_total]\n[payment_link]');
    await expect
      .poll(() => errorsOf(page, body).allTextContents())
      .toEqual([expect.stringMatching(/Line 2, column 1:.*\[order_items is missing its closing \]/)]);

    // "Show" selects what there is of the tag.
    await errorsOf(page, body).getByRole('button', { name: 'Show' }).click();
    const selected = await text(page, body).evaluate((el) => {
      const area = el as unknown as { value: string; selectionStart: number; selectionEnd: number };
      return area.value.slice(area.selectionStart, area.selectionEnd);
    });
    expect(selected).toBe('[order_items');

    await text(page, 'steps.0.email.offlineBody').fill('Please transfer [order_total');
    const offline = errorsOf(page, 'steps.0.email.offlineBody');
    await expect.poll(() => offline.allTextContents()).toEqual([expect.stringMatching(/Line 1, column 17:.*missing its closing \]/)]);
    await ui.shot('editor-unclosed');
  });

  it('offers a campaign none of the loyalty program’s shortcodes, and refuses one typed anyway', async () => {
    // A page of its own: the flow left with unsaved changes stays where it is.
    const campaign = await ui.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await campaign.goto(`${ui.sidecar.url}/admin/#token=admin-token-for-ui_palette-tests-0123456789`);
      await campaign.getByRole('tab', { name: 'Campaigns', exact: true }).click();
      await campaign.getByRole('button', { name: 'New campaign' }).click();
      const body = 'step.email.body';
      await text(campaign, body).waitFor();
      const offered = await palette(campaign, body);
      expect(offered).toEqual(expect.arrayContaining(['[customer_first_name]', '[shop_name]', '[unsubscribe_link]']));
      for (const name of [
        '[points_balance]',
        '[cashback_balance]',
        '[portal_link]',
        '[voucher_code]',
        '[voucher_value]',
        '[nps_link]',
        '[coupon_code]',
      ]) {
        expect(offered).not.toContain(name);
      }
      await text(campaign, body).fill('Hello [customer_first_name], you have [points_balance] points.');
      await expect
        .poll(() => errorsOf(campaign, body).allTextContents())
        .toEqual([expect.stringMatching(/Line 1, column 39:.*loyalty event.*in a campaign or a win-back message it would print nothing/)]);
    } finally {
      await campaign.close();
    }
  });
});
