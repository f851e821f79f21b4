/**
 * Keeps a claimed batch's lease alive while the batch is worked. A lease has to be long enough
 * that a live worker never loses its rows, and short enough that a dead one's rows come back
 * soon; renewing it every third of its length lets it be short (seconds): a live worker renews,
 * a killed one stops renewing and its rows are taken over one lease later.
 *
 * A lease is a stamp written on the claimed rows (a claim time or a deadline). `renew(next,
 * ours)` must move the stamp of the rows still carrying one of `ours` to `next`, and leave every
 * other row alone: rows that were finished, given back, or taken over by another worker after
 * our lease ran out carry another stamp. `ours` holds the last few stamps written, so a renewal
 * that committed although its caller saw an error (a lost connection) does not lose the lease.
 */
export type Lease = {
  /** Milliseconds since the lease was last known to be ours (its claim or its last renewal). */
  age(): number;
  /** Stops renewing; resolves after a renewal in flight has settled (never after the pool closed). */
  stop(): Promise<void>;
};

export function keepLease(options: {
  leaseMs: number;
  /** The stamp the claim wrote. Renewals write it moved on by the time passed since. */
  stamp: Date;
  renew(next: Date, ours: Date[]): Promise<unknown>;
  onError?: (error: unknown) => void;
}): Lease {
  const claimedAt = Date.now();
  let renewedAt = claimedAt;
  const stamps = [options.stamp];
  let inFlight: Promise<void> | undefined;
  const timer = setInterval(
    () => {
      if (inFlight) return;
      const startedAt = Date.now();
      const next = new Date(options.stamp.getTime() + (startedAt - claimedAt));
      const ours = [...stamps];
      stamps.push(next);
      if (stamps.length > 4) stamps.shift();
      inFlight = options
        .renew(next, ours)
        .then(
          () => {
            renewedAt = startedAt;
          },
          (error: unknown) => options.onError?.(error),
        )
        .finally(() => {
          inFlight = undefined;
        });
    },
    Math.max(1, Math.floor(options.leaseMs / 3)),
  );
  timer.unref();
  return {
    age: () => Date.now() - renewedAt,
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
