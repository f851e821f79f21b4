import { describe, expect, it } from 'vitest';
import { parseFlowDefinition, type FlowDefinition } from '../definition/flow-definition.ts';
import { inAudience, type SubjectFacts } from './enrollment.ts';

/** A minimal valid flow with the given audience (the schema fills the audience's defaults). */
const flowWith = (audience: Record<string, unknown>): FlowDefinition =>
  parseFlowDefinition({
    name: 'test',
    purpose: 'marketing',
    trigger: { event: 'order.placed' },
    audience,
    steps: [{ delay: { value: 0, unit: 'minutes' }, channels: ['email'], email: { subject: 's', body: 'b' } }],
  });

const facts = (f: Partial<SubjectFacts> = {}): SubjectFacts => ({ customerKey: 'e:ann@example.com', country: 'PL', total: 100, ...f });

describe('inAudience', () => {
  it('an empty audience lets everyone in: no country, no key, total 0, no tags', () => {
    const flow = flowWith({});
    expect(inAudience(flow, facts())).toBe(true);
    expect(inAudience(flow, { customerKey: null, country: null, total: 0 })).toBe(true);
  });

  describe('minTotal', () => {
    const flow = flowWith({ minTotal: 100 });
    it('below (99.99 < 100) → out', () => expect(inAudience(flow, facts({ total: 99.99 }))).toBe(false));
    it('equal (100) → in: the minimum is inclusive', () => expect(inAudience(flow, facts({ total: 100 }))).toBe(true));
    it('above (250) → in', () => expect(inAudience(flow, facts({ total: 250 }))).toBe(true));
    it('minTotal 0 lets a free order in (0 is not < 0)', () =>
      expect(inAudience(flowWith({ minTotal: 0 }), facts({ total: 0 }))).toBe(true));
  });

  describe('countries', () => {
    const flow = flowWith({ countries: ['PL', 'DE'] });
    it('a listed country (DE) → in', () => expect(inAudience(flow, facts({ country: 'DE' }))).toBe(true));
    it('an unlisted country (FR) → out', () => expect(inAudience(flow, facts({ country: 'FR' }))).toBe(false));
    it('no country known (null) → out once the list is non-empty', () => expect(inAudience(flow, facts({ country: null }))).toBe(false));
    it('matching is exact: lower-case "pl" is not PL', () => expect(inAudience(flow, facts({ country: 'pl' }))).toBe(false));
  });

  describe('tags (any of) and excludeTags', () => {
    const flow = flowWith({ tags: ['vip', 'wholesale'] });
    it('one of the tags (wholesale) → in', () => expect(inAudience(flow, facts(), ['new', 'wholesale'])).toBe(true));
    it('none of the tags → out', () => expect(inAudience(flow, facts(), ['new'])).toBe(false));
    it('no tags at all (the default) → out', () => expect(inAudience(flow, facts())).toBe(false));
    it('an excluded tag keeps a customer out', () =>
      expect(inAudience(flowWith({ excludeTags: ['blocked'] }), facts(), ['blocked'])).toBe(false));
    it('excludeTags alone: a customer without the excluded tag (or without tags) is in', () => {
      const excluding = flowWith({ excludeTags: ['blocked'] });
      expect(inAudience(excluding, facts(), ['vip'])).toBe(true);
      expect(inAudience(excluding, facts())).toBe(true);
    });
    it('excludeTags wins over a matching tag: vip but also blocked → out', () => {
      expect(inAudience(flowWith({ tags: ['vip'], excludeTags: ['blocked'] }), facts(), ['vip', 'blocked'])).toBe(false);
    });
  });

  it('every rule must hold: meeting countries and tags but not minTotal → out; all three → in', () => {
    const flow = flowWith({ minTotal: 50, countries: ['PL'], tags: ['vip'] });
    expect(inAudience(flow, facts({ total: 49 }), ['vip'])).toBe(false);
    expect(inAudience(flow, facts({ country: 'CZ' }), ['vip'])).toBe(false);
    expect(inAudience(flow, facts(), ['other'])).toBe(false);
    expect(inAudience(flow, facts({ total: 50 }), ['vip'])).toBe(true);
  });
});
