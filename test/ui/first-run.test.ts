import { afterAll, describe, expect, it } from 'vitest';
import { unpaidOrdersFromAnHourAgo } from '../fakes/fake-woo-shop.ts';
import { addTestRecipient, verifyTestRecipient } from '../../sidecar/src/flows/admin/test-recipient-store.ts';
import { waitFor } from '../helpers/processes.ts';
import { startUi } from './ui-harness.ts';

/**
 * A merchant's first visit: the checklist above the screens says what to do before the first
 * reminder goes out, sends them where each thing is done, ticks what the shop shows by itself, and
 * is gone once everything is done. The screenshot is kept in test/output/screenshots/.
 */
describe('the first-run checklist in Chromium', async () => {
  const ui = await startUi('ui_first_run', unpaidOrdersFromAnHourAgo().orders);
  const { page } = ui;
  afterAll(() => ui.close());
  const checklist = page.getByRole('region', { name: 'Before your first reminder goes out' });
  const item = (key: string) => checklist.locator(`li[data-item="${key}"]`);

  it('greets a new shop with the checklist, the connection already done', async () => {
    await ui.signIn();
    await checklist.waitFor();
    await expect.poll(() => checklist.getByText('1 of 5 done').isVisible()).toBe(true);
    expect(await item('connect').getAttribute('class')).toBe('is-done');
    expect(await item('sender').getAttribute('class')).toBe('is-next');
    await ui.shot('first-run-checklist');
  });

  it('ticks the sender by hand and sends the merchant to the reminder', async () => {
    await item('sender').getByRole('button', { name: 'The sender is right' }).click();
    await expect.poll(() => checklist.getByText('2 of 5 done').isVisible()).toBe(true);
    await item('reminder').getByRole('button', { name: 'Open Recovery' }).click();
    await page.getByRole('tab', { name: 'Recovery', selected: true }).waitFor();
    await item('reminder').getByRole('button', { name: 'I have read it' }).click();
    await expect.poll(() => checklist.getByText('3 of 5 done').isVisible()).toBe(true);
  });

  it('ticks the test once it was sent, and goes away when reminders are on', async () => {
    // Confirmed under Test recipients (test/ui/previews.test.ts clicks through that): the field offers it.
    await verifyTestRecipient(
      ui.pool,
      ui.shopId,
      (await addTestRecipient(ui.pool, ui.shopId, 'email', 'owner@example.test')).id,
      new Date(),
    );
    await ui.tab('Outbox');
    await ui.tab('Recovery');
    await page.getByLabel('Send a test to').selectOption('owner@example.test');
    await page.getByRole('button', { name: 'Send me a test', exact: true }).click();
    await waitFor(
      () => ui.row("SELECT status FROM outbox WHERE shop_id = ? AND idempotency_key LIKE 'test:%'", [ui.shopId]),
      (r) => r?.status === 'sent',
      20_000,
      'the test to be sent',
    );
    // Moving between screens reads the checklist again.
    await ui.tab('Outbox');
    await ui.tab('Recovery');
    await expect.poll(() => checklist.getByText('4 of 5 done').isVisible()).toBe(true);
    await page.getByRole('checkbox', { name: 'Recover unpaid orders' }).check();
    await page.locator('.comeback-save-status').getByText('Saved. Unpaid orders are being recovered.').waitFor();
    await ui.tab('Flows');
    await expect.poll(() => checklist.count()).toBe(0);
    expect(ui.pageErrors).toEqual([]);
  });
});
