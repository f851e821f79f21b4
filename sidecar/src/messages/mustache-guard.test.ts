import { describe, expect, it } from 'vitest';
import { guardMustaches } from './mustache-guard.ts';

describe('guardMustaches', () => {
  it('hides every mustache, string literals with braces included, and restores them', () => {
    const src = '<p>{{shop.name}} {{{sc_x text="a}}b \\"c\\" </p>"}}} {{lookup "{" 0}}{{#if y}}z{{/if}}</p>';
    const { guarded, restore } = guardMustaches(src);
    expect(guarded).not.toContain('{{');
    expect(guarded).not.toContain('</p>"');
    expect(restore(guarded)).toBe(src);
  });

  it('fails loudly when a mustache is lost', () => {
    const { guarded, restore } = guardMustaches('a {{x}} b {{y}}');
    expect(() => restore(guarded.replace(/cbhb\w+?n1x/, ''))).toThrow(/\{\{y\}\}/);
  });
});
