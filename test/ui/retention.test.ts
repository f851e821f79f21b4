import { afterAll, describe, expect, it } from 'vitest';
import { loadRetention, RETENTION_DEFAULTS } from '../../sidecar/src/privacy/retention-settings.ts';
import { startUi } from './ui-harness.ts';

/**
 * What personal data is kept and for how long, on the Connection screen in Chromium against a real
 * sidecar: the shop's periods shown with what happens after each, edited and saved with the shared
 * save bar, a period out of range refused at its field in plain words.
 */
describe('retention on the Connection screen', async () => {
  const ui = await startUi('ui_retention', new Map());
  const { page, tab, shot, shopId, pool } = ui;
  afterAll(() => ui.close());
  const card = page.locator('.comeback-retention');
  const field = (name: string) => card.locator(`input[name="${name}"]`);

  it('shows each period, refuses one out of range at its field, and saves the merchant’s', async () => {
    await ui.signIn();
    await tab('Connection');
    await expect.poll(() => field('webhookBodiesDays').inputValue()).toBe('30');
    expect(await field('inboundMessagesDays').inputValue()).toBe('365');
    expect(await card.getByTestId('retention').textContent()).toContain(
      'Then emptied; who, when and what happened are kept for the reports.',
    );

    await field('webhookBodiesDays').fill('0');
    await field('messageBodiesDays').fill('45');
    await card.getByRole('button', { name: 'Save how long data is kept' }).click();
    await expect
      .poll(() => card.getByTestId('savebar-errors').textContent())
      .toContain('Keep order updates received from the shop at least 1 day.');
    expect(await field('webhookBodiesDays').getAttribute('aria-invalid')).toBe('true');
    expect(await loadRetention(pool, shopId)).toEqual(RETENTION_DEFAULTS);
    await shot('connection-retention-refused');

    await field('webhookBodiesDays').fill('14');
    await card.getByRole('button', { name: 'Save how long data is kept' }).click();
    await expect.poll(() => loadRetention(pool, shopId)).toEqual({ ...RETENTION_DEFAULTS, webhookBodiesDays: 14, messageBodiesDays: 45 });
    await expect.poll(() => card.textContent()).toContain('Saved. Older data is pruned at the next daily run.');
    expect(await card.getByTestId('savebar-errors').count()).toBe(0);
    expect(ui.pageErrors).toEqual([]);
  });
});
