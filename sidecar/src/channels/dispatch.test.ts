import { describe, expect, it } from 'vitest';
import { defaultBackoff } from './dispatch.ts';

describe('defaultBackoff', () => {
  it('doubles from one minute and stops at six hours', () => {
    expect([1, 2, 3, 4].map(defaultBackoff)).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(defaultBackoff(30)).toBe(6 * 60 * 60_000);
  });
});
