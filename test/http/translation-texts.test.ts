import { describe, expect, it } from 'vitest';
import { loadFlow } from '../../sidecar/src/flows/definition/flow-store.ts';
import { PRESETS } from '../../sidecar/src/flows/definition/presets.ts';
import { DEFAULT_RECOVERY, UNPAID_FLOW } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { editorApi } from '../helpers/editor-api.ts';

/**
 * A step's texts in other languages through the editor's save paths: each translation refused by
 * the default text's rules at its own field, line and column; the recovery form carrying each
 * reminder's translations both ways, without dropping what only the flow editor shows.
 */
describe('translations of a flow’s texts, saved', async () => {
  const { pool, admin, shopId: shop } = await editorApi('translation_texts');
  const problem = (field: string, code: string, line: number, column: number, shortcode: string) =>
    expect.objectContaining({ field, code, line, column, shortcode });
  const preset = PRESETS['unpaid-order'];
  const first = preset.steps[0]!;
  const second = { ...first, delay: { value: 24, unit: 'hours' as const } };
  const polish = {
    subject: 'Twoje zamówienie [order_number] czeka na płatność',
    body: 'Dzień dobry [customer_first_name],\n\nzapłać tutaj: [payment_link]',
    offlineBody: 'Dzień dobry [customer_first_name],\n\nczekamy na przelew za zamówienie [order_number].',
    offlineBodies: {},
  };

  it('refuses a translation with a broken shortcode at its path, line and column, naming the valid shortcodes', async () => {
    const definition = {
      ...preset,
      steps: [
        first,
        {
          ...second,
          translations: {
            pl_PL: {
              email: { ...polish, subject: 'Zamówienie [order_numer]', offlineBody: 'Przelew:\n[bank_details' },
              sms: { body: 'Zapłać: [payment_link]', offlineBody: 'Link: [payment_link]' },
            },
          },
        },
      ],
    };
    const error = (await admin('put', '/api/flows/unpaid-order').send({ definition, enabled: true }).expect(400)).body.error;
    expect(error.code).toBe('invalid_template');
    expect(error.details).toEqual([
      problem('steps.1.translations.pl_PL.email.subject', 'unknown_shortcode', 1, 12, 'order_numer'),
      problem('steps.1.translations.pl_PL.email.offlineBody', 'unclosed_shortcode', 2, 1, 'bank_details'),
      problem('steps.1.translations.pl_PL.sms.offlineBody', 'wrong_context', 1, 7, 'payment_link'),
    ]);
    // As the default text's refusals do: the name it meant.
    expect(error.details[0].message).toContain('[order_number]');
    expect((await loadFlow(pool, shop(), 'unpaid-order'))?.definition.steps[1]?.translations).toBeUndefined();
  });

  it('keeps a translation for a channel the step does not send by, checked all the same', async () => {
    const definition = {
      ...preset,
      steps: [
        { ...first, translations: { de_DE: { sms: { body: 'Bezahlen: [payment_link]', offlineBody: 'Bitte überweisen.' } } } },
        second,
      ],
    };
    expect(first.channels).not.toContain('sms');
    await admin('put', '/api/flows/unpaid-order').send({ definition, enabled: true }).expect(200);
    expect((await loadFlow(pool, shop(), 'unpaid-order'))?.definition.steps[0]?.translations).toEqual({
      de_DE: { sms: { body: 'Bezahlen: [payment_link]', offlineBody: 'Bitte überweisen.' } },
    });
  });

  it("carries each reminder's translations through the recovery form, keeping the flow editor's SMS translation", async () => {
    const view = (await admin('get', '/api/settings/recovery').expect(200)).body;
    expect(view.reminders[0].translations).toEqual({});
    const reminders = view.reminders.map((r: object, i: number) =>
      i === 0
        ? { ...r, translations: { pl_PL: { subject: polish.subject, onlineBody: polish.body, offlineBody: polish.offlineBody } } }
        : r,
    );
    const saved = (
      await admin('put', '/api/settings/recovery')
        .send({ ...view, reminders })
        .expect(200)
    ).body;
    expect(saved.reminders[0].translations).toEqual({
      pl_PL: { subject: polish.subject, onlineBody: polish.body, offlineBody: polish.offlineBody, offlineBodies: {} },
    });
    expect(saved.reminders[0].subject).toBe(view.reminders[0].subject);
    const step = (await loadFlow(pool, shop(), UNPAID_FLOW))!.definition.steps[0]!;
    expect(step.translations).toEqual({
      de_DE: { sms: { body: 'Bezahlen: [payment_link]', offlineBody: 'Bitte überweisen.' } },
      pl_PL: { email: polish },
    });

    // Removed in the form: the Polish email goes, the German SMS stays; an older form that sends none keeps them.
    const without = saved.reminders.map(({ translations, ...r }: { translations: object }) => r);
    await admin('put', '/api/settings/recovery')
      .send({ ...saved, reminders: without })
      .expect(200);
    expect((await loadFlow(pool, shop(), UNPAID_FLOW))!.definition.steps[0]!.translations).toHaveProperty('pl_PL');
    const emptied = saved.reminders.map((r: object) => ({ ...r, translations: {} }));
    await admin('put', '/api/settings/recovery')
      .send({ ...saved, reminders: emptied })
      .expect(200);
    expect((await loadFlow(pool, shop(), UNPAID_FLOW))!.definition.steps[0]!.translations).toEqual({
      de_DE: { sms: { body: 'Bezahlen: [payment_link]', offlineBody: 'Bitte überweisen.' } },
    });
  });

  it("refuses a reminder translation's broken shortcode at the form's own field", async () => {
    const reminder = DEFAULT_RECOVERY.reminders[0]!;
    const translations = { pl_PL: { subject: 'Zamówienie [order_number', onlineBody: polish.body, offlineBody: 'Zapłać: [payment_link]' } };
    const error = (
      await admin('put', '/api/settings/recovery')
        .send({ ...DEFAULT_RECOVERY, reminders: [{ ...reminder, translations }] })
        .expect(400)
    ).body.error;
    expect(error.details).toEqual([
      problem('reminders.0.translations.pl_PL.subject', 'unclosed_shortcode', 1, 12, 'order_number'),
      problem('reminders.0.translations.pl_PL.offlineBody', 'wrong_context', 1, 9, 'payment_link'),
    ]);
    const bad = await admin('put', '/api/settings/recovery')
      .send({ ...DEFAULT_RECOVERY, reminders: [{ ...reminder, translations: { polish: translations.pl_PL } }] })
      .expect(400);
    expect(bad.body.error.details[0].field).toMatch(/^reminders\.0\.translations/);
  });
});
