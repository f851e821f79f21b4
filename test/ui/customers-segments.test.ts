import { afterAll, describe, expect, it } from 'vitest';
import { orderHistory, startUi } from './ui-harness.ts';

/**
 * Customers and segments in Chromium against a real sidecar: the order history imported from
 * the stand-in shop over REST from the Customers tab, the segments it gives, a segment opened as
 * a filtered customer list, a manual tag saved, and the segment rules saved (and refused).
 */
describe('customers and segments in the admin UI', async () => {
  const { orders, placed } = orderHistory();
  // Ola buys every 20 days, last 50 days ago: at risk (50 > 20 × 1.5). Jan bought once, 3 days
  // ago, the most: new, recent buyer and VIP. Eva's last order was 200 days ago: inactive.
  for (const d of [110, 90, 70, 50]) placed('ola@example.test', d, '25.00');
  placed('jan@example.test', 3, '400.00');
  placed('eva@example.test', 300, '30.00');
  placed('eva@example.test', 200, '30.00');
  const ui = await startUi('ui_customers', orders);
  const { page, admin, tab, shot } = ui;
  afterAll(() => ui.close());
  const customerRow = (email: string) => page.locator(`tr[data-customer="${email}"]`);
  const listed = () => page.locator('tr[data-customer]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-customer')));

  it('imports the order history from the Customers tab, with its progress, and lists the customers it built', async () => {
    await ui.signIn();
    await tab('Customers');
    const status = page.getByTestId('import-status');
    await expect.poll(() => status.getAttribute('data-status')).toBe('none');
    await page.getByRole('button', { name: 'Import the order history' }).click();
    await page.locator('[data-testid="import-status"][data-status="done"]').waitFor({ timeout: 30_000 });
    expect(await status.textContent()).toContain('7 orders imported');
    // The list follows the finished import without a reload.
    await customerRow('ola@example.test').waitFor();
    expect(await listed()).toEqual(['jan@example.test', 'ola@example.test', 'eva@example.test']);
    expect(await customerRow('ola@example.test').locator('td').nth(1).textContent()).toBe('4');
    // The shop's own format (the stand-in shop's: USD, symbol left).
    expect(await customerRow('ola@example.test').locator('td').nth(2).textContent()).toBe('$100.00');
    expect(await customerRow('jan@example.test').locator('.comeback-tag').allTextContents()).toEqual(['New', 'Recent buyer', 'VIP']);
    expect(await page.getByRole('button', { name: 'Start again' }).isVisible()).toBe(true);
    await shot('customers');
    // Reading everything again is asked first; "Cancel" starts nothing.
    await page.getByRole('button', { name: 'Start again' }).click();
    const again = page.getByRole('alertdialog', { name: 'Import the whole order history again?' });
    await again.getByRole('button', { name: 'Import everything again' }).waitFor();
    await again.getByRole('button', { name: 'Cancel' }).click();
    await again.waitFor({ state: 'detached' });
    // Not started again: the import the sidecar keeps is still the finished one.
    expect((await ui.admin('get', '/api/customers/import').expect(200)).body.status).toBe('done');
  });

  it('shows the live count of every segment, and opens a segment as the customers in it', async () => {
    await tab('Segments');
    const count = (tag: string) => page.getByTestId(`count-${tag}`).textContent();
    await page.getByTestId('count-at-risk').waitFor();
    expect({
      new: await count('new'),
      recent: await count('recent-buyer'),
      atRisk: await count('at-risk'),
      inactive: await count('inactive'),
      vip: await count('vip'),
    }).toEqual({ new: '1', recent: '1', atRisk: '1', inactive: '1', vip: '1' });
    await shot('segments');

    // Segments by name: the code ("at-risk") stays in the data.
    await page.getByRole('button', { name: 'Show the customers in At risk' }).click();
    await page.getByRole('tab', { name: 'Customers', selected: true }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Segment' }).inputValue()).toBe('at-risk');
    await expect.poll(listed).toEqual(['ola@example.test']);
    expect(await page.getByTestId('customers-total').textContent()).toBe('1 customer');
  });

  it('saves a manual tag on a customer, and refuses a computed name next to the field', async () => {
    await customerRow('ola@example.test').getByRole('button', { name: 'ola@example.test' }).click();
    const detail = page.getByTestId('customer-detail');
    await detail.getByText('20 days on average').waitFor();
    const tags = detail.getByRole('textbox', { name: 'Tags, separated by commas' });

    await tags.fill('wholesale, vip');
    await detail.getByRole('button', { name: 'Save tags' }).click();
    const error = detail.locator('.comeback-field-error');
    await error.first().waitFor();
    expect(await error.first().textContent()).toMatch(/^“vip”: computed from orders: manual tags may not be named/);
    expect(await tags.getAttribute('aria-invalid')).toBe('true');
    expect((await admin('get', '/api/customers?tag=wholesale').expect(200)).body.total).toBe(0);
    await shot('customer-tag-refused');

    await tags.fill('Wholesale, newsletter 2027');
    await expect.poll(() => error.count()).toBe(0);
    await detail.getByRole('button', { name: 'Save tags' }).click();
    await detail.getByText('Tags saved.').waitFor();
    // Stored as the sidecar writes tags (lower case), shown in the list at once.
    expect(await tags.inputValue()).toBe('newsletter 2027, wholesale');
    expect(await customerRow('ola@example.test').locator('.comeback-tag').allTextContents()).toEqual([
      'At risk',
      'newsletter 2027',
      'wholesale',
    ]);
    const stored = (await admin('get', '/api/customers?tag=wholesale').expect(200)).body;
    expect(stored).toMatchObject({ total: 1, items: [{ email: 'ola@example.test', tags: ['at-risk', 'newsletter 2027', 'wholesale'] }] });

    // The new tag is a segment of its own, offered in the filter.
    await page.getByRole('combobox', { name: 'Segment' }).selectOption('wholesale');
    await expect.poll(listed).toEqual(['ola@example.test']);
    await shot('customer-detail');
  });

  it('keeps a wrong number as typed and refuses it at its field, guards the rules on a tab switch, saves them from the sticky bar', async () => {
    await tab('Segments');
    const factor = page.locator('input[name="atRiskFactor"]');
    await factor.waitFor();
    expect(await factor.inputValue()).toBe('1.5');
    const bar = page.locator('.comeback-segment-rules .comeback-savebar');
    const save = bar.getByRole('button', { name: 'Save rules' });
    // Nothing edited: nothing to save.
    expect(await save.isDisabled()).toBe(true);
    // Wrong numbers stay as typed, flagged at once in the words the sidecar refuses them with.
    await factor.fill('0.5');
    const error = page.locator('.comeback-field-error[data-field="atRiskFactor"]');
    await error.waitFor();
    expect(await error.textContent()).toBe('Enter a number from 1 to 10.');
    expect(await factor.getAttribute('aria-invalid')).toBe('true');
    const inactive = page.locator('input[name="inactiveDays"]');
    await inactive.fill('12.5');
    expect(await page.locator('.comeback-field-error[data-field="inactiveDays"]').textContent()).toBe(
      'Enter a whole number from 1 to 3650.',
    );
    await bar.getByText('Unsaved changes').waitFor();
    await save.click();
    await bar.getByText('Some numbers cannot be saved; each is shown at its field. Nothing was saved.').waitFor();
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.getAttribute("name")')).toBe('atRiskFactor');
    expect(await factor.inputValue()).toBe('0.5');
    expect(await inactive.inputValue()).toBe('12.5');
    expect((await admin('get', '/api/settings/segments').expect(200)).body).toMatchObject({ atRiskFactor: 1.5, inactiveDays: 180 });
    await shot('segment-rules-error');

    // Another tab while the rules are unsaved: asked first; "Keep editing" stays with them as typed.
    await tab('Customers');
    const leaving = page.getByRole('alertdialog', { name: 'Leave without saving?' });
    await leaving.getByRole('button', { name: 'Keep editing' }).click();
    await leaving.waitFor({ state: 'detached' });
    expect(await factor.inputValue()).toBe('0.5');

    // Inactive after 40 days: Ola (50 days) is no longer at risk but inactive.
    await factor.fill('1.5');
    await expect.poll(() => error.count()).toBe(0);
    await inactive.fill('40');
    await save.click();
    await bar.getByText('Saved; the segments were recomputed with these rules.').waitFor();
    expect((await admin('get', '/api/settings/segments').expect(200)).body).toMatchObject({ atRiskFactor: 1.5, inactiveDays: 40 });
    await expect.poll(() => page.getByTestId('count-inactive').textContent()).toBe('2');
    expect(await page.getByTestId('count-at-risk').textContent()).toBe('0');
    // Saved: another tab goes without a question.
    expect(await bar.getByText('Unsaved changes').count()).toBe(0);
    await tab('Customers');
    await customerRow('ola@example.test').waitFor();
    expect(await leaving.count()).toBe(0);
    await tab('Segments');

    await page.getByRole('button', { name: 'Recompute now' }).click();
    await page.locator('.comeback-save-status').getByText('Recomputed from the orders of 3 customers.').waitFor();
    expect(await page.getByTestId('count-wholesale').textContent()).toBe('1');
    await shot('segment-rules');
  });

  it('adds a segment of the merchant’s own rules, refusing a built-in name at its field', async () => {
    await page.getByRole('button', { name: 'Add a segment of your own' }).click();
    const tag = page.locator('input[name="custom.0.tag"]');
    await tag.fill('vip');
    await page.locator('input[name="custom.0.minSpent"]').fill('100');
    await page.getByRole('button', { name: 'Save rules' }).click();
    const error = page.locator('.comeback-field-error[data-field="custom.0.tag"]');
    await error.waitFor();
    expect(await error.textContent()).toBe('that name is one of the built-in segments');
    expect(await tag.getAttribute('aria-invalid')).toBe('true');

    // Spent 100 or more: Ola (100) and Jan (400).
    await tag.fill('big spenders');
    await expect.poll(() => error.count()).toBe(0);
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.locator('.comeback-save-status').getByText('Saved; the segments were recomputed with these rules.').waitFor();
    expect((await admin('get', '/api/settings/segments').expect(200)).body.custom).toEqual([{ tag: 'big spenders', minSpent: 100 }]);
    await expect.poll(() => page.getByTestId('count-big spenders').textContent()).toBe('2');
    expect(await page.locator('tr[data-segment="big spenders"] td').nth(1).textContent()).toBe('your rules');
    await shot('segment-custom');
  });

  it('fits a tablet’s width', async () => {
    await page.setViewportSize({ width: 800, height: 1000 });
    const overflow = async () => Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    await tab('Customers');
    await customerRow('ola@example.test').waitFor();
    await customerRow('ola@example.test').getByRole('button', { name: 'ola@example.test' }).click();
    const detail = page.getByTestId('customer-detail');
    await detail.waitFor();
    // A rule-based segment is the orders' doing, not one of her manual tags.
    expect(await detail.getByRole('textbox', { name: 'Tags, separated by commas' }).inputValue()).toBe('newsletter 2027, wholesale');
    expect(await detail.getByRole('listitem').allTextContents()).toEqual(['big spenders', 'Inactive: no purchase for long']);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot('customers-tablet');
    await tab('Segments');
    await page.getByTestId('count-vip').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(ui.pageErrors).toEqual([]);
  });
});
