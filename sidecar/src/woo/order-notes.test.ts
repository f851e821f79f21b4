import { describe, expect, it } from 'vitest';
import { noteText } from './order-notes.ts';

describe('order note texts', () => {
  it('name the flow, the reminder (counted from 1) and the channel', () => {
    expect(noteText({ kind: 'sent', step: 1, channel: 'sms', flowName: 'Unpaid orders' })).toBe(
      'Comeback: reminder 2 of “Unpaid orders” sent by SMS.',
    );
    expect(noteText({ kind: 'clicked', step: 0, channel: 'whatsapp', flowName: 'Unpaid orders' })).toBe(
      'Comeback: the payment link in reminder 1 of “Unpaid orders” (WhatsApp) was clicked.',
    );
  });

  it('escape the merchant’s flow name (WooCommerce shows notes as HTML)', () => {
    expect(noteText({ kind: 'recovered', step: 0, channel: 'email', flowName: '<b>Tom & Jerry</b>' })).toBe(
      'Comeback: order recovered — paid after reminder 1 of “&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;” (email), which is credited.',
    );
  });
});
