import { describe, expect, it } from 'vitest';
import { messageIdFor } from '../../sidecar/src/channels/smtp/smtp-provider.ts';
import { soakCounts, type SoakFacts } from '../../sidecar/bench/soak-counts.ts';

// The kill -9 soak (npm run soak) is only as good as its counting: these are the cases it must tell apart.
const id = (key: string) => messageIdFor(key, 'shop.example');
const outbox = [
  { idempotencyKey: 'enrollment:1:step:0', enrollmentId: 1, step: 0 },
  { idempotencyKey: 'enrollment:2:step:0', enrollmentId: 2, step: 0 },
  // A fallback channel's row: the same step under another key, so another Message-ID.
  { idempotencyKey: 'enrollment:2:step:0:sms', enrollmentId: 2, step: 0 },
  { idempotencyKey: 'enrollment:3:step:0', enrollmentId: 3, step: 0 },
];
const facts = (over: Partial<SoakFacts>): SoakFacts => ({
  received: [],
  outbox,
  expected: new Set(['a@x.test', 'b@x.test', 'c@x.test']),
  paidStoredAt: new Map(),
  recordedAt: new Map(),
  kills: [],
  ...over,
});

describe('the soak counts', () => {
  it('a repeated Message-ID is a duplicate inside the window: its first copy accepted, then its sender killed', () => {
    const counts = soakCounts(
      facts({
        received: [
          { messageId: id('enrollment:1:step:0'), to: 'a@x.test', acceptedAt: 1_000 },
          { messageId: id('enrollment:3:step:0'), to: 'c@x.test', acceptedAt: 1_010 },
          { messageId: id('enrollment:1:step:0'), to: 'a@x.test', acceptedAt: 11_500 },
        ],
        recordedAt: new Map([
          [id('enrollment:3:step:0'), 1_060],
          [id('enrollment:1:step:0'), 11_550],
        ]),
        kills: [500, 1_120, 5_000],
      }),
    );
    expect(counts.copies.size).toBe(2);
    expect(counts.duplicates).toHaveLength(1);
    expect(counts.stepTwice).toBe(0);
    expect(counts.duplicateWindows).toEqual([{ acceptedToKillMs: 120, betweenCopiesMs: 10_500 }]);
    // The window is measured on messages sent once; the duplicate's own recording is the takeover's.
    expect(counts.windows).toEqual([50]);
    expect(counts.missing).toEqual(['b@x.test']);
    expect(counts.unknown).toBe(0);
  });

  it('one enrollment step arriving under two Message-IDs is counted apart, and an unknown Message-ID too', () => {
    const counts = soakCounts(
      facts({
        received: [
          { messageId: id('enrollment:2:step:0'), to: 'b@x.test', acceptedAt: 1_000 },
          { messageId: id('enrollment:2:step:0:sms'), to: 'b@x.test', acceptedAt: 1_200 },
          { messageId: '<stranger@shop.example>', to: 'a@x.test', acceptedAt: 1_300 },
        ],
      }),
    );
    expect(counts.duplicates).toHaveLength(0);
    expect(counts.stepTwice).toBe(1);
    expect(counts.unknown).toBe(1);
  });

  it('a paid customer is reminded after the payment only by a copy accepted after its webhook was stored', () => {
    const counts = soakCounts(
      facts({
        received: [
          { messageId: id('enrollment:1:step:0'), to: 'a@x.test', acceptedAt: 900 },
          { messageId: id('enrollment:2:step:0'), to: 'b@x.test', acceptedAt: 2_100 },
        ],
        expected: new Set(['c@x.test']),
        paidStoredAt: new Map([
          ['a@x.test', 1_000],
          ['b@x.test', 2_000],
        ]),
      }),
    );
    expect(counts.paidReminded).toEqual([['b@x.test', 2_000]]);
    expect(counts.missing).toEqual(['c@x.test']);
    expect(counts.lastDueArrival).toBe(0);
  });
});
