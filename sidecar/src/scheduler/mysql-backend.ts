import type { AgendaBackend } from 'agenda';
import { MySqlJobRepository, type MySqlRepositoryOptions } from './mysql-job-repository.ts';
import { WakeChannel } from './wake-channel.ts';

export type MySqlBackendOptions = MySqlRepositoryOptions & {
  /** In-process wake-ups (default on); off = agenda polls only, as its stock backends without a channel. */
  wake?: boolean;
  /** Told each failed attempt while connect() waits for the database. */
  onConnectError?: (error: Error) => void;
};

/**
 * agenda 6 loads this like its own Postgres backend: `new Agenda({ backend: new MySqlBackend({ pool }) })`.
 * The pool belongs to the sidecar (ownsConnection false): agenda.stop() leaves it open.
 */
export class MySqlBackend implements AgendaBackend {
  readonly name = 'MySQL';
  readonly repository: MySqlJobRepository;
  readonly ownsConnection = false;
  readonly notificationChannel: WakeChannel | undefined;

  constructor(options: MySqlBackendOptions) {
    // agenda.stop() unlocks only the jobs its processor holds, and only when there are some; it
    // always disconnects the channel. That is where claims still in flight are given back.
    const channel = options.wake === false ? undefined : new WakeChannel(() => this.repository.releaseClaims());
    this.notificationChannel = channel;
    this.onConnectError = options.onConnectError;
    this.repository = new MySqlJobRepository({
      ...options,
      onJobFinished: channel ? (name) => channel.wake(name) : options.onJobFinished,
    });
  }

  private disconnected = false;
  private readonly onConnectError: ((error: Error) => void) | undefined;

  /**
   * agenda calls this from its constructor as `connect().then(ready)` with no catch: a rejection
   * would be unhandled and `ready` would never settle. So a database that is down is waited for
   * (retried with backoff, up to 10 s apart) until it answers or disconnect() is called.
   */
  async connect(): Promise<void> {
    this.disconnected = false;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.repository.connect();
        return;
      } catch (error) {
        if (this.disconnected) return;
        this.onConnectError?.(error as Error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 100 * 2 ** attempt)));
        if (this.disconnected) return;
      }
    }
  }

  async disconnect(): Promise<void> {
    this.disconnected = true;
    await this.repository.releaseClaims().catch(() => undefined);
  }
}
