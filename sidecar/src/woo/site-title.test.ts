import { describe, expect, it } from 'vitest';
import { siteTimeZone } from './site-title.ts';

describe('the shop’s time zone from WordPress’s REST index (wp_timezone_string())', () => {
  it('is the city when the site has one, else its UTC offset as +HH:MM', () => {
    expect(siteTimeZone('Europe/Warsaw', '1')).toBe('Europe/Warsaw');
    expect(siteTimeZone('', '5.5')).toBe('+05:30');
    expect(siteTimeZone('', 5.75)).toBe('+05:45');
    expect(siteTimeZone('', '-9.5')).toBe('-09:30');
    expect(siteTimeZone('', '-3')).toBe('-03:00');
    expect(siteTimeZone('', '0')).toBe('+00:00');
  });

  it('is unknown when the index says neither', () => {
    expect(siteTimeZone(undefined, undefined)).toBeNull();
    expect(siteTimeZone('', '')).toBeNull();
    expect(siteTimeZone(null, 'east')).toBeNull();
  });
});
