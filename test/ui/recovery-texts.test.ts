import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { orderHistory, startUi } from './ui-harness.ts';

/**
 * The Recovery screen's texts in Chromium against a real sidecar, by the flow editor's own rules
 * (flow-texts.ts): a shortcode without its "]" is flagged as it is typed, not at save, and the
 * palette offers a reminder the coupon shortcodes exactly when the flow editor gave its step a
 * coupon, and refuses them as typed in one without.
 */
describe('the Recovery texts are checked as typed, with the palette of what prints', async () => {
  const ui = await startUi('ui_recovery_texts', orderHistory().orders);
  const { page, tab, admin } = ui;
  afterAll(() => ui.close());

  const text = (p: Page, name: string) => p.locator(`textarea[name="${name}"]`);
  const editorOf = (p: Page, name: string) => p.locator('.comeback-template', { has: text(p, name) });
  const palette = async (p: Page, name: string) =>
    (await editorOf(p, name).locator('.comeback-palette__item').allTextContents()).map((t) => t.trim());
  const errorsOf = (p: Page, name: string) => editorOf(p, name).locator('.comeback-template-error');

  it('flags a shortcode without its ] as it is typed, before any save', async () => {
    await ui.signIn();
    await tab('Recovery');
    const subject = 'reminders.0.subject';
    await text(page, subject).waitFor();
    const before = (await admin('get', '/api/flows/unpaid-order').expect(200)).body.version;
    await text(page, subject).fill('Still to pay: [order_total for your order');
    await errorsOf(page, subject).first().waitFor();
    expect(await errorsOf(page, subject).first().textContent()).toMatch(/Line 1, column 15: \[order_total is missing its closing \]/);
    expect(await text(page, subject).getAttribute('aria-invalid')).toBe('true');
    // Nothing was sent to be refused: the flow is as it was.
    expect((await admin('get', '/api/flows/unpaid-order').expect(200)).body.version).toBe(before);
    await text(page, subject).fill('Still to pay: [order_total] for your order');
    await expect.poll(() => errorsOf(page, subject).count()).toBe(0);
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('offers the coupon shortcodes to the reminder whose step has a coupon, and refuses them as typed in the others', async () => {
    const flow = (await admin('get', '/api/flows/unpaid-order').expect(200)).body;
    const steps = flow.definition.steps.map((s: object, i: number) =>
      i === 0 ? { ...s, coupon: { offer: { type: 'percent', amount: 10 }, expiry: { mode: 'days', days: 7 } } } : s,
    );
    await admin('put', '/api/flows/unpaid-order')
      .send({ definition: { ...flow.definition, steps }, enabled: flow.enabled })
      .expect(200);
    await page.reload();
    await tab('Recovery');
    await text(page, 'reminders.0.onlineBody').waitFor();
    // A reminder added in the form is a new step: no coupon.
    await page.getByRole('button', { name: 'Add a reminder' }).click();
    await text(page, 'reminders.1.onlineBody').waitFor();
    for (const name of ['reminders.0.onlineBody', 'reminders.0.offlineBody']) {
      await expect.poll(() => palette(page, name)).toEqual(expect.arrayContaining(['[coupon_code]', '[coupon_offer]']));
    }
    expect(await palette(page, 'reminders.1.onlineBody')).not.toContain('[coupon_code]');
    expect(await palette(page, 'reminders.1.onlineBody')).not.toContain('[coupon_offer]');

    const second = 'reminders.1.onlineBody';
    await text(page, second).fill('Here is [coupon_code] and [payment_link]');
    await errorsOf(page, second).first().waitFor();
    expect(await errorsOf(page, second).first().textContent()).toContain('this step offers none');
    const first = 'reminders.0.onlineBody';
    await text(page, first).fill('Your code [coupon_code] ([coupon_offer]) for [payment_link]');
    // Nor does the sidecar's preview of it (the same rule) find one.
    await page.locator('.comeback-preview[aria-busy="false"]').waitFor();
    await page.getByTestId('preview-subject').waitFor();
    expect(await errorsOf(page, first).count()).toBe(0);
  });

  it('keeps what was typed while a save was being answered: the reload after it does not wipe newer edits', async () => {
    await page.getByRole('button', { name: 'Discard changes' }).click();
    // The reload after the save answers late, as on a slow connection.
    let held: (() => void) | null = null;
    await page.route('**/api/settings/recovery', async (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      await new Promise<void>((resolve) => (held = resolve));
      await route.continue();
    });
    const subject = 'reminders.0.subject';
    await text(page, subject).fill('Your order is waiting');
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await expect.poll(() => held !== null, { timeout: 10_000 }).toBe(true); // the save answered and its reload began (slow on a loaded machine)
    await text(page, subject).fill('Your order is still waiting');
    held!();
    await page.getByText('Saved.', { exact: false }).first().waitFor();
    await page.unroute('**/api/settings/recovery');
    // The stored subject is the saved one; the field keeps the newer text, still to be saved.
    await expect
      .poll(async () => (await admin('get', '/api/settings/recovery').expect(200)).body.reminders[0].subject)
      .toBe('Your order is waiting');
    await page.waitForTimeout(300);
    expect(await text(page, subject).inputValue()).toBe('Your order is still waiting');
    await page.getByText('Unsaved changes').first().waitFor();
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });
});
