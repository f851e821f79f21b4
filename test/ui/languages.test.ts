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
 * A step's texts in other languages, in Chromium against a real sidecar. The presets ship Polish
 * (`translations.pl_PL` on every step): its tab is there from the start with the preset's text.
 * A language the presets do not ship (German) added to a step of the abandoned-cart flow, started
 * from a copy of the default and edited, is saved and shown again after a reload, the default and
 * the preset's Polish untouched; a language lacking a text for a channel the step sends by is
 * marked on its tab; the preview follows the tab (the preset's Polish text, or the default said to
 * be so on a language without text); the Recovery form shows the preset's Polish reminder and keeps
 * an added German text through a save.
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
  // The abandoned-cart preset's own Polish subject of its first step (sidecar/src/flows/definition/presets.ts).
  const PRESET_POLISH_SUBJECT = 'Twój koszyk w sklepie [shop_name] czeka';
  const GERMAN_SUBJECT = 'Ihr Warenkorb bei [shop_name] wartet noch auf Sie';
  // The unpaid-order preset's own Polish reminder subject.
  const POLISH_REMINDER_SUBJECT = 'Twoje zamówienie [order_number] czeka na płatność';
  const GERMAN_REMINDER_SUBJECT = 'Ihre Bestellung [order_number] wartet auf Zahlung';

  it('shows the preset’s Polish on its own tab, without a mark', async () => {
    await ui.signIn();
    await openCartFlow();
    const polish = languageTab(step(0), /^Polish \(pl_PL\)/);
    expect(await polish.getAttribute('aria-selected')).toBe('false');
    expect(await polish.getAttribute('data-missing')).toBeNull();
    await polish.click();
    const panel = step(0).getByRole('tabpanel');
    expect(await text(panel, 'steps.0.translations.pl_PL.email.subject').inputValue()).toBe(PRESET_POLISH_SUBJECT);
    expect(await panel.getByText('No Polish text yet').count()).toBe(0);
    // The preset's Polish is there on the email-only step too: nothing missing.
    expect(await languageTab(step(1), /^Polish \(pl_PL\)/).getAttribute('data-missing')).toBeNull();
    expect(await languageTab(step(1), /^Polish \(pl_PL\)/).textContent()).not.toContain('missing texts');
    await languageTab(step(0), /^Default/).click();
  });

  it('adds German to a step, starts it from the default, and keeps the edited German subject through a save and a reload', async () => {
    const defaultSubject = (await storedSteps())[0]!.email!.subject;
    await addLanguage(step(0), 'German (de_DE)');
    const german = languageTab(step(0), /^German \(de_DE\)/);
    expect(await german.getAttribute('aria-selected')).toBe('true');
    const panel = step(0).getByRole('tabpanel');
    await panel.getByText('No German text yet: customers in German get the default text.').waitFor();
    // Every other step shows the language too, with nothing in it yet.
    expect(await languageTab(step(1), /^German \(de_DE\)/).count()).toBe(1);

    await panel.getByRole('button', { name: 'Copy the default text to start' }).click();
    const subject = text(panel, 'steps.0.translations.de_DE.email.subject');
    expect(await subject.inputValue()).toBe(defaultSubject);
    expect(await panel.getByText('No German text yet').count()).toBe(0);
    await subject.fill(GERMAN_SUBJECT);
    await page.getByRole('button', { name: 'Save flow' }).click();
    await page
      .locator('.comeback-save-status')
      .getByText(/Saved as version \d+\./)
      .waitFor();

    const saved = await storedSteps();
    expect(saved[0]!.translations?.de_DE?.email?.subject).toBe(GERMAN_SUBJECT);
    expect(saved[0]!.translations?.de_DE?.sms?.body).toBe(saved[0]!.sms?.body);
    expect(saved[0]!.email?.subject).toBe(defaultSubject);
    expect(saved[0]!.translations?.pl_PL?.email?.subject).toBe(PRESET_POLISH_SUBJECT);
    expect(saved[1]!.translations?.de_DE).toBeUndefined();

    await page.reload();
    await openCartFlow();
    await languageTab(step(0), /^German \(de_DE\)/).click();
    expect(await text(step(0), 'steps.0.translations.de_DE.email.subject').inputValue()).toBe(GERMAN_SUBJECT);
    await shot(step(0), 'step-languages-german');
    await languageTab(step(0), /^Polish \(pl_PL\)/).click();
    expect(await text(step(0), 'steps.0.translations.pl_PL.email.subject').inputValue()).toBe(PRESET_POLISH_SUBJECT);
    await shot(step(0), 'step-languages-polish');
    await languageTab(step(0), /^Default/).click();
    expect(await text(step(0), 'steps.0.email.subject').inputValue()).toBe(defaultSubject);
    await shot(step(0), 'step-languages');
  });

  it('marks a language lacking the text of a channel the step sends by', async () => {
    await languageTab(step(0), /^German \(de_DE\)/).click();
    const german = languageTab(step(0), /^German \(de_DE\)/);
    // Copied from the default: nothing missing.
    expect(await german.getAttribute('data-missing')).toBeNull();
    expect(await german.textContent()).not.toContain('missing texts');
    await text(step(0), 'steps.0.translations.de_DE.sms.body').fill('');
    await expect.poll(() => german.getAttribute('data-missing')).toBe('sms');
    await shot(step(0).getByRole('tablist'), 'step-languages-missing');
    expect(await german.textContent()).toContain('(missing texts)');
    expect(await german.getAttribute('title')).toBe('No SMS text in German yet: the default text goes.');
    // A step with no German text at all: its email is missing; its preset Polish is not.
    const stepTwoGerman = languageTab(step(1), /^German \(de_DE\)/);
    expect(await stepTwoGerman.getAttribute('data-missing')).toBe('email');
    expect(await stepTwoGerman.textContent()).toContain('(missing texts)');
    expect(await languageTab(step(1), /^Polish \(pl_PL\)/).getAttribute('data-missing')).toBeNull();
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => german.getAttribute('data-missing')).toBeNull();
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

  it('previews the tab’s language: the preset’s Polish subject on the Polish tab, the default said so on a French tab without text', async () => {
    await languageTab(step(0), /^Default/).click();
    await step(0).getByRole('button', { name: 'Preview and test step 1' }).click();
    const preview = step(0).getByTestId('preview-0');
    await preview.getByRole('button', { name: 'Email', exact: true }).click();
    await page.locator('.comeback-preview[aria-busy="false"]').waitFor();
    const shownDefault = await preview.getByTestId('preview-subject').textContent();
    expect(shownDefault).not.toContain('[');
    await languageTab(step(0), /^Polish \(pl_PL\)/).click();
    await expect.poll(() => preview.getByTestId('preview-subject').textContent()).toBe('Twój koszyk w sklepie Fixture Shop czeka');
    expect(await preview.getByText(/^No Polish text yet/).count()).toBe(0);

    await languageTab(step(0), /^German \(de_DE\)/).click();
    await expect
      .poll(() => preview.getByTestId('preview-subject').textContent())
      .toBe('Ihr Warenkorb bei Fixture Shop wartet noch auf Sie');

    await addLanguage(step(0), 'French (fr_FR)');
    await expect
      .poll(() => preview.locator('.comeback-preview__fell-back').textContent())
      .toContain('No French text yet — this is the default text customers in French get.');
    expect(await preview.getByTestId('preview-subject').textContent()).toBe(shownDefault);
    await shot(step(0), 'step-preview-french-fell-back');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('shows the preset’s Polish reminder on the Recovery screen, and keeps an added German text through a save', async () => {
    await page.getByRole('button', { name: 'All flows' }).click();
    await tab('Recovery');
    const reminder = page.locator('.comeback-reminder').first();
    await text(reminder, 'reminders.0.subject').waitFor();
    const defaultSubject = await text(reminder, 'reminders.0.subject').inputValue();
    // The unpaid-order preset's Polish reminder is there, with its own text.
    const polish = languageTab(reminder, /^Polish \(pl_PL\)/);
    expect(await polish.getAttribute('data-missing')).toBeNull();
    await polish.click();
    expect(await text(reminder, 'reminders.0.translations.pl_PL.subject').inputValue()).toBe(POLISH_REMINDER_SUBJECT);
    expect(await reminder.getByText('No Polish text yet').count()).toBe(0);

    await addLanguage(reminder, 'German (de_DE)');
    await reminder.getByText('No German text yet: customers in German get the default text.').waitFor();
    await reminder.getByRole('button', { name: 'Copy the default text to start' }).click();
    const subject = text(reminder, 'reminders.0.translations.de_DE.subject');
    expect(await subject.inputValue()).toBe(defaultSubject);
    await subject.fill(GERMAN_REMINDER_SUBJECT);
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await page.getByText('Saved.', { exact: false }).first().waitFor();

    const stored = (await admin('get', '/api/settings/recovery').expect(200)).body.reminders[0];
    expect(stored.translations?.de_DE?.subject).toBe(GERMAN_REMINDER_SUBJECT);
    expect(stored.translations?.pl_PL?.subject).toBe(POLISH_REMINDER_SUBJECT);
    expect(stored.subject).toBe(defaultSubject);
    await page.reload();
    await tab('Recovery');
    await languageTab(reminder, /^German \(de_DE\)/).click();
    expect(await text(reminder, 'reminders.0.translations.de_DE.subject').inputValue()).toBe(GERMAN_REMINDER_SUBJECT);
    await shot(reminder, 'recovery-languages');
    await languageTab(reminder, /^Polish \(pl_PL\)/).click();
    expect(await text(reminder, 'reminders.0.translations.pl_PL.subject').inputValue()).toBe(POLISH_REMINDER_SUBJECT);
    expect(await axeViolations(page)).toEqual([]);
    expect(ui.pageErrors).toEqual([]);
  });
});
