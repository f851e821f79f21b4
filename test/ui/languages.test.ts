import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe.ts';
import { orderHistory, startUi } from './ui-harness.ts';

type Step = {
  channels: string[];
  email?: { subject: string; body: string };
  sms?: { body: string };
  translations?: Record<string, { email?: { subject: string; body: string }; sms?: { body: string }; whatsapp?: object }>;
};

/**
 * A step's texts in other languages, in Chromium against a real sidecar: a language added to a
 * step of the abandoned-cart flow, started from a copy of the default and edited, is saved and
 * shown again after a reload, the default untouched; a language lacking a text for a channel the
 * step sends by is marked on its tab; the preview follows the tab (the language's text, or the
 * default said to be so); the Recovery form keeps a reminder's Polish text through a save.
 */
describe('texts per language in the admin UI', async () => {
  const ui = await startUi('ui_languages', orderHistory().orders);
  const { page, tab, admin } = ui;
  /** The part of the screen a test is about (the whole page would be thousands of pixels tall). */
  const shot = (part: Locator, file: string) =>
    part.screenshot({ path: join(import.meta.dirname, '../output/screenshots', `${file}.png`) });
  afterAll(() => ui.close());

  const step = (i: number) => page.locator(`#comeback-step-${i}`);
  const languageTab = (scope: Locator, name: RegExp) => scope.getByRole('tab', { name });
  const text = (scope: Locator, name: string) => scope.locator(`textarea[name="${name}"]`);
  const addLanguage = async (scope: Locator, label: string) => {
    await scope.getByRole('combobox', { name: 'Add a language' }).selectOption({ label });
    await scope.getByRole('button', { name: 'Add', exact: true }).click();
  };
  const storedSteps = async () => (await admin('get', '/api/flows/abandoned-cart').expect(200)).body.definition.steps as Step[];
  const openCartFlow = async () => {
    await tab('Flows');
    await page.getByRole('button', { name: 'Abandoned cart', exact: true }).click();
    await step(0).waitFor();
  };
  const POLISH_SUBJECT = 'Twój koszyk w [shop_name] wciąż na Ciebie czeka';

  it('adds Polish to a step, starts it from the default, and keeps the edited Polish subject through a save and a reload', async () => {
    await ui.signIn();
    await openCartFlow();
    const defaultSubject = (await storedSteps())[0]!.email!.subject;
    await addLanguage(step(0), 'Polish (pl_PL)');
    const polish = languageTab(step(0), /^Polish \(pl_PL\)/);
    expect(await polish.getAttribute('aria-selected')).toBe('true');
    const panel = step(0).getByRole('tabpanel');
    await panel.getByText('No Polish text yet: customers in Polish get the default text.').waitFor();
    // Every other step shows the language too, with nothing in it yet.
    expect(await languageTab(step(1), /^Polish \(pl_PL\)/).count()).toBe(1);

    await panel.getByRole('button', { name: 'Copy the default text to start' }).click();
    const subject = text(panel, 'steps.0.translations.pl_PL.email.subject');
    expect(await subject.inputValue()).toBe(defaultSubject);
    expect(await panel.getByText('No Polish text yet').count()).toBe(0);
    await subject.fill(POLISH_SUBJECT);
    await page.getByRole('button', { name: 'Save flow' }).click();
    await page
      .locator('.comeback-save-status')
      .getByText(/Saved as version \d+\./)
      .waitFor();

    const saved = await storedSteps();
    expect(saved[0]!.translations?.pl_PL?.email?.subject).toBe(POLISH_SUBJECT);
    expect(saved[0]!.translations?.pl_PL?.sms?.body).toBe(saved[0]!.sms?.body);
    expect(saved[0]!.email?.subject).toBe(defaultSubject);

    await page.reload();
    await openCartFlow();
    await languageTab(step(0), /^Polish \(pl_PL\)/).click();
    expect(await text(step(0), 'steps.0.translations.pl_PL.email.subject').inputValue()).toBe(POLISH_SUBJECT);
    await shot(step(0), 'step-languages-polish');
    await languageTab(step(0), /^Default/).click();
    expect(await text(step(0), 'steps.0.email.subject').inputValue()).toBe(defaultSubject);
    await shot(step(0), 'step-languages');
  });

  it('marks a language lacking the text of a channel the step sends by', async () => {
    await languageTab(step(0), /^Polish \(pl_PL\)/).click();
    const polish = languageTab(step(0), /^Polish \(pl_PL\)/);
    // Copied from the default: nothing missing.
    expect(await polish.getAttribute('data-missing')).toBeNull();
    expect(await polish.textContent()).not.toContain('missing texts');
    await text(step(0), 'steps.0.translations.pl_PL.sms.body').fill('');
    await expect.poll(() => polish.getAttribute('data-missing')).toBe('sms');
    await shot(step(0).getByRole('tablist'), 'step-languages-missing');
    expect(await polish.textContent()).toContain('(missing texts)');
    expect(await polish.getAttribute('title')).toBe('No SMS text in Polish yet: the default text goes.');
    // A step with no Polish text at all: its email is missing.
    expect(await languageTab(step(1), /^Polish \(pl_PL\)/).getAttribute('data-missing')).toBe('email');
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => polish.getAttribute('data-missing')).toBeNull();
  });

  it('checks a language’s texts as typed, and a problem named in the save bar opens its language’s tab', async () => {
    await languageTab(step(0), /^Polish \(pl_PL\)/).click();
    const sms = text(step(0), 'steps.0.translations.pl_PL.sms.body');
    await sms.fill('Twój koszyk: [cart_lnk]');
    const errors = step(0)
      .locator('.comeback-template', { has: page.locator('textarea[name="steps.0.translations.pl_PL.sms.body"]') })
      .locator('.comeback-template-error');
    await expect.poll(() => errors.first().textContent({ timeout: 2000 })).toContain('Line 1, column 14:');
    await expect.poll(() => languageTab(step(0), /^Polish \(pl_PL\)/).textContent()).toContain('(texts with problems)');
    await languageTab(step(0), /^Default/).click();
    expect(await sms.count()).toBe(0);
    await page.getByTestId('savebar-errors').getByRole('button').first().click();
    await expect.poll(() => languageTab(step(0), /^Polish \(pl_PL\)/).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.evaluate("document.activeElement?.getAttribute('name')")).toBe('steps.0.translations.pl_PL.sms.body');
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('previews the tab’s language: the Polish subject on the Polish tab, the default said so on a German tab without text', async () => {
    await languageTab(step(0), /^Default/).click();
    await step(0).getByRole('button', { name: 'Preview and test step 1' }).click();
    const preview = step(0).getByTestId('preview-0');
    await preview.getByRole('button', { name: 'Email', exact: true }).click();
    await page.locator('.comeback-preview[aria-busy="false"]').waitFor();
    const shownDefault = await preview.getByTestId('preview-subject').textContent();
    expect(shownDefault).not.toContain('[');
    await languageTab(step(0), /^Polish \(pl_PL\)/).click();
    await expect.poll(() => preview.getByTestId('preview-subject').textContent()).toBe('Twój koszyk w Fixture Shop wciąż na Ciebie czeka');
    expect(await preview.getByText(/^No Polish text yet/).count()).toBe(0);

    await addLanguage(step(0), 'German (de_DE)');
    await expect
      .poll(() => preview.locator('.comeback-preview__fell-back').textContent())
      .toContain('No German text yet — this is the default text customers in German get.');
    expect(await preview.getByTestId('preview-subject').textContent()).toBe(shownDefault);
    await shot(step(0), 'step-preview-german-fell-back');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('keeps a reminder’s Polish text through a save on the Recovery screen', async () => {
    await page.getByRole('button', { name: 'All flows' }).click();
    await tab('Recovery');
    const reminder = page.locator('.comeback-reminder').first();
    await text(reminder, 'reminders.0.subject').waitFor();
    const defaultSubject = await text(reminder, 'reminders.0.subject').inputValue();
    await addLanguage(reminder, 'Polish (pl_PL)');
    await reminder.getByText('No Polish text yet: customers in Polish get the default text.').waitFor();
    await reminder.getByRole('button', { name: 'Copy the default text to start' }).click();
    const subject = text(reminder, 'reminders.0.translations.pl_PL.subject');
    expect(await subject.inputValue()).toBe(defaultSubject);
    await subject.fill('Zamówienie [order_number] czeka na płatność');
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await page.getByText('Saved.', { exact: false }).first().waitFor();

    const stored = (await admin('get', '/api/settings/recovery').expect(200)).body.reminders[0];
    expect(stored.translations?.pl_PL?.subject).toBe('Zamówienie [order_number] czeka na płatność');
    expect(stored.subject).toBe(defaultSubject);
    await page.reload();
    await tab('Recovery');
    await languageTab(reminder, /^Polish \(pl_PL\)/).click();
    expect(await text(reminder, 'reminders.0.translations.pl_PL.subject').inputValue()).toBe('Zamówienie [order_number] czeka na płatność');
    await shot(reminder, 'recovery-languages');
    expect(await axeViolations(page)).toEqual([]);
    expect(ui.pageErrors).toEqual([]);
  });
});
