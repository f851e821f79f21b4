/**
 * A single-flight loop around a batch of work: `kick()` makes it run soon (calls during a run
 * fold into one more run), `drain()` runs it until a batch says nothing more is waiting, `stop()`
 * lets the batch in flight finish and starts no other. A work service (work-service.ts) polls it;
 * whoever creates work kicks it, so work starts at once.
 */
export type WorkLoop = {
  kick(): void;
  /** Runs batches until one reports no more work; resolves with the total handled (0 once stopped). */
  drain(): Promise<number>;
  /** No batch starts after this; resolves when the one in flight (if any) has finished. */
  stop(): Promise<void>;
};

export type BatchResult = { handled: number; more: boolean };

export function createWorkLoop(
  batch: () => Promise<BatchResult>,
  onError: (error: unknown) => void,
  /** Batches run side by side (each claims its own rows): one waits on I/O while another computes. */
  lanes = 1,
  /** Told when a run ends, with when it began (the work service then looks for the next due row). */
  onRunEnd?: (began: Date) => void,
): WorkLoop {
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = false;

  // Each lane claims again as soon as its own batch is done while that batch said more is
  // waiting: a slow batch does not hold the other lanes back. A lane that fails stops the others
  // after their batch in flight, and the run ends only when every lane has (one run at a time).
  async function untilEmpty(): Promise<number> {
    let total = 0;
    let failed = false;
    const lane = async () => {
      for (;;) {
        try {
          const result = await batch();
          total += result.handled;
          if (stopped || failed || !result.more) return;
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    const lanesDone = await Promise.allSettled(Array.from({ length: lanes }, lane));
    const failure = lanesDone.find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
    return total;
  }

  function run(): Promise<number> {
    const began = new Date();
    running ??= untilEmpty().finally(() => {
      running = undefined;
      onRunEnd?.(began);
      if (again && !stopped) {
        again = false;
        run().catch(onError);
      }
    });
    return running;
  }

  return {
    kick() {
      if (stopped) return;
      if (running) again = true;
      else run().catch(onError);
    },
    async drain() {
      while (running) await running.catch(() => undefined);
      return stopped ? 0 : run();
    },
    async stop() {
      stopped = true;
      while (running) await running.catch(() => undefined);
    },
  };
}
