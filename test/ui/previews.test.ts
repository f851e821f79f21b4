import { afterAll, describe, expect, it } from 'vitest';
import { countSms } from '../../sidecar/src/messages/sms-segments.ts';
import { waitFor } from '../helpers/processes.ts';
import { orderHistory, startUi } from './ui-harness.ts';

/**
 * Previews and test sends in Chromium against a real sidecar: a win-back offer's SMS in a phone
 * frame, counted after its shortcodes were filled (no test text before a number is confirmed); a test
 * recipient added on the Connection screen and confirmed from its inbox, a number by its texted code,
 * and the SMS test sent to it; a campaign's email as typed, shown for a customer of the shop, and
 * sent as a test to the confirmed address.
 */
describe('previews and test sends in the admin UI', async () => {
  const { orders, placed } = orderHistory();
  for (const d of [90, 60]) placed('nora@example.test', d, '55.00');
  const ui = await startUi('ui_previews', orders);
  const { page, tab, shot, row } = ui;
  afterAll(() => ui.close());
  await ui.importHistory();

  it('counts the win-back SMS in the step editor after its shortcodes are filled, as its preview shows it, and again as it is typed', async () => {
    await ui.signIn();
    await tab('Win-back');
    const offerA = page.locator('[data-offer="A"]');
    await offerA.getByRole('button', { name: /^Edit the texts of Offer A/ }).click();
    const sms = offerA.locator('textarea[name="steps.0.sms.body"]');
    const counter = offerA
      .locator('.comeback-template', { has: page.locator('textarea[name="steps.0.sms.body"]') })
      .getByTestId('sms-count');
    const typed = (await sms.inputValue()).length;
    // Before filling, the preset's SMS looks like two; filled in (for the sample: no customer of this shop has lapsed yet) it is one.
    expect(typed).toBeGreaterThan(160);
    await offerA.getByRole('button', { name: 'Preview and test Offer A' }).click();
    const preview = offerA.getByTestId('preview-0');
    await preview.getByRole('button', { name: 'SMS', exact: true }).click();
    await expect.poll(() => preview.getByTestId('preview-text').textContent()).toContain('CB-PREVIEW');
    const shown = (await preview.getByTestId('preview-count').textContent())!;
    const about = (await preview.getByTestId('preview-about').textContent())!;
    expect(about).toContain('sample');
    await expect.poll(() => counter.getAttribute('data-filled')).toBe('true');
    expect(await counter.textContent()).toBe(`${shown} after filling in for a sample (made up).`);
    const filled = countSms((await preview.getByTestId('preview-text').textContent())!);
    expect(shown).toBe(`${filled.characters} characters · ${filled.segments} SMS (GSM-7)`);
    expect(filled.characters).toBeLessThan(typed);
    await shot('sms-count-filled');

    // As the merchant types, the text as typed is counted until the sidecar has filled the new one.
    await sms.fill('[shop_name]: [coupon_code] is yours. Reply STOP to opt out.');
    expect(await counter.textContent()).toContain('59 characters as typed, before the shortcodes are filled in');
    await expect.poll(() => counter.getAttribute('data-filled')).toBe('true');
    await expect
      .poll(() => preview.getByTestId('preview-text').textContent())
      .toMatch(/^Fixture Shop: CB-PREVIEW\S+ is yours\. Reply STOP/);
    const now = countSms((await preview.getByTestId('preview-text').textContent())!);
    expect(await counter.textContent()).toBe(`${now.characters} characters · 1 SMS (GSM-7) after filling in for a sample (made up).`);
    expect(ui.pageErrors).toEqual([]);
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await offerA.getByRole('button', { name: 'Hide the preview of Offer A' }).click();
  });

  /** Win-back's Offer A as an SMS, for a sample customer: the preview panel. */
  const offerSmsPreview = async () => {
    await tab('Win-back');
    const offerA = page.locator('[data-offer="A"]');
    await offerA.getByRole('button', { name: 'Preview and test Offer A' }).click();
    const preview = offerA.getByTestId('preview-0');
    await preview.getByRole('combobox', { name: 'Show Offer A for' }).selectOption({ label: 'A sample (made up)' });
    await preview.getByRole('button', { name: 'SMS', exact: true }).click();
    return preview;
  };

  it("shows a win-back offer's SMS as a phone shows it, counted after filling; no test text before a number is confirmed", async () => {
    await ui.signIn();
    const preview = await offerSmsPreview();
    const text = preview.getByTestId('preview-text');
    await expect.poll(() => text.textContent()).toMatch(/Code CB-PREVIEW00000 gives you 10% off, valid until /);
    const sms = (await text.textContent())!;
    expect(sms).not.toContain('[');
    const count = countSms(sms);
    expect(await preview.getByTestId('preview-count').textContent()).toBe(`${count.characters} characters · ${count.segments} SMS (GSM-7)`);
    expect(await preview.getByTestId('preview-about').textContent()).toContain('sample');
    await shot('preview-sms');

    // No number is confirmed under Test recipients yet: nothing to send a test text to, and the panel says where to add one.
    await preview.getByText('Add and confirm a number under Test recipients (Connection) to send test texts.').waitFor();
    expect(await preview.getByRole('button', { name: 'Send me a test' }).isDisabled()).toBe(true);
  });

  it('adds a test recipient on the Connection screen, confirmed by the button of the page its email links to', async () => {
    await tab('Connection');
    const card = page.locator('.comeback-test-recipients');
    await card.getByRole('textbox', { name: 'Add a test recipient' }).fill('me@example.test');
    await card.getByRole('button', { name: 'Send the confirmation' }).click();
    await card.getByText(/A confirmation link was emailed to me@example.test/).waitFor();
    await card.getByRole('row', { name: /me@example\.test Waiting for the confirmation link/ }).waitFor();
    await shot('test-recipients');
    const mail = await row("SELECT body_text FROM outbox WHERE recipient = 'me@example.test' AND idempotency_key LIKE 'test-recipient:%'");
    const link = /http:\/\/\S+\/t\/[A-Za-z0-9_.-]+/.exec(String(mail!.body_text))![0];
    // Opening the link (a mail scanner does) confirms nothing; the page's button does.
    const confirmPage = await ui.browser.newPage();
    await confirmPage.goto(link);
    expect(await row("SELECT verified_at FROM test_recipients WHERE address = 'me@example.test'")).toMatchObject({ verified_at: null });
    await confirmPage.getByRole('button', { name: 'Yes, confirm' }).click();
    await confirmPage.getByText('Fixture Shop can now send its test messages to me@example.test.').waitFor();
    await confirmPage.close();
    await page.reload();
    const confirmedCard = page.locator('.comeback-test-recipients');
    await confirmedCard.getByRole('row', { name: 'me@example.test Confirmed' }).waitFor();

    // A number: confirmed by the code texted to it (the development sidecar's SMS outbox here).
    await confirmedCard.getByRole('textbox', { name: 'Add a test recipient' }).fill('+48 500 000 002');
    await confirmedCard.getByRole('button', { name: 'Send the confirmation' }).click();
    await confirmedCard.getByText('A code was texted to +48 500 000 002: type it next to the number.').waitFor();
    const sms = await row("SELECT body_text FROM outbox WHERE recipient = '+48500000002' AND idempotency_key LIKE 'test-recipient:%'");
    const code = /^(\d{6}) is your code/.exec(String(sms!.body_text))![1]!;
    await confirmedCard.getByRole('textbox', { name: 'Code texted to +48500000002' }).fill(code);
    await confirmedCard.getByRole('button', { name: 'Confirm', exact: true }).click();
    await confirmedCard.getByRole('row', { name: '+48500000002 Confirmed' }).waitFor();
  });

  it("sends a win-back offer's SMS as a test to the confirmed number", async () => {
    const preview = await offerSmsPreview();
    const to = preview.getByRole('combobox', { name: 'Send a test to the number' });
    expect(await to.locator('option').allTextContents()).toEqual(['+48500000002']);
    await preview.getByRole('button', { name: 'Send me a test' }).click();
    await preview.getByText('A test was sent to +48500000002.').waitFor();
    const sent = await row("SELECT channel, recipient, body_text, enrollment_id FROM outbox WHERE idempotency_key LIKE 'test:%'");
    expect(sent).toMatchObject({ channel: 'sms', recipient: '+48500000002', enrollment_id: null });
    expect(sent!.body_text).toMatch(/^\[Test\] .*CB-PREVIEW00000/);
    // And it goes out through the SMS provider like any message (the development sidecar's outbox here).
    await waitFor(
      async () => (await row("SELECT status FROM outbox WHERE idempotency_key LIKE 'test:%' AND channel = 'sms'"))!.status,
      (status) => status === 'sent',
      15_000,
      'the test SMS to be sent',
    );
  });

  it("shows a campaign's email as typed for a customer of the shop, and sends it as a test", async () => {
    await tab('Campaigns');
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByRole('textbox', { name: 'Name (for you)' }).fill('Autumn');
    await page.locator('textarea[name="step.email.subject"]').fill('Autumn at [shop_name]');
    await page.locator('textarea[name="step.email.body"]').fill('Hello [customer_first_name], autumn is here. [unsubscribe_link]');
    await page.getByRole('button', { name: "Preview and test the campaign's message" }).click();
    const preview = page.getByTestId('preview-0');
    await preview.getByRole('combobox', { name: "Show the campaign's message for" }).selectOption('nora@example.test');
    await expect.poll(() => preview.getByTestId('preview-subject').textContent()).toBe('Autumn at Fixture Shop');
    expect(await preview.getByTestId('preview-about').textContent()).toContain('nora@example.test');
    const frame = preview.frameLocator('iframe');
    await frame.getByText(/Hello \S+, autumn is here\./).waitFor();
    await shot('preview-campaign');

    // The field offers the confirmed addresses only.
    const to = preview.getByRole('combobox', { name: 'Send a test to' });
    expect(await to.locator('option').allTextContents()).toEqual(['me@example.test']);
    await preview.getByRole('button', { name: 'Send me a test' }).click();
    await preview.getByText('A test was sent to me@example.test.').waitFor();
    const mail = await row("SELECT subject, recipient FROM outbox WHERE idempotency_key LIKE 'test:%' AND channel = 'email'");
    expect(mail).toMatchObject({ subject: '[Test] Autumn at Fixture Shop', recipient: 'me@example.test' });
    expect(ui.pageErrors).toEqual([]);
  });
});
