import type { AgendaBackend } from 'agenda';
import { MySqlJobRepository, type MySqlRepositoryOptions } from './mysql-job-repository.ts';
import { WakeChannel } from './wake-channel.ts';

export type MySqlBackendOptions = MySqlRepositoryOptions & {
  /** In-process wake-ups (default on); off = agenda polls only, as its stock backends without a channel. */
  wake?: boolean;
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
    const channel = options.wake === false ? undefined : new WakeChannel();
    this.notificationChannel = channel;
    this.repository = new MySqlJobRepository({
      ...options,
      onJobFinished: channel ? (name) => channel.wake(name) : options.onJobFinished,
    });
  }

  async connect(): Promise<void> {
    await this.repository.connect();
  }

  async disconnect(): Promise<void> {
    await this.repository.releaseClaims();
  }
}
