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

export function createWorkLoop(batch: () => Promise<{ handled: number; more: boolean }>, onError: (error: unknown) => void): WorkLoop {
  let running: Promise<number> | undefined;
  let again = false;

  async function untilEmpty(): Promise<number> {
    let total = 0;
    for (;;) {
      const { handled, more } = await batch();
      total += handled;
      if (!more) return total;
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
