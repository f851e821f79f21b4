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

  async function untilEmpty(): Promise<number> {
    let total = 0;
    for (;;) {
      const results = await Promise.all(Array.from({ length: lanes }, () => batch()));
      total += results.reduce((sum, r) => sum + r.handled, 0);
      if (stopped || !results.some((r) => r.more)) return total;
    }
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
