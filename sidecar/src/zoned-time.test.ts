import { describe, expect, it } from 'vitest';
import { instantOfWallClock, localParts, wallClockInput } from './zoned-time.ts';

describe('wall-clock time in a zone', () => {
  it('reads a datetime-local value on the shop’s clock, winter and summer, whatever the machine’s zone', () => {
    expect(instantOfWallClock('2027-01-15T09:00', 'Europe/Warsaw')?.toISOString()).toBe('2027-01-15T08:00:00.000Z');
    expect(instantOfWallClock('2027-07-15T09:00', 'Europe/Warsaw')?.toISOString()).toBe('2027-07-15T07:00:00.000Z');
    expect(instantOfWallClock('2027-01-15T09:00', 'America/New_York')?.toISOString()).toBe('2027-01-15T14:00:00.000Z');
    expect(instantOfWallClock('', 'Europe/Warsaw')).toBeNull();
    expect(instantOfWallClock('tomorrow', 'Europe/Warsaw')).toBeNull();
  });

  it('shows an instant as the shop’s clock does, the way back', () => {
    expect(wallClockInput(new Date('2027-01-15T08:00:00Z'), 'Europe/Warsaw')).toBe('2027-01-15T09:00');
    expect(wallClockInput(new Date('2027-01-15T23:30:00Z'), 'Europe/Warsaw')).toBe('2027-01-16T00:30');
  });

  it('takes a fixed offset, as WordPress reports a site set to one (wp_timezone_string(): "+05:30")', () => {
    expect(localParts(new Date('2027-01-15T20:00:00Z'), '+05:30')).toEqual({ y: 2027, m: 1, d: 16, minutes: 90 });
    expect(instantOfWallClock('2027-01-15T09:00', '-03:00')?.toISOString()).toBe('2027-01-15T12:00:00.000Z');
    expect(wallClockInput(new Date('2027-01-15T12:00:00Z'), '-03:00')).toBe('2027-01-15T09:00');
  });
});
