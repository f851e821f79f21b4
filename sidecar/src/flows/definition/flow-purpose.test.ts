import { describe, expect, it } from 'vitest';
import { checkedFlowDefinitionSchema, parseFlowDefinition, PRESET_PURPOSE } from './flow-definition.ts';
import { PRESETS } from './presets.ts';

describe('a flow’s purpose', () => {
  it('is declared by every preset as its trigger says: orders, carts, and marketing for the rest', () => {
    for (const flow of Object.values(PRESETS)) expect(flow.purpose, flow.name).toBe(PRESET_PURPOSE[flow.trigger.event]);
    expect(PRESETS['unpaid-order'].purpose).toBe('order');
    expect(PRESETS['abandoned-cart'].purpose).toBe('cart');
    for (const key of [
      'win-back',
      'birthday',
      'nps-survey',
      'voucher-issued',
      'voucher-expiring',
      'balance-reminder',
      'post-sale',
    ] as const)
      expect(PRESETS[key].purpose, key).toBe('marketing');
  });

  it('may not be order for loyalty, NPS, voucher, balance, win-back or campaign flows, with a plain reason', () => {
    for (const key of ['nps-survey', 'voucher-issued', 'balance-reminder', 'win-back', 'birthday'] as const) {
      const parsed = checkedFlowDefinitionSchema.safeParse({ ...PRESETS[key], purpose: 'order' });
      expect(parsed.success, key).toBe(false);
      expect(parsed.error!.issues).toEqual([
        expect.objectContaining({
          path: ['purpose'],
          message:
            'These messages are not about an order the customer placed: their purpose is marketing, which needs the customer’s opt-in.',
        }),
      ]);
    }
    expect(checkedFlowDefinitionSchema.safeParse({ ...PRESETS['order-confirmation'], purpose: 'order' }).success).toBe(true);
  });

  it('of a flow stored before purposes were per consent is its preset’s', () => {
    const { purpose: _drop, ...unpaid } = PRESETS['unpaid-order'];
    expect(parseFlowDefinition(unpaid).purpose).toBe('order');
    expect(parseFlowDefinition({ ...PRESETS['unpaid-order'], purpose: 'transactional' }).purpose).toBe('order');
    // NPS and vouchers were stored as transactional: they are marketing now.
    expect(parseFlowDefinition({ ...PRESETS['nps-survey'], purpose: 'transactional' }).purpose).toBe('marketing');
    // A cart flow stored as marketing took the checkout's cart box as its opt-in: it is a cart flow.
    expect(parseFlowDefinition({ ...PRESETS['abandoned-cart'], purpose: 'marketing' }).purpose).toBe('cart');
  });
});
