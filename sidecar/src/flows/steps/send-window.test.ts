import { describe, expect, it } from 'vitest';
import { nextSendTime, spreadInWindow } from './send-window.ts';

const at = (iso: string) => new Date(iso);
const WARSAW = 'Europe/Warsaw'; // CET = UTC+1, CEST = UTC+2 (2025: CEST from 30 Mar 01:00Z to 26 Oct 01:00Z)
const NEW_YORK = 'America/New_York'; // EST = UTC−5, EDT = UTC−4 (2025: EDT from 9 Mar 07:00Z to 2 Nov 06:00Z)
const TOKYO = 'Asia/Tokyo'; // JST = UTC+9, no DST
const DAY = { start: '09:00', end: '20:00' };
const NIGHT = { start: '22:00', end: '06:00' };

describe('nextSendTime', () => {
  it('no window: now, as given', () => {
    const now = at('2025-01-15T03:00:00Z');
    expect(nextSendTime(now, null, WARSAW)).toBe(now);
  });

  describe('a day window 09:00–20:00 in Warsaw, winter (UTC+1)', () => {
    it('inside (11:00 local = 10:00Z) → now', () => {
      const now = at('2025-01-15T10:00:00Z');
      expect(nextSendTime(now, DAY, WARSAW)).toBe(now);
    });
    it('the opening minute belongs to the window (09:00 local = 08:00Z) → now', () => {
      const now = at('2025-01-15T08:00:00Z');
      expect(nextSendTime(now, DAY, WARSAW)).toBe(now);
    });
    it('the last minute before closing (19:59 local = 18:59Z) → now', () => {
      const now = at('2025-01-15T18:59:00Z');
      expect(nextSendTime(now, DAY, WARSAW)).toBe(now);
    });
    it('before (06:00 local = 05:00Z) → today 09:00 local = 08:00Z', () => {
      expect(nextSendTime(at('2025-01-15T05:00:00Z'), DAY, WARSAW)).toEqual(at('2025-01-15T08:00:00Z'));
    });
    it('a second before opening (08:59:59 local) → today 09:00 local, a second later', () => {
      expect(nextSendTime(at('2025-01-15T07:59:59Z'), DAY, WARSAW)).toEqual(at('2025-01-15T08:00:00Z'));
    });
    it('the closing minute is outside (20:00 local = 19:00Z) → tomorrow 09:00 local = 16 Jan 08:00Z', () => {
      expect(nextSendTime(at('2025-01-15T19:00:00Z'), DAY, WARSAW)).toEqual(at('2025-01-16T08:00:00Z'));
    });
    it('after (23:30 local = 22:30Z) → tomorrow 09:00 local', () => {
      expect(nextSendTime(at('2025-01-15T22:30:00Z'), DAY, WARSAW)).toEqual(at('2025-01-16T08:00:00Z'));
    });
    it('after local midnight but before UTC midnight (00:30 local 16 Jan = 23:30Z 15 Jan) → 16 Jan 09:00 local, not the 17th', () => {
      expect(nextSendTime(at('2025-01-15T23:30:00Z'), DAY, WARSAW)).toEqual(at('2025-01-16T08:00:00Z'));
    });
  });

  it('summer in Warsaw (UTC+2): before (07:00 local = 05:00Z) → 09:00 local = 07:00Z', () => {
    expect(nextSendTime(at('2025-07-01T05:00:00Z'), DAY, WARSAW)).toEqual(at('2025-07-01T07:00:00Z'));
  });

  it('the window is in the given zone: 13:00Z is inside in Warsaw (14:00), before in New York (08:00 EST), after in Tokyo (22:00)', () => {
    const now = at('2025-01-15T13:00:00Z');
    expect(nextSendTime(now, DAY, WARSAW)).toBe(now);
    expect(nextSendTime(now, DAY, NEW_YORK)).toEqual(at('2025-01-15T14:00:00Z')); // 09:00 EST
    expect(nextSendTime(now, DAY, TOKYO)).toEqual(at('2025-01-16T00:00:00Z')); // 16 Jan 09:00 JST
  });

  it('Tokyo, local date ahead of UTC: 16 Jan 01:00 JST (15 Jan 16:00Z) → 16 Jan 09:00 JST = 16 Jan 00:00Z', () => {
    expect(nextSendTime(at('2025-01-15T16:00:00Z'), DAY, TOKYO)).toEqual(at('2025-01-16T00:00:00Z'));
  });

  describe('DST change days', () => {
    it('Warsaw spring forward: 30 Mar 01:30 CET (00:30Z) → 09:00 CEST the same day = 07:00Z', () => {
      expect(nextSendTime(at('2025-03-30T00:30:00Z'), DAY, WARSAW)).toEqual(at('2025-03-30T07:00:00Z'));
    });
    it('Warsaw spring forward: Saturday 29 Mar 21:30 CET (20:30Z) → Sunday 09:00 CEST = 07:00Z (not 08:00Z)', () => {
      expect(nextSendTime(at('2025-03-29T20:30:00Z'), DAY, WARSAW)).toEqual(at('2025-03-30T07:00:00Z'));
    });
    it('Warsaw fall back: Saturday 25 Oct 22:00 CEST (20:00Z) → Sunday 09:00 CET = 08:00Z (not 07:00Z)', () => {
      expect(nextSendTime(at('2025-10-25T20:00:00Z'), DAY, WARSAW)).toEqual(at('2025-10-26T08:00:00Z'));
    });
    it('Warsaw fall back: both 02:30s of 26 Oct (00:30Z CEST, 01:30Z CET) → 09:00 CET = 08:00Z', () => {
      expect(nextSendTime(at('2025-10-26T00:30:00Z'), DAY, WARSAW)).toEqual(at('2025-10-26T08:00:00Z'));
      expect(nextSendTime(at('2025-10-26T01:30:00Z'), DAY, WARSAW)).toEqual(at('2025-10-26T08:00:00Z'));
    });
    it('New York spring forward: 9 Mar 01:30 EST (06:30Z) → 09:00 EDT = 13:00Z', () => {
      expect(nextSendTime(at('2025-03-09T06:30:00Z'), DAY, NEW_YORK)).toEqual(at('2025-03-09T13:00:00Z'));
    });
    it('New York spring forward: Saturday 8 Mar 21:00 EST (9 Mar 02:00Z) → Sunday 09:00 EDT = 13:00Z', () => {
      expect(nextSendTime(at('2025-03-09T02:00:00Z'), DAY, NEW_YORK)).toEqual(at('2025-03-09T13:00:00Z'));
    });
    it('New York fall back: 2 Nov 00:00 EDT (04:00Z) and both 01:30s (05:30Z EDT, 06:30Z EST) → 09:00 EST = 14:00Z', () => {
      expect(nextSendTime(at('2025-11-02T04:00:00Z'), DAY, NEW_YORK)).toEqual(at('2025-11-02T14:00:00Z'));
      expect(nextSendTime(at('2025-11-02T05:30:00Z'), DAY, NEW_YORK)).toEqual(at('2025-11-02T14:00:00Z'));
      expect(nextSendTime(at('2025-11-02T06:30:00Z'), DAY, NEW_YORK)).toEqual(at('2025-11-02T14:00:00Z'));
    });
    it('New York: a window opening inside the skipped hour (02:30) opens at the later side, 03:30 EDT = 07:30Z', () => {
      // 9 Mar 00:00 EST = 05:00Z; 02:30 does not exist that night.
      expect(nextSendTime(at('2025-03-09T05:00:00Z'), { start: '02:30', end: '06:00' }, NEW_YORK)).toEqual(at('2025-03-09T07:30:00Z'));
    });
  });

  describe('a window over midnight, 22:00–06:00 in Warsaw', () => {
    it('late evening (23:00 local = 22:00Z) → now', () => {
      const now = at('2025-01-15T22:00:00Z');
      expect(nextSendTime(now, NIGHT, WARSAW)).toBe(now);
    });
    it('the opening minute (22:00 local = 21:00Z) → now', () => {
      const now = at('2025-01-15T21:00:00Z');
      expect(nextSendTime(now, NIGHT, WARSAW)).toBe(now);
    });
    it('after midnight (03:00 local = 02:00Z) and the last minute (05:59 local) → now', () => {
      const night = at('2025-01-16T02:00:00Z');
      const last = at('2025-01-16T04:59:00Z');
      expect(nextSendTime(night, NIGHT, WARSAW)).toBe(night);
      expect(nextSendTime(last, NIGHT, WARSAW)).toBe(last);
    });
    it('the closing minute (06:00 local = 05:00Z) → the same day 22:00 local = 21:00Z', () => {
      expect(nextSendTime(at('2025-01-16T05:00:00Z'), NIGHT, WARSAW)).toEqual(at('2025-01-16T21:00:00Z'));
    });
    it('midday (12:00 local = 11:00Z) → today 22:00 local = 21:00Z, not tomorrow', () => {
      expect(nextSendTime(at('2025-01-16T11:00:00Z'), NIGHT, WARSAW)).toEqual(at('2025-01-16T21:00:00Z'));
    });
    it('on the spring-forward day, midday (12:00 CEST = 10:00Z) → 22:00 CEST = 20:00Z', () => {
      expect(nextSendTime(at('2025-03-30T10:00:00Z'), NIGHT, WARSAW)).toEqual(at('2025-03-30T20:00:00Z'));
    });
  });
});

