import type { Locator } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { orderHistory, startUi } from './ui-harness.ts';

/**
 * Number fields in Chromium against a real sidecar: a number out of its range is kept as typed
 * (never snapped to the nearest allowed one), said at the field in the sidecar's own words, marked
 * invalid for a screen reader, and the save refused with the focus on it while it stays wrong.
 */
describe('a number out of range is refused at its field, as typed', async () => {
  const ui = await startUi('ui_numbers', orderHistory().orders);
  const { page, tab, admin } = ui;
  afterAll(() => ui.close());

  const focused = () => page.evaluate('document.activeElement && document.activeElement.getAttribute("name")');
  /** The field's own error, as a screen reader reaches it: through its aria-describedby. */
  const described = async (input: Locator) => {
    const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
    return (await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()))).join(' ');
  };
  const expectRefused = async (input: Locator, typed: string, message: string) => {
    await input.fill(typed);
    await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.inputValue()).toBe(typed);
    expect(await described(input)).toContain(message);
  };

  it('keeps Recovery’s keep-open hours as typed and refuses to save them out of 1 to 720', async () => {
    await ui.signIn();
    await tab('Recovery');
    const grace = page.locator('input[name="linkGraceHours"]');
    await grace.waitFor();
    expect(await grace.inputValue()).toBe('48');
    for (const typed of ['1000', '0', '1.5', '']) await expectRefused(grace, typed, 'Enter a whole number from 1 to 720.');
    await grace.fill('1000');
    await page.evaluate('document.activeElement.blur()');
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await page.locator('.comeback-save-status').getByText('Nothing was saved').waitFor();
    await expect.poll(focused).toBe('linkGraceHours');
    expect(await page.getByTestId('savebar-errors').textContent()).toContain('Enter a whole number from 1 to 720.');
    expect((await admin('get', '/api/settings/recovery').expect(200)).body.linkGraceHours).toBe(48);

    await grace.fill('72');
    await expect.poll(() => grace.getAttribute('aria-invalid')).toBeNull();
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await page.locator('.comeback-save-status').getByText('Saved.').waitFor();
    expect((await admin('get', '/api/settings/recovery').expect(200)).body.linkGraceHours).toBe(72);
  });

  it('keeps win-back’s days and pace as typed, and the sidecar refuses them in the same words', async () => {
    await tab('Win-back');
    const days = page.locator('input[name="steps.1.delay.value"]');
    await days.waitFor();
    await expectRefused(days, '2.5', 'Enter a whole number from 0 to 10000.');
    await days.fill('30');
    const minDays = page.locator('input[name="trigger.minDays"]');
    await expectRefused(minDays, '0', 'Enter a whole number from 1 to 3650.');
    const pace = page.locator('input[name="trigger.perMinute"]');
    await expectRefused(pace, '0.5', 'Enter a whole number from 1 to 10000.');
    // Empty is "no limit": fine.
    await pace.fill('');
    await expect.poll(() => pace.getAttribute('aria-invalid')).toBeNull();
    await pace.fill('0.5');
    await page.getByRole('button', { name: 'Save win-back' }).click();
    await page
      .locator('.comeback-save-status')
      .getByText(/problems? stops? this flow from being saved/)
      .waitFor();
    await expect.poll(focused).toBe('trigger.minDays');
    expect(await minDays.inputValue()).toBe('0');
    expect(await pace.inputValue()).toBe('0.5');
    // Said once at each field: the sidecar's refusal and the field's own are the same words.
    expect(await page.locator('.comeback-field-error', { hasText: 'Enter a whole number from 1 to 3650.' }).count()).toBe(1);
    expect((await admin('get', '/api/flows/win-back').expect(200)).body.version).toBe(0);
  });

  it('keeps a campaign’s pace as typed and refuses to save it', async () => {
    await tab('Campaigns');
    // Leaving win-back's edits behind asks first.
    const discard = page.getByRole('button', { name: 'Discard changes and leave' });
    if (await discard.isVisible().catch(() => false)) await discard.click();
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByRole('textbox', { name: 'Name (for you)' }).fill('Spring');
    const pace = page.locator('input[name="perMinute"]');
    await expectRefused(pace, '0.5', 'Enter a whole number from 1 to 10000.');
    await page.evaluate('document.activeElement.blur()');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page
      .locator('.comeback-save-status')
      .getByText(/Not saved: 1 problem/)
      .waitFor();
    await expect.poll(focused).toBe('perMinute');
    expect(await pace.inputValue()).toBe('0.5');
    expect((await admin('get', '/api/campaigns').expect(200)).body.items).toEqual([]);
  });
});
