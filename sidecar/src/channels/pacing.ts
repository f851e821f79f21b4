import pThrottle from 'p-throttle';

/** Runs a send when the pace allows it. */
export type Pace = <T>(send: () => Promise<T>) => Promise<T>;

/**
 * One sender's pace for this sidecar (Twilio's number throughput, Meta's per business number):
 * at most `perSecond` sends start in any second. Without a rate, sends start at once. `stop()`
 * rejects the sends still waiting, so that closing does not hang on a queue.
 */
export function createPacer(perSecond: number | undefined): { pace: Pace; stop(): void } {
  if (perSecond === undefined) return { pace: (send) => send(), stop: () => undefined };
  const stopped = new AbortController();
  const throttle = pThrottle({ limit: perSecond, interval: 1_000, strict: true, signal: stopped.signal });
  const paced = throttle((send: () => Promise<unknown>) => send());
  return {
    pace: <T>(send: () => Promise<T>) => paced(send) as Promise<T>,
    stop: () => stopped.abort(new Error('the channel is closing')),
  };
}
