import { describe, expect, it } from 'vitest';
import { decideConsent, mayContact, type ConsentRequest, type CurrentConsent } from './consent-rules.ts';

const at = new Date('2026-03-05T10:00:00Z');
const withdrawnBy = (source: string): CurrentConsent => ({ status: 'withdrawn', source, changedAt: at });
const grant = (source: ConsentRequest['source'], extra: Partial<ConsentRequest> = {}): ConsentRequest => ({
  purpose: 'cart',
  channel: 'email',
  status: 'granted',
  source,
  ...extra,
});
const on = { doubleOptIn: true };

describe('consent rules', () => {
  it('lets nothing but the same person lift the customer’s own withdrawal', () => {
    for (const source of ['checkout', 'import', 'admin'] as const)
      expect(decideConsent(withdrawnBy('unsubscribe'), grant(source), on)).toEqual({
        kind: 'refuse',
        reason: 'withdrawn by the customer on 2026-03-05; only the customer can opt in again',
      });
    expect(decideConsent(withdrawnBy('unsubscribe'), grant('double-opt-in'), on)).toEqual({ kind: 'apply', status: 'granted' });
    expect(decideConsent(withdrawnBy('unsubscribe'), grant('my-account', { userId: 7 }), on)).toEqual({ kind: 'apply', status: 'granted' });
    expect(decideConsent(withdrawnBy('unsubscribe'), grant('my-account'), on).kind).toBe('refuse');
    // The shop may undo its own withdrawal, never the customer's.
    expect(decideConsent({ ...withdrawnBy('admin'), reason: 'typo' }, grant('admin'), on)).toEqual({ kind: 'apply', status: 'granted' });
  });

  it('lets START lift only a STOP (or the provider’s opt-out) of that number, and grant nothing without one', () => {
    const start = grant('keyword', { channel: 'sms', purpose: 'marketing' });
    expect(decideConsent(withdrawnBy('keyword'), start, on)).toEqual({ kind: 'apply', status: 'granted' });
    expect(decideConsent(withdrawnBy('provider-opt-out'), start, on)).toEqual({ kind: 'apply', status: 'granted' });
    expect(decideConsent(withdrawnBy('admin'), start, on).kind).toBe('refuse');
    expect(decideConsent(undefined, start, on)).toEqual({
      kind: 'refuse',
      reason: 'START lifts only an earlier STOP from the same number; there is none',
    });
  });

  it('holds a marketing email grant for the double opt-in click, and only that one', () => {
    const marketing = grant('checkout', { purpose: 'marketing' });
    expect(decideConsent(undefined, marketing, on)).toEqual({ kind: 'pending', showPending: true });
    expect(decideConsent(undefined, marketing, { doubleOptIn: false })).toEqual({ kind: 'apply', status: 'granted' });
    expect(decideConsent(undefined, grant('import', { purpose: 'marketing' }), on)).toEqual({ kind: 'apply', status: 'granted' });
    expect(decideConsent(undefined, grant('checkout', { purpose: 'marketing', channel: 'sms' }), on)).toEqual({
      kind: 'apply',
      status: 'granted',
    });
    expect(decideConsent({ status: 'granted', source: 'import', changedAt: at }, marketing, on)).toEqual({ kind: 'keep' });
  });

  it('keeps the first withdrawal, and never lets a bounce replace one', () => {
    const withdraw: ConsentRequest = { purpose: 'cart', channel: 'email', status: 'withdrawn', source: 'admin' };
    expect(decideConsent(withdrawnBy('unsubscribe'), withdraw, on)).toEqual({ kind: 'keep' });
    expect(decideConsent(withdrawnBy('unsubscribe'), { ...withdraw, status: 'bounced', source: 'bounce' }, on)).toEqual({ kind: 'keep' });
  });

  it('sends by purpose: order email needs no opt-in, cart and marketing need their own grant, SMS always one', () => {
    expect(mayContact('email', 'order', undefined)).toEqual({ ok: true });
    expect(mayContact('email', 'cart', undefined)).toEqual({ ok: false, reason: 'no_consent' });
    expect(mayContact('email', 'marketing', { status: 'pending', source: 'checkout', changedAt: at })).toEqual({
      ok: false,
      reason: 'no_consent',
    });
    expect(mayContact('sms', 'order', undefined)).toEqual({ ok: false, reason: 'no_consent' });
    expect(mayContact('email', 'order', withdrawnBy('unsubscribe'))).toEqual({ ok: false, reason: 'withdrawn' });
    expect(mayContact('email', 'order', { status: 'bounced', source: 'bounce', changedAt: at })).toEqual({ ok: true });
    expect(mayContact('email', 'cart', { status: 'bounced', source: 'bounce', changedAt: at })).toEqual({ ok: false, reason: 'bounced' });
  });
});
