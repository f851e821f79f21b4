import { afterAll, describe, expect, it } from 'vitest';
import { saveShopEmail } from '../../sidecar/src/woo/shop-profile.ts';
import { startUi } from './ui-harness.ts';

/**
 * The sender customers see, on the Connection screen in Chromium against a real sidecar: the
 * global default until the shop's WooCommerce email settings arrive, then the shop's own From
 * and Reply-To with where they came from, the layout's colours, and the SPF/DKIM hint because the
 * shop's domain is not the envelope sender's.
 */
describe('the email sender on the Connection screen', async () => {
  const ui = await startUi('ui_sender', new Map());
  const { page, tab, shot, shopId, pool } = ui;
  afterAll(() => ui.close());
  const panel = page.locator('.comeback-sender');
  const text = (id: string) => panel.getByTestId(id).textContent();
  // The panel reads the sender each time the screen opens.
  const reopen = async () => {
    await tab('Outbox');
    await tab('Connection');
  };

  it('shows the global sender while the shop has set none in WooCommerce', async () => {
    await ui.signIn();
    await tab('Connection');
    await expect.poll(() => text('sender-from')).toBe('Comeback <reminders@localhost>');
    expect(await text('sender-reply-to')).toBe('the From address');
    expect(await text('sender-source')).toContain('Comeback’s default sender');
    expect(await text('sender-envelope')).toBe('reminders@localhost');
    expect(await panel.locator('[data-colour="baseColor"] code').textContent()).toBe('#7f54b3');
    expect(await panel.getByTestId('sender-dmarc').count()).toBe(0);
  });

  it('shows the shop’s own sender from its WooCommerce settings, its colours, and what its DNS needs', async () => {
    // As the plugin's shop profile reports WooCommerce → Settings → Emails (a name with markup stays text).
    await saveShopEmail(
      pool,
      shopId,
      {
        fromName: '<b>Tea</b> & Co',
        fromAddress: 'hello@tea.example.test',
        baseColor: '#1e73be',
        textColor: '#222222',
        headerImage: 'https://tea.example.test/logo.png',
      },
      'plugin',
    );
    await reopen();
    await expect.poll(() => text('sender-from')).toBe('<b>Tea</b> & Co <hello@tea.example.test>');
    expect(await panel.locator('b').count()).toBe(0);
    expect(await text('sender-reply-to')).toBe('hello@tea.example.test');
    expect(await text('sender-source')).toBe('your WooCommerce email settings, read by the Comeback plugin');
    expect(await panel.locator('[data-colour="baseColor"] code').textContent()).toBe('#1e73be');
    expect(await panel.locator('[data-colour="textColor"] code').textContent()).toBe('#222222');
    expect(await panel.getByRole('link', { name: 'https://tea.example.test/logo.png' }).count()).toBe(1);
    expect(await text('sender-dmarc')).toContain('Mail comes From tea.example.test but is sent by localhost');
    await shot('connection-sender');

    // Read over REST instead (a shop without the plugin): the panel says so.
    await saveShopEmail(pool, shopId, { fromAddress: 'hello@tea.example.test' }, 'rest');
    await reopen();
    await expect.poll(() => text('sender-source')).toBe('your WooCommerce email settings, read over the WooCommerce REST API');
    expect(await text('sender-from')).toBe('Fixture Shop <hello@tea.example.test>');
    expect(ui.pageErrors).toEqual([]);
  });

  it('shows and saves the text limits: messages a day and the countries (empty: where the shop sells)', async () => {
    const card = page.locator('.comeback-text-limits');
    await reopen();
    // The stand-in shop sells everywhere (its recorded "Selling location(s)").
    await expect.poll(() => card.getByText('Empty: any country (the shop sells everywhere).', { exact: false }).count()).toBe(1);
    expect(await card.getByLabel('SMS per day at most').inputValue()).toBe('500');
    await card.getByLabel('SMS per day at most').fill('40');
    await card.getByLabel('Countries texts may go to (two-letter codes, e.g. PL, DE)').fill('pl, de');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => card.getByText('Saved.').count()).toBe(1);
    const saved = (await ui.admin('get', '/api/settings/channels').expect(200)).body;
    expect(saved).toMatchObject({ smsPerDay: 40, whatsappPerDay: 500, countries: ['PL', 'DE'] });
    // A code that is no country is refused, saying so, and nothing changes.
    await card.getByLabel('Countries texts may go to (two-letter codes, e.g. PL, DE)').fill('Poland');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => card.locator('.components-notice.is-error').count()).toBe(1);
    expect(await card.locator('.components-notice.is-error').textContent()).toContain('two-letter country code');
    expect((await ui.admin('get', '/api/settings/channels').expect(200)).body.countries).toEqual(['PL', 'DE']);
    await shot('connection-text-limits');
    expect(ui.pageErrors).toEqual([]);
  });
});
