import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../sidecar/src/flows/definition/presets.ts';
import { DEFAULT_RECOVERY } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { editorApi } from '../helpers/editor-api.ts';

/**
 * What the save paths refuse before a customer sees it: a shortcode left without its "]" (printed
 * as written, or swallowing the next line), a shortcode that prints nothing in its flow (the step
 * has no coupon, the order has not shipped, a campaign knows no loyalty program), each at its
 * field, line and column with why; and any other refused field in plain words, never zod's.
 */
describe('the editor refuses what would embarrass the shop', async () => {
  const { admin } = await editorApi('editor_refusals');
  // offlineBodies given (none of its own per gateway): an email with only offlineBody is a flow stored before per-gateway texts, upgraded to the bacs text.
  const unpaidWith = (email: { subject: string; body: string; offlineBody: string }) => ({
    ...PRESETS['unpaid-order'],
    steps: [{ ...PRESETS['unpaid-order'].steps[0]!, email: { ...email, offlineBodies: {} } }],
  });
  const refusal = async (path: string, body: object, method: 'put' | 'post' = 'put', language?: string) =>
    (await admin(method, path, language).send(body).expect(400)).body.error;
  /** The unpaid-order flow saved with these texts in its first step: the refusal. */
  const refusedUnpaid = (email: { subject: string; body: string; offlineBody: string }) =>
    refusal('/api/flows/unpaid-order', { definition: unpaidWith(email), enabled: true });
  const problem = (field: string, code: string, line: number, column: number, shortcode: string) =>
    expect.objectContaining({ field, code, line, column, shortcode });

  it('refuses a shortcode without its ] at its line and column, and the line it swallows gives no value error', async () => {
    const error = await refusedUnpaid({
      subject: 'Hello [customer_first_name, welcome back',
      body: 'You ordered:\n[order_items\nTotal: [order_total]\n[payment_link]',
      offlineBody: 'Please transfer\nthe amount due is [order_total',
    });
    expect(error.code).toBe('invalid_template');
    expect(error.details).toEqual([
      problem('steps.0.email.subject', 'unclosed_shortcode', 1, 7, 'customer_first_name'),
      problem('steps.0.email.body', 'unclosed_shortcode', 2, 1, 'order_items'),
      problem('steps.0.email.offlineBody', 'unclosed_shortcode', 2, 19, 'order_total'),
    ]);
    for (const d of error.details) expect(d.message).toContain('missing its closing ]');
    expect(JSON.stringify(error.details)).not.toContain('without a name');
  });

  it('refuses in an unpaid reminder a coupon the step does not offer and a parcel the order does not have, saying why', async () => {
    const error = await refusedUnpaid({
      subject: 'Your order [order_number]',
      body: 'Your code: [coupon_code] worth [coupon_value]. [payment_link]',
      offlineBody: 'Tracking: [tracking_number]\n[payment_instructions]',
    });
    expect(error.details).toEqual([
      problem('steps.0.email.body', 'prints_nothing', 1, 12, 'coupon_code'),
      problem('steps.0.email.body', 'prints_nothing', 1, 32, 'coupon_value'),
      problem('steps.0.email.offlineBody', 'prints_nothing', 1, 11, 'tracking_number'),
    ]);
    expect(error.details[0].message).toContain('this step offers none');
    expect(error.details[2].message).toContain('have not shipped');
    // The shipment flow's orders have a parcel; a step with a coupon shows it.
    await admin('put', '/api/flows/shipment').send({ definition: PRESETS.shipment, enabled: false }).expect(200);
    await admin('put', '/api/flows/win-back').send({ definition: PRESETS['win-back'], enabled: false }).expect(200);
  });

  it('the recovery form refuses the same, at its own fields', async () => {
    const reminder = DEFAULT_RECOVERY.reminders[0]!;
    const error = await refusal('/api/settings/recovery', {
      ...DEFAULT_RECOVERY,
      reminders: [
        {
          ...reminder,
          onlineBody: `${reminder.onlineBody}\nYour code: [coupon_code]`,
          offlineBody: 'Tracking [tracking_link]\n[order_total',
        },
      ],
    });
    expect(error.details).toEqual([
      expect.objectContaining({ field: 'reminders.0.onlineBody', code: 'prints_nothing', shortcode: 'coupon_code' }),
      problem('reminders.0.offlineBody', 'prints_nothing', 1, 10, 'tracking_link'),
      problem('reminders.0.offlineBody', 'unclosed_shortcode', 2, 1, 'order_total'),
    ]);
  });

  it('refuses in a campaign what only a loyalty event knows, and in a birthday notice the voucher and survey it is not about', async () => {
    const step = {
      delay: { value: 0, unit: 'minutes' },
      channels: ['email'],
      email: { subject: 'News', body: 'You have [points_balance] points.\n[voucher_code] [nps_link]\n[unsubscribe_link]' },
    };
    const campaign = await refusal('/api/campaigns', { name: 'Points', step }, 'post');
    expect(campaign.details.map((d: { field: string; shortcode: string }) => `${d.field} ${d.shortcode}`)).toEqual([
      'step.email.body points_balance',
      'step.email.body voucher_code',
      'step.email.body nps_link',
    ]);
    expect(campaign.details[0].message).toContain('in a campaign or a win-back message it would print nothing');

    const birthday = PRESETS.birthday;
    const notice = {
      ...birthday,
      steps: [{ ...birthday.steps[0]!, email: { subject: 'Happy birthday', body: '[points_balance] [voucher_code] [nps_link]' } }],
    };
    const error = await refusal('/api/flows/birthday', { definition: notice, enabled: false });
    expect(error.details.map((d: { shortcode: string }) => d.shortcode)).toEqual(['voucher_code', 'nps_link']);
  });

  it('answers a refused field in plain words naming it, on every save path', async () => {
    const reminder = DEFAULT_RECOVERY.reminders[0]!;
    const recovery = await refusal('/api/settings/recovery', { ...DEFAULT_RECOVERY, reminders: [{ ...reminder, subject: '' }] });
    expect(recovery.details).toEqual([{ field: 'reminders.0.subject', message: 'The subject is empty.' }]);

    const flow = unpaidWith({ subject: '', body: '[payment_link]', offlineBody: '[bank_details]' });
    const definition = await refusal('/api/flows/unpaid-order', { definition: { ...flow, holdOutPercent: 80 }, enabled: true });
    expect(definition.details).toEqual([
      { field: 'steps.0.email.subject', message: 'The subject is empty.' },
      { field: 'holdOutPercent', message: 'Enter a whole number from 0 to 50.' },
    ]);

    const campaign = await refusal('/api/campaigns', { name: ' ', step: { delay: { value: 0, unit: 'minutes' }, channels: [] } }, 'post');
    expect(campaign.details).toEqual([
      { field: 'name', message: 'The name is empty.' },
      { field: 'step.channels', message: 'The channels: at least 1 needed.' },
    ]);
    for (const d of [...recovery.details, ...definition.details, ...campaign.details])
      expect(d.message).not.toMatch(/Too small|Too big|expected/);
  });

  it('refuses a number out of its field’s range with the words the admin UI says at the field', async () => {
    const reminder = DEFAULT_RECOVERY.reminders[0]!;
    for (const linkGraceHours of [721, 1.5, 0, null]) {
      const grace = await refusal('/api/settings/recovery', { ...DEFAULT_RECOVERY, linkGraceHours });
      expect(grace.details).toEqual([{ field: 'linkGraceHours', message: 'Enter a whole number from 1 to 720.' }]);
    }
    const delay = await refusal('/api/settings/recovery', {
      ...DEFAULT_RECOVERY,
      reminders: [{ ...reminder, delay: { value: 0, unit: 'hours' } }],
    });
    expect(delay.details).toEqual([{ field: 'reminders.0.delay.value', message: 'Enter a whole number from 1 to 10000.' }]);

    const winBack = PRESETS['win-back'];
    const lapsed = { ...winBack, trigger: { ...winBack.trigger, minDays: 2.5, perMinute: 0 } };
    const flow = await refusal('/api/flows/win-back', { definition: lapsed, enabled: false });
    expect(flow.details).toEqual([
      { field: 'trigger.minDays', message: 'Enter a whole number from 1 to 3650.' },
      { field: 'trigger.perMinute', message: 'Enter a whole number from 1 to 10000.' },
    ]);

    const step = { delay: { value: 0, unit: 'minutes' }, channels: ['email'], email: { subject: 'News', body: 'Hello' } };
    const campaign = await refusal('/api/campaigns', { name: 'News', step, perMinute: 0.5 }, 'post');
    expect(campaign.details).toEqual([{ field: 'perMinute', message: 'Enter a whole number from 1 to 10000.' }]);
  });

  /**
   * The sidecar answers a merchant in their admin's language: the request's Accept-Language (the
   * admin UI sends its locale, the plugin's proxy the WordPress user's) picks a shipped translation,
   * and every refusal of the request — a template's problems with line, column and the shortcodes
   * that fit, a number out of its field's range, zod's problems in plain words — is worded in it.
   * Without the header, or in a language without a translation, it stays English.
   */
  describe('in the merchant’s language', () => {
    /** The refusal of a request sent with this Accept-Language (null: none). */
    const said = (language: string | null, method: 'put' | 'post', path: string, body: object) =>
      refusal(path, body, method, language ?? undefined);
    const unpaid = PRESETS['unpaid-order'];
    const brokenFlow = {
      definition: {
        ...unpaid,
        steps: [
          {
            ...unpaid.steps[0]!,
            email: {
              subject: 'Zamówienie [order_numbr]',
              body: 'Zapłać:\n[payment_link',
              offlineBody: '[bank_details]',
              offlineBodies: {},
            },
          },
        ],
      },
      enabled: true,
    };

    it('refuses a flow’s broken shortcodes in Polish, at their line and column, naming the shortcodes that fit', async () => {
      // The shop's bank accounts are unknown (no profile yet): [bank_details] in the generic offline text is refused too.
      const error = await said('pl-PL,pl;q=0.9,en;q=0.5', 'put', '/api/flows/unpaid-order', brokenFlow);
      expect(error.code).toBe('invalid_template');
      expect(error.message).toBe('3 problemy w tekstach scenariusza');
      const [subject, body, offline] = error.details;
      expect(subject).toMatchObject({ field: 'steps.0.email.subject', line: 1, column: 12 });
      expect(subject!.message).toMatch(
        /^Wiersz 1, kolumna 12: nieznany shortcode \[order_numbr\]\. Czy chodziło o \[order_number\]\? Dostępne shortcody: /,
      );
      expect(subject!.message).toContain('[order_number]');
      expect(subject!.message).toContain('[customer_first_name]');
      expect(body).toMatchObject({ field: 'steps.0.email.body', line: 2, column: 1 });
      expect(body!.message).toBe(
        'Wiersz 2, kolumna 1: w [payment_link brakuje zamykającego nawiasu ] — napisz [payment_link], aby shortcode został zastąpiony treścią, a nie pokazany dosłownie ani nie wchłonął tekstu, który po nim następuje.',
      );
      expect(offline).toMatchObject({ field: 'steps.0.email.offlineBody', code: 'wrong_context', line: 1, column: 1 });
      expect(offline!.message).toMatch(/^Wiersz 1, kolumna 1: \[bank_details\] wstawia konta bankowe .* Użyj \[payment_instructions\]/);
    });

    it('refuses a number out of its field’s range and an empty field in Polish, on the flow, recovery, campaign and segment paths', async () => {
      const flow = await said('pl', 'put', '/api/flows/unpaid-order', {
        definition: { ...unpaid, steps: [{ ...unpaid.steps[0]!, email: { ...unpaid.steps[0]!.email!, subject: '' } }], holdOutPercent: 80 },
        enabled: true,
      });
      expect(flow.details).toEqual([
        { field: 'steps.0.email.subject', message: 'Pole „temat” jest puste.' },
        { field: 'holdOutPercent', message: 'Wpisz liczbę całkowitą od 0 do 50.' },
      ]);

      const grace = await said('pl', 'put', '/api/settings/recovery', { ...DEFAULT_RECOVERY, linkGraceHours: 721 });
      expect(grace.details).toEqual([{ field: 'linkGraceHours', message: 'Wpisz liczbę całkowitą od 1 do 720.' }]);

      const campaign = await said('pl', 'post', '/api/campaigns', {
        name: ' ',
        step: { delay: { value: 0, unit: 'minutes' }, channels: [] },
      });
      expect(campaign.details).toEqual([
        { field: 'name', message: 'Pole „nazwa” jest puste.' },
        { field: 'step.channels', message: 'Pole „kanały”: potrzeba co najmniej 1.' },
      ]);

      const segments = await said('pl', 'put', '/api/settings/segments', { vipTopPercent: 250 });
      expect(segments.details).toContainEqual({ field: 'vipTopPercent', message: 'Wpisz liczbę od 0 do 100.' });
    });

    it('gives the shortcode catalogue’s hints in Polish too: what a campaign cannot print, and why a coupon shortcode prints nothing', async () => {
      const step = {
        delay: { value: 0, unit: 'minutes' },
        channels: ['email'],
        email: { subject: 'Nowości', body: '[order_number] [coupon_code]' },
      };
      const error = await said('pl', 'post', '/api/campaigns', { name: 'Nowości', step });
      expect(error.details.map((d: { field: string; message: string }) => [d.field, d.message])).toEqual([
        [
          'step.email.body',
          'Wiersz 1, kolumna 1: [order_number] nie może być użyty w tekście dla klienta (odzyskiwanie klientów, program lojalnościowy, kampanie: bez zamówienia i koszyka). ' +
            '[order_number] dotyczy jednego zamówienia, a wiadomość do klienta (odzyskiwanie klientów, program lojalnościowy, kampania) go nie ma. ' +
            'Zwróć się raczej do klienta: [customer_first_name], kupon kroku ([coupon_code]), jeśli krok go oferuje, saldo ([points_balance]) w scenariuszu uruchamianym przez zdarzenie programu lojalnościowego.',
        ],
        [
          'step.email.body',
          'Wiersz 1, kolumna 16: [coupon_code] pokazuje osobisty kupon kroku, a ten krok go nie oferuje, więc nic by się nie pojawiło: dodaj kupon do kroku albo usuń shortcode.',
        ],
      ]);
    });

    it('refuses a send window and a flow’s purpose in Polish, the schema’s own words', async () => {
      const late = await said('pl', 'put', '/api/flows/unpaid-order', {
        definition: { ...unpaid, sendWindow: { start: '9 rano', end: '20:00' } },
        enabled: true,
      });
      expect(late.details).toEqual([{ field: 'sendWindow.start', message: 'godzina w formacie 09:00' }]);
      const closed = await said('pl', 'put', '/api/flows/unpaid-order', {
        definition: { ...unpaid, sendWindow: { start: '09:00', end: '09:00' } },
        enabled: true,
      });
      expect(closed.details).toEqual([{ field: 'sendWindow', message: 'okno otwiera się i zamyka o tej samej godzinie' }]);
      const winBack = PRESETS['win-back'];
      const purpose = await said('pl', 'put', '/api/flows/win-back', { definition: { ...winBack, purpose: 'order' }, enabled: false });
      expect(purpose.details).toEqual([
        {
          field: 'purpose',
          message: 'Te wiadomości nie dotyczą złożonego przez klienta zamówienia: ich cel to marketing, który wymaga zgody klienta.',
        },
      ]);
    });

    it('stays English without the header, for a language without a translation, and for the next request', async () => {
      for (const language of [null, 'de-DE,de;q=0.9', '*']) {
        const error = await said(language, 'put', '/api/flows/unpaid-order', brokenFlow);
        expect(error.message).toBe("3 problems in the flow's texts");
        expect(error.details[0]!.message).toMatch(
          /^Line 1, column 12: unknown shortcode \[order_numbr\]\. Did you mean \[order_number\]\? Valid shortcodes: /,
        );
        const grace = await said(language, 'put', '/api/settings/recovery', { ...DEFAULT_RECOVERY, linkGraceHours: 721 });
        expect(grace.details).toEqual([{ field: 'linkGraceHours', message: 'Enter a whole number from 1 to 720.' }]);
      }
    });

    it('keeps each request in its own language when Polish and English requests run at once', async () => {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          said(i % 2 ? 'pl' : 'en', 'put', '/api/settings/recovery', { ...DEFAULT_RECOVERY, linkGraceHours: 0 }),
        ),
      );
      answers.forEach((error, i) =>
        expect(error.details[0]!.message).toBe(i % 2 ? 'Wpisz liczbę całkowitą od 1 do 720.' : 'Enter a whole number from 1 to 720.'),
      );
    });
  });
});
