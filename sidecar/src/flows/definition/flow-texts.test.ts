import { shortcodesFor } from '@comeback/shortcodes';
import { describe, expect, it } from 'vitest';
import { flowTemplateErrors, textContextOf, textFacts } from './flow-texts.ts';
import { PRESETS } from './presets.ts';

describe('what a flow’s texts may say', () => {
  it('accepts every shipped preset as it is', () => {
    for (const [key, flow] of Object.entries(PRESETS)) expect(flowTemplateErrors(flow), key).toEqual([]);
  });

  it('knows a parcel only once the order shipped or was completed, loyalty data only in loyalty-event flows', () => {
    const noCoupon = { coupon: undefined };
    expect(textFacts('order.unpaid', noCoupon)).toEqual([]);
    expect(textFacts('order.placed', noCoupon)).toEqual([]);
    expect(textFacts('order.shipped', noCoupon)).toEqual(['tracking']);
    expect(textFacts('order.completed', noCoupon)).toEqual(['tracking']);
    expect(textFacts('campaign', noCoupon)).toEqual([]);
    expect(textFacts('customer.lapsed', PRESETS['win-back'].steps[0])).toEqual(['coupon']);
    expect(textFacts('customer.birthday', noCoupon)).toEqual(['loyalty']);
    expect(textFacts('voucher.expiring', noCoupon)).toEqual(['loyalty', 'voucher']);
    expect(textFacts('nps.requested', noCoupon)).toEqual(['loyalty', 'nps']);
  });

  it('offers an unpaid reminder without a coupon neither coupon nor tracking, and a campaign no loyalty data', () => {
    const names = (event: Parameters<typeof textContextOf>[0], part: 'subject' | 'body' | 'offlineBody') =>
      shortcodesFor(textContextOf(event, part, undefined)).map((s) => s.name);
    expect(names('order.unpaid', 'body')).toContain('payment_link');
    expect(names('order.unpaid', 'offlineBody')).toContain('bank_details');
    for (const name of ['coupon_code', 'tracking_number', 'tracking_link']) expect(names('order.unpaid', 'body')).not.toContain(name);
    for (const name of ['points_balance', 'cashback_balance', 'portal_link', 'voucher_code', 'nps_link'])
      expect(names('campaign', 'body')).not.toContain(name);
    expect(names('balance.updated', 'body')).toEqual(expect.arrayContaining(['points_balance', 'cashback_balance', 'portal_link']));
  });
});
