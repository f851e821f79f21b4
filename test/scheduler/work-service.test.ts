import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BatchResult } from '../../sidecar/src/scheduler/work-loop.ts';
import { createWorkService, type WorkService } from '../../sidecar/src/scheduler/work-service.ts';
import { waitFor } from '../helpers/processes.ts';

const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A batch whose runs the test finishes by hand: `calls` counts started runs, `finish` ends the oldest. */
function manualBatch() {
  const pending: Array<(result: BatchResult) => void> = [];
  let calls = 0;
  return {
    batch: () => {
      calls++;
      return new Promise<BatchResult>((resolve) => pending.push(resolve));
    },
    get calls() {
      return calls;
    },
    get running() {
      return pending.length;
    },
    finish(result: BatchResult = { handled: 1, more: false }) {
      pending.shift()?.(result);
    },
  };
}

describe('work service', () => {
  const services: WorkService[] = [];
  const errors: unknown[] = [];
  const service = (batch: () => Promise<BatchResult>, pollMs = 60_000, lanes = 1) => {
    const created = createWorkService({ name: 'test', batch, pollMs, lanes, onError: (error) => errors.push(error) });
    services.push(created);
    return created;
  };
  afterEach(async () => {
    for (const s of services.splice(0)) await s.stop(1_000);
    errors.length = 0;
  });

  it('folds kicks during a run into one more run', async () => {
    const work = manualBatch();
    const loop = service(work.batch);
    loop.kick();
    loop.kick();
    loop.kick();
    expect(work.calls).toBe(1);
    work.finish();
    await tick();
    expect(work.calls).toBe(2); // the three kicks became one run after the first
    work.finish();
    await tick();
    expect(work.calls).toBe(2);
    expect(errors).toEqual([]);
  });

  it('keeps running batches while one says more is waiting', async () => {
    let left = 3;
    const loop = service(async () => ({ handled: 1, more: --left > 0 }));
    expect(await loop.drain()).toBe(3);
  });

  it('polls: a first batch at start, then one every pollMs once idle', async () => {
    let calls = 0;
    const loop = service(async () => {
      calls++;
      return { handled: 0, more: false };
    }, 50);
    const startedAt = Date.now();
    loop.start();
    expect(calls).toBe(1); // at once: work a dead sidecar left is picked up without waiting
    await waitFor(
      async () => calls,
      (n) => n >= 4,
      10_000,
      'polls',
    );
    // One poll per pollMs at most (timers run late on a busy machine, never early).
    expect(calls).toBeLessThanOrEqual(Math.floor((Date.now() - startedAt) / 50) + 1);
  });

  it('stop() waits for the batch in flight, then nothing runs: no poll, no kick', async () => {
    const work = manualBatch();
    const loop = service(work.batch, 20);
    loop.start();
    await tick();
    expect(work.running).toBe(1);
    let stopped = false;
    const stopping = loop.stop().then((finished) => {
      stopped = finished;
    });
    await tick(50);
    expect(stopped).toBe(false); // still waiting for the running batch
    work.finish({ handled: 1, more: true }); // "more" is ignored once stopping
    await stopping;
    expect(stopped).toBe(true);
    loop.kick();
    await tick(100);
    expect(work.calls).toBe(1);
    expect(await loop.drain()).toBe(0);
  });

  it('stop(graceMs) gives up waiting on a batch that outlives the grace', async () => {
    const work = manualBatch();
    const loop = service(work.batch);
    loop.kick();
    const started = Date.now();
    expect(await loop.stop(100)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    work.finish();
  });

  it('runs its lanes side by side, and a failed poll is reported and polled again', async () => {
    let concurrent = 0;
    let most = 0;
    let failures = 1;
    let calls = 0;
    const loop = service(
      async () => {
        calls++;
        concurrent++;
        most = Math.max(most, concurrent);
        await tick(5);
        concurrent--;
        if (failures-- > 0) throw new Error('database down');
        return { handled: 0, more: false };
      },
      20,
      3,
    );
    loop.start();
    await waitFor(
      async () => calls,
      (n) => n >= 9,
      10_000,
      'three polls of three lanes',
    );
    expect(most).toBe(3);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('database down');
    await loop.stop();
  });

  /** A service polling every minute whose rows fall due at `due.at`, counting its batches and the `after` it was asked with. */
  const dueService = () => {
    const due = { at: null as Date | null, calls: 0, asked: [] as Date[] };
    const created = createWorkService({
      name: 'test',
      pollMs: 60_000,
      batch: async () => {
        due.calls++;
        return { handled: 0, more: false };
      },
      nextDueAt: async (after) => {
        due.asked.push(after);
        return due.at && due.at > after ? due.at : null;
      },
      onError: (error) => errors.push(error),
    });
    services.push(created);
    return { service: created, due };
  };

  it('wakes when the next row falls due instead of waiting a whole poll, and asks from when its drain began', async () => {
    const { service: created, due } = dueService();
    const startedAt = Date.now();
    const dueAt = new Date(startedAt + 150);
    due.at = dueAt;
    created.start();
    expect(due.calls).toBe(1);
    await waitFor(
      async () => due.calls,
      (n) => n >= 2,
      10_000,
      'the wake-up at the due time',
    );
    // Woken by the due time (never before it), long before the 60 s poll.
    expect(Date.now()).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(due.asked[0]!.getTime()).toBeGreaterThanOrEqual(startedAt);
    expect(due.asked[0]!.getTime()).toBeLessThanOrEqual(due.asked[1]?.getTime() ?? Date.now());
    // That row is now behind the drain's start: back to the poll, so no third batch comes soon.
    await tick(300);
    expect(due.calls).toBe(2);
    expect(errors).toEqual([]);
  });

  it('sleeps the rest when its timer fires before the due time it was set for, so one wake-up finds the row', async () => {
    // Node counts timers from the loop's cached clock, which can lag the wall clock: here the
    // wall clock is set 10 ms back after arming, so the timer fires 10 ms before the row is due.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const { service: created, due } = dueService();
      const armedAt = Date.now();
      due.at = new Date(armedAt + 150);
      created.start();
      await vi.advanceTimersByTimeAsync(0);
      expect(due.calls).toBe(1);
      vi.setSystemTime(armedAt - 10);
      await vi.advanceTimersByTimeAsync(150); // the timer fires; the wall clock says 10 ms early
      expect(due.calls).toBe(1);
      await vi.advanceTimersByTimeAsync(10);
      expect(due.calls).toBe(2);
      expect(due.asked[1]!.getTime()).toBeGreaterThanOrEqual(due.at.getTime());
      // Woken once: the row is behind this drain's start, so the next wake-up is the minute's poll.
      await vi.advanceTimersByTimeAsync(30_000);
      expect(due.calls).toBe(2);
      await created.stop();
    } finally {
      vi.useRealTimers();
    }
    expect(errors).toEqual([]);
  });

  it('brings its wake-up forward when a kick leaves a row due before it', async () => {
    const { service: created, due } = dueService();
    created.start(); // nothing due: the next poll is a minute away
    await tick(50);
    expect(due.calls).toBe(1);
    // Work created here, due shortly: the kick's run finds nothing due yet, then arms for it.
    const dueAt = new Date(Date.now() + 150);
    due.at = dueAt;
    created.kick();
    await waitFor(
      async () => due.calls,
      (n) => n >= 3,
      10_000,
      'the wake-up at the kicked row due time',
    );
    expect(Date.now()).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(errors).toEqual([]);
  });

  it('lets a lane claim again while another lane is still busy with a slow batch', async () => {
    let releaseSlow: (result: BatchResult) => void = () => undefined;
    let quickBatches = 0;
    let calls = 0;
    const loop = service(
      () => {
        calls++;
        // The first batch is slow (the test ends it); the others are quick, with more waiting five times.
        if (calls === 1) return new Promise<BatchResult>((resolve) => (releaseSlow = resolve));
        quickBatches++;
        return Promise.resolve({ handled: 1, more: quickBatches < 5 });
      },
      60_000,
      2,
    );
    const drained = loop.drain();
    await tick(20);
    // The other lane went on claiming while the slow batch ran (in lockstep it would have waited).
    expect(quickBatches).toBe(5);
    releaseSlow({ handled: 1, more: false });
    expect(await drained).toBe(6);
    expect(errors).toEqual([]);
  });
});
