import { BaseNotificationChannel, toJobId, type JobNotification } from 'agenda';

/**
 * agenda refills its local queue from the database only on each processEvery tick, so one
 * sidecar's throughput is capped near lockLimit ÷ processEvery however fast claims are. This
 * in-process channel wakes agenda instead when a job of a name finishes (the backend sees its
 * final state write): agenda fills its queue for that name at once.
 *
 * Saves are deliberately not turned into wake-ups. agenda spends its global lock limit in the
 * order wake-ups arrive; a burst of saves across names woke them one by one and the first names
 * took every lock while later ones starved (conformance: "fills concurrency across ten names").
 * New work is found by the poll, which fills all names together. Other sidecars poll too:
 * MySQL has no LISTEN/NOTIFY.
 */
export class WakeChannel extends BaseNotificationChannel {
  private readonly pending = new Set<string>();

  /** @param onDisconnect run when agenda stops (it disconnects its channel on every stop()). */
  constructor(private readonly onDisconnect?: () => Promise<void>) {
    super();
  }

  async connect(): Promise<void> {
    this.setState('connected');
  }

  async disconnect(): Promise<void> {
    this.pending.clear();
    this.setState('disconnected');
    await this.onDisconnect?.();
  }

  /** agenda publishes every saved job here; see the class comment for why that wakes nothing. */
  async publish(_notification: JobNotification): Promise<void> {
    if (this.state !== 'connected') throw new Error('wake channel is not connected');
  }

  /** Asks agenda to look for due jobs of `jobName` now; calls in the same tick collapse into one. */
  wake(jobName: string): void {
    if (this.state !== 'connected' || this.pending.has(jobName)) return;
    this.pending.add(jobName);
    setImmediate(() => {
      this.pending.delete(jobName);
      if (this.state !== 'connected') return;
      const now = new Date();
      this.notifyHandlers({ jobId: toJobId('wake'), jobName, nextRunAt: now, priority: 0, timestamp: now }).catch((error: Error) =>
        this.emit('error', error),
      );
    });
  }
}
