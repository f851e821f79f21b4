import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { keepLease } from '../../sidecar/src/scheduler/lease-keeper.ts';

describe('lease keeper', () => {
  it('renews every third of the lease, moving the stamp on by the time passed and fencing on its own stamps', async () => {
    const stamp = new Date('2030-01-01T00:00:00.000Z');
    const renewals: Array<{ next: Date; ours: Date[] }> = [];
    const lease = keepLease({
      leaseMs: 150,
      stamp,
      renew: async (next, ours) => {
        renewals.push({ next, ours });
      },
    });
    await sleep(340);
    await lease.stop();
    expect(renewals.length).toBeGreaterThanOrEqual(4);
    expect(renewals.length).toBeLessThanOrEqual(7);
    expect(renewals[0]!.ours).toEqual([stamp]);
    expect(renewals[0]!.next.getTime() - stamp.getTime()).toBeGreaterThanOrEqual(45);
    // Each renewal may still find the rows under any of the last stamps it wrote (a renewal whose
    // answer was lost may have committed), never more than four.
    expect(renewals[1]!.ours).toEqual([stamp, renewals[0]!.next]);
    for (const r of renewals) expect(r.ours.length).toBeLessThanOrEqual(4);
    const count = renewals.length;
    await sleep(120);
    expect(renewals).toHaveLength(count); // stopped
  });

  it('knows how old the lease is: reset by each renewal that worked, not by one that failed', async () => {
    let fail = false;
    const errors: unknown[] = [];
    const lease = keepLease({
      leaseMs: 90,
      stamp: new Date(),
      renew: async () => {
        if (fail) throw new Error('connection lost');
      },
      onError: (error) => errors.push(error),
    });
    await sleep(100);
    expect(lease.age()).toBeLessThan(60);
    fail = true;
    await sleep(200);
    expect(lease.age()).toBeGreaterThanOrEqual(150);
    expect(errors.length).toBeGreaterThan(0);
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
