import { afterAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { NEW_CAMPAIGN_TRANSLATIONS } from '../../sidecar/src/campaigns/campaign-texts.ts';
import { axeViolations } from './axe.ts';
import { orderHistory, startUi } from './ui-harness.ts';

type Texts = { email?: { subject: string; body: string }; sms?: { body: string } };
type Step = Texts & { channels: string[]; translations?: Record<string, Texts> };

/**
 * The language tabs of the campaign editor and of the win-back offers, in Chromium against a real
 * sidecar: a new campaign starts with the Polish text the sidecar ships; German is added to its
 * message through its tab, started from the default, edited, saved and shown again after a
 * reload; a win-back offer shows its preset's Polish on its tab and keeps an edited Polish subject
 * through a save, the other offers' texts untouched.
 */
describe('language tabs of campaigns and win-back offers', async () => {
  const ui = await startUi('ui_campaign_languages', orderHistory().orders);
  const { page, tab, admin, shot } = ui;
  afterAll(() => ui.close());

  const languageTab = (scope: Locator, name: RegExp) => scope.getByRole('tab', { name });
  const text = (scope: Locator, name: string) => scope.locator(`textarea[name="${name}"]`);
  const addLanguage = async (scope: Locator, label: string) => {
    await scope.getByRole('combobox', { name: 'Add a language' }).selectOption({ label });
    await scope.getByRole('button', { name: 'Add', exact: true }).click();
  };
  const message = () => page.locator('.comeback-languages').first();
  const campaigns = async () => (await admin('get', '/api/campaigns').expect(200)).body.items as Array<{ id: string; step: Step }>;
  const winBack = async () => (await admin('get', '/api/flows/win-back').expect(200)).body.definition.steps as Step[];
  const POLISH = NEW_CAMPAIGN_TRANSLATIONS.pl_PL.email;
  const GERMAN_SUBJECT = 'Neuigkeiten von [shop_name]';

  it('starts a new campaign with the Polish text the sidecar ships, on its own tab', async () => {
    await ui.signIn();
    await tab('Campaigns');
    await page.getByRole('button', { name: 'New campaign' }).click();
    const polish = languageTab(message(), /^Polish \(pl_PL\)/);
    await polish.waitFor();
    expect(await polish.getAttribute('data-missing')).toBeNull();
    await polish.click();
    expect(await text(message(), 'step.translations.pl_PL.email.subject').inputValue()).toBe(POLISH.subject);
    expect(await text(message(), 'step.translations.pl_PL.email.body').inputValue()).toBe(POLISH.body);
    await languageTab(message(), /^Default/).click();
  });

  it('gives the campaign a German text through its tab, saved and shown again after a reload', async () => {
    await page.getByRole('textbox', { name: 'Name (for you)' }).fill('Spring news');
    const defaultSubject = await text(message(), 'step.email.subject').inputValue();
    await addLanguage(message(), 'German (de_DE)');
    const german = languageTab(message(), /^German \(de_DE\)/);
    expect(await german.getAttribute('aria-selected')).toBe('true');
    expect(await german.getAttribute('data-missing')).toBe('email');
    const panel = message().getByRole('tabpanel');
    await panel.getByText('No German text yet: customers in German get the default text.').waitFor();
    await panel.getByRole('button', { name: 'Copy the default text to start' }).click();
    const subject = text(panel, 'step.translations.de_DE.email.subject');
    expect(await subject.inputValue()).toBe(defaultSubject);
    await subject.fill(GERMAN_SUBJECT);
    // The preview follows the tab: the German subject, filled.
    await message().getByRole('button', { name: "Preview and test the campaign's message" }).click();
    await expect.poll(() => page.getByTestId('preview-subject').textContent()).toBe('Neuigkeiten von Fixture Shop');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.locator('.comeback-save-status').getByText('Saved.').waitFor();

    const [stored] = await campaigns();
    expect(stored!.step.translations?.de_DE?.email?.subject).toBe(GERMAN_SUBJECT);
    expect(stored!.step.translations?.pl_PL?.email).toEqual(POLISH);
    expect(stored!.step.email?.subject).toBe(defaultSubject);

    await page.reload();
    await tab('Campaigns');
    await page.locator(`tr[data-campaign="${stored!.id}"]`).getByRole('button', { name: 'Spring news' }).click();
    await languageTab(message(), /^German \(de_DE\)/).click();
    expect(await text(message(), 'step.translations.de_DE.email.subject').inputValue()).toBe(GERMAN_SUBJECT);
    await shot('campaign-languages');
  });

  it('asks before removing a language from the campaign’s message, and saves it without', async () => {
    await message().getByRole('button', { name: 'Remove German' }).click();
    const question = page.getByRole('alertdialog', { name: 'Remove the German texts?' });
    await question.getByText('The German texts of this message are removed').waitFor();
    await question.getByRole('button', { name: 'Remove German' }).click();
    await expect.poll(() => languageTab(message(), /^German \(de_DE\)/).count()).toBe(0);
    expect(await languageTab(message(), /^Polish \(pl_PL\)/).count()).toBe(1);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => Object.keys((await campaigns())[0]!.step.translations ?? {})).toEqual(['pl_PL']);
  });

  it('keeps a win-back offer’s preset Polish text, and takes an edited one through a save', async () => {
    const preset = await winBack();
    const presetPolish = preset[0]!.translations?.pl_PL?.email?.subject;
    expect(presetPolish).toBeTruthy();
    await tab('Win-back');
    const offerA = page.locator('[data-offer="A"]');
    await offerA.getByRole('button', { name: /^Edit the texts of Offer A/ }).click();
    const polish = languageTab(offerA, /^Polish \(pl_PL\)/);
    expect(await polish.getAttribute('data-missing')).toBeNull();
    await polish.click();
    const subject = text(offerA, 'steps.0.translations.pl_PL.email.subject');
    expect(await subject.inputValue()).toBe(presetPolish);
    await subject.fill('Wracaj do [shop_name]: mamy coś dla Ciebie');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save win-back' }).click();
    await page.locator('.comeback-save-status').getByText(/Saved/).waitFor();

    const saved = await winBack();
    expect(saved[0]!.translations?.pl_PL?.email?.subject).toBe('Wracaj do [shop_name]: mamy coś dla Ciebie');
    expect(saved[0]!.translations?.pl_PL?.sms).toEqual(preset[0]!.translations?.pl_PL?.sms);
    expect(saved[0]!.email).toEqual(preset[0]!.email);
    expect(saved[1]!.translations).toEqual(preset[1]!.translations);
    await page.reload();
    await tab('Win-back');
    await offerA.getByRole('button', { name: /^Edit the texts of Offer A/ }).click();
    await languageTab(offerA, /^Polish \(pl_PL\)/).click();
    expect(await text(offerA, 'steps.0.translations.pl_PL.email.subject').inputValue()).toBe('Wracaj do [shop_name]: mamy coś dla Ciebie');
    await shot('win-back-languages');
    expect(ui.pageErrors).toEqual([]);
  });
});