describe('spreadInWindow', () => {
  const W = { start: '09:00', end: '17:00' }; // 8 h = 28 800 s
  const opens = at('2025-01-15T08:00:00Z'); // 09:00 CET

  it('no spread (0, or a negative one) → the opening itself', () => {
    expect(spreadInWindow(opens, 0, W)).toBe(opens);
    expect(spreadInWindow(opens, -5, W)).toBe(opens);
  });
  it('1 s → a second after the opening', () => {
    expect(spreadInWindow(opens, 1, W)).toEqual(at('2025-01-15T08:00:01Z'));
  });
  it('3 600 s → an hour into the window, 10:00 local', () => {
    expect(spreadInWindow(opens, 3_600, W)).toEqual(at('2025-01-15T09:00:00Z'));
  });
  it("28 799 s → the window's last second, 16:59:59 local", () => {
    expect(spreadInWindow(opens, 28_799, W)).toEqual(at('2025-01-15T15:59:59Z'));
  });
  it("exactly one window (28 800 s) → not the closing instant but the next day's opening", () => {
    expect(spreadInWindow(opens, 28_800, W)).toEqual(at('2025-01-16T08:00:00Z'));
  });
  it('30 000 s = one window + 1 200 s → next day 09:20 local', () => {
    expect(spreadInWindow(opens, 30_000, W)).toEqual(at('2025-01-16T08:20:00Z'));
  });
  it('two windows + 60 s → two days later, 09:01 local', () => {
    expect(spreadInWindow(opens, 2 * 28_800 + 60, W)).toEqual(at('2025-01-17T08:01:00Z'));
  });
  it('86 400 s = three whole 8 h windows → three days later at the opening', () => {
    expect(spreadInWindow(opens, 86_400, W)).toEqual(at('2025-01-18T08:00:00Z'));
  });
  it("keeps the sends' order across the day boundary", () => {
    const spreads = [0, 100, 28_799, 28_800, 28_801, 60_000, 86_400];
    const times = spreads.map((s) => spreadInWindow(opens, s, W).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(spreads.length);
    // 60 000 s = 2 × 28 800 + 2 400 → 17 Jan 09:40 local
    expect(new Date(times[5]!)).toEqual(at('2025-01-17T08:40:00Z'));
  });
  it('a window over midnight (22:00–06:00, 8 h): 3 h in lands after midnight; 8 h in is the next evening', () => {
    const night = at('2025-01-15T21:00:00Z'); // 22:00 CET
    expect(spreadInWindow(night, 10_800, NIGHT)).toEqual(at('2025-01-16T00:00:00Z')); // 01:00 local
    expect(spreadInWindow(night, 28_800, NIGHT)).toEqual(at('2025-01-16T21:00:00Z'));
  });
  it('a short window over midnight (23:30–00:30, 1 h): 2 h + 1 s → two days later, a second after the opening', () => {
    const late = at('2025-01-15T22:30:00Z'); // 23:30 CET
    expect(spreadInWindow(late, 7_201, { start: '23:30', end: '00:30' })).toEqual(at('2025-01-17T22:30:01Z'));
  });
  it('a one-minute window (09:00–09:01): 125 s → two days later + 5 s', () => {
    expect(spreadInWindow(opens, 125, { start: '09:00', end: '09:01' })).toEqual(at('2025-01-17T08:00:05Z'));
  });
});
