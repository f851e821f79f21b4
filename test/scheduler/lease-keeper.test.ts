import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { keepLease } from '../../sidecar/src/scheduler/lease-keeper.ts';
import { waitFor } from '../helpers/processes.ts';

describe('lease keeper', () => {
  it('renews every third of the lease, moving the stamp on by the time passed and fencing on its own stamps', async () => {
    const stamp = new Date('2030-01-01T00:00:00.000Z');
    const renewals: Array<{ next: Date; ours: Date[]; at: number }> = [];
    const startedAt = Date.now();
    const lease = keepLease({
      leaseMs: 150,
      stamp,
      renew: async (next, ours) => {
        renewals.push({ next, ours, at: Date.now() });
      },
    });
    await waitFor(
      async () => renewals.length,
      (n) => n >= 6,
      10_000,
      'six renewals',
    );
    await lease.stop();
    // Never sooner than every 50 ms (timers may run late on a busy machine, never early).
    expect(renewals[0]!.at - startedAt).toBeGreaterThanOrEqual(45);
    expect(renewals[0]!.ours).toEqual([stamp]);
    // The stamp moves on by the time passed since the claim.
    expect(renewals[0]!.next.getTime() - stamp.getTime()).toBeGreaterThanOrEqual(45);
    expect(renewals[0]!.next.getTime() - stamp.getTime()).toBeLessThanOrEqual(renewals[0]!.at - startedAt + 5);
    // Each renewal may still find the rows under any of the last stamps written (a renewal whose
    // answer was lost may have committed), never more than four.
    expect(renewals[1]!.ours).toEqual([stamp, renewals[0]!.next]);
    expect(renewals[5]!.ours).toEqual(renewals.slice(1, 5).map((r) => r.next));
    const count = renewals.length;
    await sleep(200);
    expect(renewals).toHaveLength(count); // stopped
  });

  it('knows how old the lease is: reset by each renewal that worked, not by one that failed', async () => {
    let failing = false;
    let worked = 0;
    let lastWorkedStart = 0;
    const errors: unknown[] = [];
    const lease = keepLease({
      leaseMs: 60,
      stamp: new Date(),
      renew: async () => {
        const started = Date.now();
        if (failing) throw new Error('connection lost');
        worked++;
        lastWorkedStart = started;
      },
      onError: (error) => errors.push(error),
    });
    await waitFor(
      async () => worked,
      (n) => n >= 3,
      10_000,
      'renewals that worked',
    );
    expect(lease.age()).toBeLessThanOrEqual(Date.now() - lastWorkedStart + 1);
    failing = true;
    await waitFor(
      async () => errors.length,
      (n) => n >= 3,
      10_000,
      'renewals that failed',
    );
    const since = Date.now() - lastWorkedStart;
    expect(lease.age()).toBeGreaterThanOrEqual(since - 1); // the failures did not reset it
    expect(since).toBeGreaterThanOrEqual(2 * 20);
    await lease.stop();
  });

  it('stop() waits for a renewal in flight', async () => {
    let finished = false;
    const lease = keepLease({
      leaseMs: 30,
      stamp: new Date(),
      renew: async () => {
        await sleep(100);
        finished = true;
      },
    });
    await sleep(20);
    await lease.stop();
    expect(finished).toBe(true);
  });
});
