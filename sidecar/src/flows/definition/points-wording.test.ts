import { describe, expect, it } from 'vitest';
import { PRESETS } from './presets.ts';
import { parseFlowDefinition } from './flow-definition.ts';

describe('texts stored when [points_balance] printed a bare number', () => {
  it('read "[points_balance] points" as "[points_balance]", which says its noun itself, in every text of a stored balance flow', () => {
    const balance = PRESETS['balance-reminder'];
    const step = balance.steps[0]!;
    const stored = {
      ...balance,
      steps: [
        {
          ...step,
          email: { subject: 'Your [points_balance]  points', body: 'You have [points_balance] points and [cashback_balance] cashback.' },
          sms: { body: '[shop_name]: you have [points_balance] points to spend. Reply STOP to opt out.' },
          whatsapp: { ...step.whatsapp!, text: { body: 'Hi, [points_balance] points are yours. Reply STOP to opt out.' } },
        },
      ],
    };
    const read = parseFlowDefinition(stored).steps[0]!;
    expect(read.email).toMatchObject({
      subject: 'Your [points_balance]',
      body: 'You have [points_balance] and [cashback_balance] cashback.',
    });
    expect(read.sms!.body).toBe('[shop_name]: you have [points_balance] to spend. Reply STOP to opt out.');
    expect(read.whatsapp!.text.body).toBe('Hi, [points_balance] are yours. Reply STOP to opt out.');
    expect(read.whatsapp!.template).toEqual(step.whatsapp!.template);
  });

  it('leaves every other text as written, the shipped presets included', () => {
    for (const [key, flow] of Object.entries(PRESETS)) expect(parseFlowDefinition(flow), key).toEqual(flow);
    const step = PRESETS['balance-reminder'].steps[0]!;
    const own = {
      ...PRESETS['balance-reminder'],
      steps: [{ ...step, sms: { body: 'Points: [points_balance]. [points_balance]pointsX' } }],
    };
    expect(parseFlowDefinition(own).steps[0]!.sms!.body).toBe('Points: [points_balance]. [points_balance]pointsX');
  });
});
