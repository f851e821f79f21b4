import { afterAll, describe, expect, it } from 'vitest';
import { grantConsent, withdrawConsent } from '../helpers/consent.ts';
import { orderHistory, startUi } from './ui-harness.ts';

/**
 * A customer's consent in the Customers screen, in Chromium against a real sidecar: per purpose
 * and channel with its source; the shop's edit needs a reason, never lifts the customer's own
 * withdrawal, and a marketing email grant waits for the customer's confirmation; an import of
 * opt-ins is counted by a dry run that writes nothing, then imported after a confirmation.
 */
describe('consent in the Customers screen', async () => {
  const { orders, placed } = orderHistory();
  placed('ola@example.test', 40, '25.00');
  placed('jan@example.test', 3, '40.00');
  const ui = await startUi('ui_consents', orders);
  const { page, admin, tab, shot, shopId, pool } = ui;
  afterAll(() => ui.close());
  await ui.importHistory();
  await withdrawConsent(pool, shopId, 'email', 'ola@example.test');
  await grantConsent(pool, shopId, { purpose: 'cart', channel: 'email', address: 'jan@example.test' });
  const open = async (email: string) => {
    await page.locator(`tr[data-customer="${email}"]`).getByRole('button', { name: email }).click();
    const detail = page.getByTestId('customer-detail');
    await detail.getByText(email, { exact: true }).first().waitFor();
    return detail;
  };
  const stateOf = (key: string) => page.locator(`tr[data-consent="${key}"] td[data-state]`).getAttribute('data-state');

  it('shows why a customer’s own withdrawal cannot be granted again by the shop', async () => {
    await ui.signIn();
    await tab('Customers');
    const detail = await open('ola@example.test');
    await detail.locator('tr[data-consent="marketing:email"]').waitFor();
    expect(await stateOf('cart:email')).toBe('withdrawn');
    const why = detail.locator('tr[data-consent="cart:email"]').getByTestId('cannot-grant');
    expect(await why.textContent()).toMatch(/^withdrawn by the customer on \d{4}-\d{2}-\d{2}; only the customer can opt in again$/);
    expect(await detail.locator('tr[data-consent="cart:email"]').getByRole('button').count()).toBe(0);
    await shot('customer-consents-withdrawn');
  });

  it('grants and withdraws with a required reason; a marketing email grant waits for the customer’s confirmation', async () => {
    const detail = await open('jan@example.test');
    await detail.locator('tr[data-consent="marketing:email"]').getByRole('button', { name: 'Grant' }).click();
    await page.getByRole('button', { name: 'Save consent' }).click();
    const error = page.locator('.comeback-field-error[data-field="reason"]');
    await error.waitFor();
    expect(await error.textContent()).toBe('Say why you change this customer’s consent.');
    await page.getByRole('textbox', { name: 'Why (kept with the change)' }).fill('asked for the newsletter by phone');
    await page.getByRole('button', { name: 'Save consent' }).click();
    await page
      .locator('.comeback-save-status')
      .getByText('A confirmation email went to jan@example.test: it counts once they confirm.')
      .waitFor();
    await expect.poll(() => stateOf('marketing:email')).toBe('pending');
    // The confirmation email's link opens the running sidecar's page, which asks before it confirms.
    const mail = await ui.row(
      "SELECT body_text FROM outbox WHERE recipient = 'jan@example.test' AND idempotency_key LIKE 'consent-confirm:%'",
    );
    const link = /https?:\/\/[^/\s]+(\/c\/[A-Za-z0-9_.-]+)/.exec(String(mail!.body_text))![1]!;
    const confirmPage = await fetch(`${ui.sidecar.url}${link}`);
    expect(confirmPage.status).toBe(200);
    expect(await confirmPage.text()).toContain('Get offers and news by email from Fixture Shop at jan@example.test?');

    await detail.locator('tr[data-consent="cart:email"]').getByRole('button', { name: 'Withdraw' }).click();
    await page.getByRole('textbox', { name: 'Why (kept with the change)' }).fill('asked to stop by phone');
    await page.getByRole('button', { name: 'Save consent' }).click();
    await page.locator('.comeback-save-status').getByText('Consent saved.').waitFor();
    await expect.poll(() => stateOf('cart:email')).toBe('withdrawn');
    const view = (await admin('get', '/api/consents?email=jan@example.test').expect(200)).body;
    expect(view.history[0]).toMatchObject({ purpose: 'cart', state: 'withdrawn', source: 'admin', reason: 'asked to stop by phone' });
    await shot('customer-consents-edit');
  });

  it('counts an import in a dry run that writes nothing, then imports it after a confirmation', async () => {
    const csv = [
      'email,channel,purpose,date,source',
      'eva@example.test,email,marketing,2024-03-05,newsletter form',
      'ola@example.test,email,marketing,2024-03-05,old list',
      'nobody,email,marketing,2024-03-05,old list',
    ].join('\n');
    await page.getByRole('textbox', { name: /^CSV with the columns/ }).fill(csv);
    await page.getByRole('button', { name: 'Check (nothing is written)' }).click();
    const counts = page.getByTestId('import-counts');
    await counts.waitFor();
    expect(await counts.textContent()).toContain(
      'Would grant 1; already granted 0; refused because the customer withdrew 1; invalid rows 1.Line 4: no valid email address',
    );
    expect((await ui.row("SELECT COUNT(*) AS n FROM consent_log WHERE address = 'eva@example.test'"))!.n).toBe(0);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Import these opt-ins?' });
    await dialog.getByRole('button', { name: 'Import 1 opt-ins' }).click();
    await page
      .locator('.comeback-import-status')
      .getByText(/^Imported: 1 opt-ins granted, 0 already there \(batch [0-9a-f-]{36}\)\.$/)
      .waitFor();
    expect(await ui.row("SELECT status, source FROM consents WHERE address = 'eva@example.test' AND purpose = 'marketing'")).toMatchObject({
      status: 'granted',
      source: 'import',
    });
    expect(ui.pageErrors).toEqual([]);
    await shot('consent-import');
  });

  it('switches double opt-in for marketing email off and on, saved at once', async () => {
    const box = page.getByRole('checkbox', { name: /double opt-in/ });
    expect(await box.isChecked()).toBe(true);
    await box.click();
    await page.locator('.comeback-consent-settings-status').getByText('Saved: a marketing email opt-in counts at once.').waitFor();
    expect((await admin('get', '/api/consents/settings').expect(200)).body).toEqual({ doubleOptIn: false });
    // Off: the shop's marketing email grant counts at once.
    const granted = await admin('post', '/api/consents')
      .send({
        changes: [
          {
            purpose: 'marketing',
            channel: 'email',
            address: 'jan@example.test',
            granted: true,
            source: 'admin',
            reason: 'confirmed by phone',
          },
        ],
      })
      .expect(200);
    expect(granted.body.results).toEqual([{ outcome: 'recorded' }]);
    await box.click();
    await expect.poll(async () => (await admin('get', '/api/consents/settings').expect(200)).body.doubleOptIn).toBe(true);
  });
});
