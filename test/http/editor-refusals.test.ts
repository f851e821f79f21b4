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
  const refusal = async (path: string, body: object, method: 'put' | 'post' = 'put') =>
    (await admin(method, path).send(body).expect(400)).body.error;
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
});
