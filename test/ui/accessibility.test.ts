import { afterAll, describe, expect, it } from 'vitest';
import { unpaidOrdersFromAnHourAgo } from '../fakes/fake-woo-shop.ts';
import { axeViolations } from './axe.ts';
import { startUi } from './ui-harness.ts';

/**
 * Every screen of the admin, as a merchant opens it, checked with axe-core in Chromium (WCAG 2.x
 * A and AA rules): no serious or critical violation anywhere. A failure names the rule, the
 * element and why, so the fix is where the message says.
 */
describe('the admin UI is accessible (axe-core)', async () => {
  const ui = await startUi('ui_axe', unpaidOrdersFromAnHourAgo().orders);
  const { page } = ui;
  afterAll(() => ui.close());

  const violations = () => axeViolations(page);

  const screens = [
    'Flows',
    'Recovery',
    'Customers',
    'Segments',
    'Win-back',
    'Loyalty',
    'Campaigns',
    'Queue',
    'Outbox',
    'Reports',
    'Connection',
  ];

  it('signs in', async () => {
    await ui.signIn();
    await page.getByRole('tab', { name: 'Flows', selected: true }).waitFor();
  });

  for (const screen of screens) {
    it(`has no serious or critical violation on ${screen}`, async () => {
      await ui.tab(screen);
      await page.getByRole('tab', { name: screen, selected: true }).waitFor();
      // Let the screen load its data (no spinner left).
      await expect.poll(() => page.locator('.comeback-loading').count(), { timeout: 15_000 }).toBe(0);
      expect(await violations()).toEqual([]);
    });
  }

  it('has no serious or critical violation in the flow editor', async () => {
    await ui.tab('Flows');
    await page.getByRole('button', { name: 'Abandoned cart', exact: true }).click();
    await page.getByRole('button', { name: 'All flows' }).waitFor();
    await expect.poll(() => page.locator('.comeback-loading').count(), { timeout: 15_000 }).toBe(0);
    expect(await violations()).toEqual([]);
  });

  it('has no serious or critical violation on a step’s language tab, marked for its missing texts', async () => {
    const step = page.locator('#comeback-step-0');
    // A language the presets do not ship (they ship Polish): added, it has no text yet, so it is marked.
    await step.getByRole('combobox', { name: 'Add a language' }).selectOption('de_DE');
    await step.getByRole('button', { name: 'Add', exact: true }).click();
    await step.getByRole('tab', { name: /^German \(de_DE\).*missing texts/, selected: true }).waitFor();
    expect(await violations()).toEqual([]);
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });
});
