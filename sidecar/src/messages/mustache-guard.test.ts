import { describe, expect, it } from 'vitest';
import { formatOrderDate } from './date-format.ts';
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

describe('formatOrderDate', () => {
  const date = new Date('2025-03-01T09:05:07Z');
  it('supports WordPress format letters and backslash escapes', () => {
    expect(formatOrderDate(date, 'en_US', 'UTC', 'D, jS M y \\a\\t g:i:s A (N/w) \\F')).toBe('Sat, 1st Mar 25 at 9:05:07 AM (6/6) F');
    expect(formatOrderDate(date, 'fr_FR', 'UTC', 'l j F Y')).toBe('samedi 1 mars 2025');
  });
  it('falls back to the long date style, English and UTC for bad settings', () => {
    expect(formatOrderDate(date, 'nl_NL', 'Europe/Amsterdam')).toBe('1 maart 2025');
    expect(formatOrderDate(date, '!!', 'Not/AZone', 'd/m/Y H:i')).toBe('01/03/2025 09:05');
  });
});
