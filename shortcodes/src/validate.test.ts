import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.ts';
import { loadVectors } from './vectors.ts';
import { shortcodesFor, validate } from './validate.ts';
import { MESSAGE_FACTS, type MessageContext, type MessageFact, type TemplateContext } from './catalog.ts';

const MESSAGE_CONTEXTS: MessageContext[] = ['online', 'offline', 'cart', 'customer'];

interface ValidateVector {
  name: string;
  input: string;
  context: TemplateContext;
  facts?: MessageFact[];
  expected: { code: string; line: number; column: number; shortcode?: string }[];
}

const vectors = loadVectors<ValidateVector>('validate.json');

describe('validate vectors', () => {
  it('has unique names and enough of them', () => {
    expect(new Set(vectors.map((v) => v.name)).size).toBe(vectors.length);
    expect(vectors.length).toBeGreaterThanOrEqual(15);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const context = v.facts ? { context: v.context, facts: v.facts } : v.context;
    const errors = validate(v.input, context).map(({ code, line, column, shortcode }) => ({ code, line, column, shortcode }));
    expect(errors).toEqual(v.expected);
  });
});

describe('validate messages', () => {
  it('names an unknown shortcode with its position, a suggestion and the names that print in its text', () => {
    const [error] = validate('Hi\n  [order_numbr]', 'online');
    expect(error?.message).toContain('Line 2, column 3');
    expect(error?.message).toContain('[order_numbr]');
    expect(error?.message).toContain('Did you mean [order_number]?');
    for (const spec of catalog) expect(error?.message.includes(`[${spec.name}]`), spec.name).toBe(spec.contexts.includes('online'));
    // In a campaign: neither the loyalty program's shortcodes nor, without a coupon on the step, the coupon's.
    const [campaign] = validate('[points]', { context: 'customer', facts: [] });
    expect(campaign?.message).toContain('[customer_first_name]');
    for (const name of ['points_balance', 'voucher_code', 'nps_link', 'coupon_code', 'order_total'])
      expect(campaign?.message).not.toContain(`[${name}]`);
  });

  it('says a tag misses its ] at its line and column, with no other error for it', () => {
    const errors = validate('You ordered:\n[order_items\nTotal: [order_total]', 'any');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^Line 2, column 1: \[order_items is missing its closing \]/);
    expect(validate('Hello [customer_first_name, welcome back', 'any')[0]?.message).toContain('Line 1, column 7');
  });

  it('says why a shortcode would print nothing in its text, and what to do', () => {
    expect(validate('[coupon_code]', { context: 'online', facts: [] })[0]?.message).toContain('add a coupon to the step');
    expect(validate('[tracking_number]', { context: 'any', facts: [] })[0]?.message).toContain('flow started when an order ships');
    expect(validate('[points_balance]', { context: 'customer', facts: [] })[0]?.message).toContain('loyalty event');
    expect(validate('[nps_link]', { context: 'customer', facts: ['loyalty'] })[0]?.message).toContain('survey request');
  });

  it('offers in a text only the shortcodes that print there', () => {
    const names = (facts: MessageFact[]) => shortcodesFor({ context: 'customer', facts }).map((s) => s.name);
    expect(names([])).not.toContain('points_balance');
    expect(names([])).not.toContain('coupon_code');
    expect(names([])).toContain('customer_first_name');
    expect(names(['loyalty', 'voucher'])).toEqual(expect.arrayContaining(['points_balance', 'voucher_code']));
    expect(names(['loyalty', 'voucher'])).not.toContain('nps_link');
    expect(shortcodesFor({ context: 'customer', facts: MESSAGE_FACTS })).toEqual(shortcodesFor('customer'));
    expect(shortcodesFor('any').map((s) => s.name)).toContain('tracking_number');
  });

  it('explains why a shortcode does not fit the context and what to use instead', () => {
    expect(validate('[payment_link]', 'offline')[0]?.message).toContain('use [bank_details]');
    expect(validate('[bank_details]', 'online')[0]?.message).toContain('use [payment_link]');
  });

  it('says what to use instead in a cart text, and in an order text for cart shortcodes', () => {
    const [total] = validate('Hi\n [order_total]', 'cart');
    expect(total?.message).toContain('Line 2, column 2');
    expect(total?.message).toContain('abandoned carts');
    expect(total?.message).toContain('use [cart_total]');
    expect(validate('[order_items]', 'cart')[0]?.message).toContain('use [cart_items]');
    expect(validate('[payment_link]', 'cart')[0]?.message).toContain('use [cart_link]');
    expect(validate('[bank_details]', 'cart')[0]?.message).toContain('use [cart_link]');
    expect(validate('[cart_link]', 'online')[0]?.message).toContain('use [payment_link]');
    expect(validate('[cart_link]', 'offline')[0]?.message).toContain('use [bank_details]');
    expect(validate('[cart_items]', 'offline')[0]?.message).toContain('use [order_items]');
    expect(validate('[tracking_number]', 'cart')[0]?.message).toContain('no tracking number');
  });

  it('gives a text for any order the hint of the order context the shortcode lacks', () => {
    expect(validate('[payment_link]', 'any')[0]?.message).toContain('use [bank_details]');
    expect(validate('[bank_details]', 'any')[0]?.message).toContain('use [payment_link]');
    expect(validate('[cart_total]', 'any')[0]?.message).toContain('use [order_total]');
  });

  it('lists the attributes a shortcode does take', () => {
    expect(validate('[payment_link txt="x"]', 'online')[0]?.message).toContain('text="…"');
    expect(validate('[order_number a=1]', 'online')[0]?.message).toContain('takes no attributes');
  });

  it('reports a missing required attribute', () => {
    const custom = [
      {
        name: 'x',
        description: '',
        attributes: [{ name: 'id', description: '', required: true }],
        example: '[x id="1"]',
        contexts: ['online' as const],
      },
    ];
    expect(validate('[x]', 'online', custom).map((e) => e.code)).toEqual(['missing_attribute']);
    expect(validate('[x id=1]', 'online', custom)).toEqual([]);
  });
});

describe('catalog', () => {
  it('is well-formed', () => {
    const names = catalog.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const spec of catalog) {
      expect(spec.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(spec.description.length).toBeGreaterThan(20);
      expect(spec.contexts.length).toBeGreaterThan(0);
      for (const a of spec.attributes) expect(a.name).toMatch(/^[a-z][a-z0-9_]*$/);
      // Every example must itself be a valid template in the shortcode's own contexts.
      for (const context of spec.contexts) expect(validate(spec.example, context)).toEqual([]);
      if (spec.needs) expect(spec.needs.why).toContain(`[${spec.name}]`);
      // Wherever it does not fit, the editor is told what to use instead.
      for (const context of MESSAGE_CONTEXTS) {
        if (spec.contexts.includes(context)) expect(spec.wrongContextHint?.[context], `${spec.name} in ${context}`).toBeUndefined();
        else expect(spec.wrongContextHint?.[context]?.length ?? 0, `${spec.name} in ${context}`).toBeGreaterThan(20);
      }
    }
  });
});
