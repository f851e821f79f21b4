import type { AgendaBackend } from 'agenda';
import { MySqlJobRepository, type MySqlRepositoryOptions } from './mysql-job-repository.ts';

/**
 * agenda 6 loads this like its own Postgres backend: `new Agenda({ backend: new MySqlBackend({ pool }) })`.
 * The pool belongs to the sidecar (ownsConnection false): agenda.stop() leaves it open.
 */
export class MySqlBackend implements AgendaBackend {
  readonly name = 'MySQL';
  readonly repository: MySqlJobRepository;
  readonly ownsConnection = false;

  constructor(options: MySqlRepositoryOptions) {
    this.repository = new MySqlJobRepository(options);
  }

  async connect(): Promise<void> {
    await this.repository.connect();
  }

  async disconnect(): Promise<void> {
    await this.repository.releaseClaims();
  }
}
