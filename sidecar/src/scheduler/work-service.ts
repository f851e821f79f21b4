import { createWorkLoop, type BatchResult, type WorkLoop } from './work-loop.ts';

/**
 * Work whose rows say what is due (flow steps, outbox messages, stored webhook events), run by
 * every sidecar on its own: each polls, claims its rows (SKIP LOCKED and a lease) and works them.
 * No global lock: when a sidecar dies, the others simply keep polling, and the rows it had
 * claimed come back when their lease runs out. (These loops used to be woken by recurring agenda
 * jobs, whose lock a killed sidecar kept for the whole lock lifetime: sending stood still for it.)
 */
export type WorkService = Pick<WorkLoop, 'kick' | 'drain'> & {
  readonly name: string;
  /** Starts polling: a first batch at once (work a dead sidecar left), then every pollMs once idle. */
  start(): void;
  /**
   * Stops polling and ignores kicks; resolves when the batch in flight has finished (true), or
   * after graceMs with that batch still running (false).
   */
  stop(graceMs?: number): Promise<boolean>;
};

export type WorkServiceOptions = {
  /** What it works on, for logs and status: 'steps', 'sends', 'events'. */
  name: string;
  /** Claims and works one batch; `more` says another batch is waiting. */
  batch: () => Promise<BatchResult>;
  /** The pause between polls once nothing is left. */
  pollMs: number;
  /**
   * When the earliest row not yet due at `after` falls due (null: none): the service wakes then
   * instead of at the next poll, so work due by time alone starts on time. `after` is when the
   * drain that just ended began: a row that fell due while it ran is looked at again at once.
   */
  nextDueAt?: (after: Date) => Promise<Date | null>;
  /** Batches run side by side (see work-loop.ts). */
  lanes?: number;
  onError: (error: unknown) => void;
};

/** Polls that fail (database down) back off, doubling up to this; kicks still run at once. */
const MAX_ERROR_PAUSE_MS = 10_000;

export function createWorkService(options: WorkServiceOptions): WorkService {
  const loop = createWorkLoop(options.batch, options.onError, options.lanes, (began) => void afterKick(began));
  let state: 'new' | 'polling' | 'stopped' = 'new';
  let timer: NodeJS.Timeout | undefined;
  /** When the armed timer fires (ms since the epoch). */
  let wakeAt = Number.POSITIVE_INFINITY;
  let polling = false;
  let failures = 0;

  async function poll(): Promise<void> {
    clearTimeout(timer);
    wakeAt = Number.POSITIVE_INFINITY;
    polling = true;
    const began = new Date();
    let pause: number;
    try {
      await loop.drain();
      failures = 0;
      pause = await untilNextDue(began);
    } catch (error) {
      failures++;
      options.onError(error);
      pause = Math.max(options.pollMs, Math.min(MAX_ERROR_PAUSE_MS, options.pollMs * 2 ** failures));
    } finally {
      polling = false;
    }
    arm(pause);
  }

  function arm(pause: number): void {
    if (state !== 'polling') return;
    wakeAt = Date.now() + pause;
    sleep(pause);
  }

  function sleep(pause: number): void {
    clearTimeout(timer);
    timer = setTimeout(wake, pause);
    // The HTTP server keeps a sidecar alive; a poll alone must not keep a test process running.
    timer.unref();
  }

  /**
   * Node's timers count from the event loop's cached clock, which lags the wall clock by however
   * long the current tick has run: a timer can fire a few milliseconds before the time it was set
   * for. Polling then would begin before the row it was woken for falls due, miss it, and wake
   * again at once; so an early timer sleeps the rest.
   */
  function wake(): void {
    const early = wakeAt - Date.now();
    if (early > 0) sleep(early);
    else void poll();
  }

  /**
   * A run started by a kick (work created here: a new enrollment, say) may have left a row due
   * before the armed wake-up: the timer is brought forward to it. A poll in progress arms its own.
   */
  async function afterKick(began: Date): Promise<void> {
    if (state !== 'polling' || polling || !options.nextDueAt) return;
    try {
      const pause = await untilNextDue(began);
      if (!polling && Date.now() + pause < wakeAt) arm(pause);
    } catch (error) {
      options.onError(error);
    }
  }

  /** The poll's pause, shortened to the next row's due time when the service knows it. */
  async function untilNextDue(after: Date): Promise<number> {
    if (!options.nextDueAt) return options.pollMs;
    const next = await options.nextDueAt(after);
    // A row due before the drain began was the drain's to claim (or is leased or held): the poll finds it.
    if (!next || next <= after) return options.pollMs;
    return Math.min(options.pollMs, Math.max(0, next.getTime() - Date.now()));
  }

  return {
    name: options.name,
    start() {
      if (state !== 'new') return;
      state = 'polling';
      void poll();
    },
    kick: () => loop.kick(),
    drain: () => loop.drain(),
    async stop(graceMs = Number.POSITIVE_INFINITY) {
      state = 'stopped';
      clearTimeout(timer);
      const finished = loop.stop().then(() => true);
      if (!Number.isFinite(graceMs)) return finished;
      let graceTimer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<boolean>((resolve) => {
        graceTimer = setTimeout(() => resolve(false), graceMs);
      });
      try {
        return await Promise.race([finished, graceOver]);
      } finally {
        clearTimeout(graceTimer);
      }
    },
  };
}
