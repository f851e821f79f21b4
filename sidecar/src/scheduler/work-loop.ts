/**
 * A single-flight loop around a batch of work: `kick()` makes it run soon (calls during a run
 * fold into one more run), `drain()` runs it until a batch says nothing more is waiting. agenda's
 * recurring jobs call drain() as a safety net; whoever creates work kicks, so work starts at once.
 */
export type WorkLoop = {
  kick(): void;
  /** Runs batches until one reports no more work; resolves with the total handled. */
  drain(): Promise<number>;
};

export function createWorkLoop(
  batch: () => Promise<{ handled: number; more: boolean }>,
  onError: (error: unknown) => void,
  /** Batches run side by side (each claims its own rows): one waits on I/O while another computes. */
  lanes = 1,
): WorkLoop {
  let running: Promise<number> | undefined;
  let again = false;

  async function untilEmpty(): Promise<number> {
    let total = 0;
    for (;;) {
      const results = await Promise.all(Array.from({ length: lanes }, () => batch()));
      total += results.reduce((sum, r) => sum + r.handled, 0);
      if (!results.some((r) => r.more)) return total;
    }
  }

  function run(): Promise<number> {
    running ??= untilEmpty().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        run().catch(onError);
      }
    });
    return running;
  }

  return {
    kick() {
      if (running) again = true;
      else run().catch(onError);
    },
    async drain() {
      while (running) await running.catch(() => undefined);
      return run();
    },
  };
}
