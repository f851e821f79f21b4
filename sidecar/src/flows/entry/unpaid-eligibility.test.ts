import { describe, expect, it } from 'vitest';
import { classifyGateway, decideUnpaid, type OrderFacts } from './unpaid-eligibility.ts';

// A settings-shaped gateway list like the shipped default (online entries are informational:
// anything not never/offline is online).
const GATEWAYS = { online: ['payu*', 'stripe*'], offline: ['bacs', 'cheque'], never: ['cod'] };
const none = { online: [], offline: [], never: [] };

const order = (o: Partial<OrderFacts>): OrderFacts => ({
  status: 'pending',
  paymentMethod: 'payustandard',
  total: 120,
  datePaid: null,
  ...o,
});

describe('classifyGateway', () => {
  it('an empty payment method is never, even when no list names it', () => {
    expect(classifyGateway('', none)).toBe('never');
    expect(classifyGateway('', GATEWAYS)).toBe('never');
  });

  it('cod is in the never list → never', () => {
    expect(classifyGateway('cod', GATEWAYS)).toBe('never');
  });

  it('bacs and cheque (exact ids in the offline list) → offline', () => {
    expect(classifyGateway('bacs', GATEWAYS)).toBe('offline');
    expect(classifyGateway('cheque', GATEWAYS)).toBe('offline');
  });

  it('a gateway no list names is online (przelewy24, and anything with empty lists)', () => {
    expect(classifyGateway('przelewy24', GATEWAYS)).toBe('online');
    expect(classifyGateway('bacs', none)).toBe('online');
  });

  it('an exact pattern is not a prefix: bacs does not match bacs_pl', () => {
    expect(classifyGateway('bacs_pl', GATEWAYS)).toBe('online');
  });

  it('payu* matches ids starting with "payu" (payustandard, payu itself) and nothing else', () => {
    const g = { online: [], offline: ['payu*'], never: [] };
    expect(classifyGateway('payustandard', g)).toBe('offline');
    expect(classifyGateway('payu', g)).toBe('offline'); // prefix "payu" + nothing
    expect(classifyGateway('xpayu', g)).toBe('online'); // contains, but does not start with, payu
    expect(classifyGateway('PAYUstandard', g)).toBe('online'); // matching is case-sensitive
  });

  it('a prefix pattern in the never list: pay_on_pickup* catches pay_on_pickup_store', () => {
    expect(classifyGateway('pay_on_pickup_store', { online: [], offline: [], never: ['pay_on_pickup*'] })).toBe('never');
  });

  it('a lone * matches every (non-empty) id', () => {
    expect(classifyGateway('anything', { online: [], offline: ['*'], never: [] })).toBe('offline');
  });

  it('never is checked before offline: an id in both is never', () => {
    expect(classifyGateway('bank_transfer', { online: [], offline: ['bank_transfer'], never: ['bank*'] })).toBe('never');
  });

  it('the online list does not take an id out of offline: listed in both → offline', () => {
    expect(classifyGateway('bacs', { online: ['bacs'], offline: ['bacs'], never: [] })).toBe('offline');
  });
});

describe('decideUnpaid', () => {
  describe('enters', () => {
    it('an online gateway, pending → enter online', () => {
      expect(decideUnpaid(order({ status: 'pending', paymentMethod: 'payustandard' }), GATEWAYS)).toEqual({
        kind: 'enter',
        gateway: 'online',
      });
    });
    it('an online gateway, failed → enter online', () => {
      expect(decideUnpaid(order({ status: 'failed', paymentMethod: 'stripe_cc' }), GATEWAYS)).toEqual({ kind: 'enter', gateway: 'online' });
    });
    it('an unlisted gateway counts as online: przelewy24 pending → enter online', () => {
      expect(decideUnpaid(order({ status: 'pending', paymentMethod: 'przelewy24' }), GATEWAYS)).toEqual({
        kind: 'enter',
        gateway: 'online',
      });
    });
    it('bacs on-hold → enter offline', () => {
      expect(decideUnpaid(order({ status: 'on-hold', paymentMethod: 'bacs' }), GATEWAYS)).toEqual({ kind: 'enter', gateway: 'offline' });
    });
    it('cheque pending → enter offline', () => {
      expect(decideUnpaid(order({ status: 'pending', paymentMethod: 'cheque' }), GATEWAYS)).toEqual({ kind: 'enter', gateway: 'offline' });
    });
    it('the smallest positive total (0.01) is not free → enter', () => {
      expect(decideUnpaid(order({ total: 0.01 }), GATEWAYS)).toEqual({ kind: 'enter', gateway: 'online' });
    });
  });

  describe('ignores', () => {
    it('an online gateway on-hold (held for review, not awaiting payment) → ignore', () => {
      expect(decideUnpaid(order({ status: 'on-hold', paymentMethod: 'payustandard' }), GATEWAYS)).toEqual({ kind: 'ignore' });
    });
    it('an offline gateway failed → ignore (only on-hold and pending count for offline)', () => {
      expect(decideUnpaid(order({ status: 'failed', paymentMethod: 'bacs' }), GATEWAYS)).toEqual({ kind: 'ignore' });
    });
    it('checkout-draft, online or offline → ignore', () => {
      expect(decideUnpaid(order({ status: 'checkout-draft', paymentMethod: 'payustandard' }), GATEWAYS)).toEqual({ kind: 'ignore' });
      expect(decideUnpaid(order({ status: 'checkout-draft', paymentMethod: 'bacs' }), GATEWAYS)).toEqual({ kind: 'ignore' });
    });
    it('cash on delivery (never list), pending or on-hold → ignore', () => {
      expect(decideUnpaid(order({ status: 'pending', paymentMethod: 'cod' }), GATEWAYS)).toEqual({ kind: 'ignore' });
      expect(decideUnpaid(order({ status: 'on-hold', paymentMethod: 'cod' }), GATEWAYS)).toEqual({ kind: 'ignore' });
    });
    it('no payment method chosen, pending with a total → ignore', () => {
      expect(decideUnpaid(order({ paymentMethod: '' }), GATEWAYS)).toEqual({ kind: 'ignore' });
    });
    it('a free order (total 0) → ignore, online pending and offline on-hold alike', () => {
      expect(decideUnpaid(order({ total: 0 }), GATEWAYS)).toEqual({ kind: 'ignore' });
      expect(decideUnpaid(order({ total: 0, status: 'on-hold', paymentMethod: 'bacs' }), GATEWAYS)).toEqual({ kind: 'ignore' });
    });
    it('a negative or unreadable (NaN) total is not > 0 → ignore', () => {
      expect(decideUnpaid(order({ total: -5 }), GATEWAYS)).toEqual({ kind: 'ignore' });
      expect(decideUnpaid(order({ total: Number.NaN }), GATEWAYS)).toEqual({ kind: 'ignore' });
    });
    it('failed-permanently is not one of the gone statuses here → ignore, not exit', () => {
      expect(decideUnpaid(order({ status: 'failed-permanently' }), GATEWAYS)).toEqual({ kind: 'ignore' });
    });
  });

  describe('exits', () => {
    it('a date_paid on a still-pending order → exit paid', () => {
      expect(decideUnpaid(order({ status: 'pending', datePaid: new Date('2025-01-15T10:00:00Z') }), GATEWAYS)).toEqual({
        kind: 'exit',
        reason: 'paid',
      });
    });
    it('a paid status without a date_paid (processing, completed) → exit paid', () => {
      expect(decideUnpaid(order({ status: 'processing' }), GATEWAYS)).toEqual({ kind: 'exit', reason: 'paid' });
      expect(decideUnpaid(order({ status: 'completed' }), GATEWAYS)).toEqual({ kind: 'exit', reason: 'paid' });
    });
    it('paid is checked first: a cancelled (or refunded) order that carries a date_paid → exit paid', () => {
      const datePaid = new Date('2025-01-15T10:00:00Z');
      expect(decideUnpaid(order({ status: 'cancelled', datePaid }), GATEWAYS)).toEqual({ kind: 'exit', reason: 'paid' });
      expect(decideUnpaid(order({ status: 'refunded', datePaid }), GATEWAYS)).toEqual({ kind: 'exit', reason: 'paid' });
    });
    it('paid is decided before the gateway: a cod order in processing → exit paid, not ignore', () => {
      expect(decideUnpaid(order({ status: 'processing', paymentMethod: 'cod' }), GATEWAYS)).toEqual({ kind: 'exit', reason: 'paid' });
    });
    it.each([
      ['cancelled', 'cancelled'],
      ['refunded', 'refunded'],
      ['trash', 'trashed'],
      ['deleted', 'deleted'],
    ])('gone status %s (unpaid) → exit with reason %s', (status, reason) => {
      expect(decideUnpaid(order({ status }), GATEWAYS)).toEqual({ kind: 'exit', reason });
    });
    it('gone is decided before the gateway and the total: cod, no method or a free order cancelled → exit cancelled', () => {
      expect(decideUnpaid(order({ status: 'cancelled', paymentMethod: 'cod' }), GATEWAYS)).toEqual({ kind: 'exit', reason: 'cancelled' });
      expect(decideUnpaid(order({ status: 'cancelled', paymentMethod: '' }), GATEWAYS)).toEqual({ kind: 'exit', reason: 'cancelled' });
      expect(decideUnpaid(order({ status: 'trash', total: 0 }), GATEWAYS)).toEqual({ kind: 'exit', reason: 'trashed' });
    });
    it('with empty gateway lists (how order-entry reads a gone order) the reason is still named', () => {
      expect(decideUnpaid(order({ status: 'trash', paymentMethod: 'bacs' }), none)).toEqual({ kind: 'exit', reason: 'trashed' });
    });
  });
});
