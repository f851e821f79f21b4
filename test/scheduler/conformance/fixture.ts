import { Agenda, type AgendaOptions, type JobParameters } from 'agenda';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { afterEach, beforeEach } from 'vitest';
import { MySqlBackend } from '../../../sidecar/src/scheduler/mysql-backend.ts';
import type { MySqlBackendOptions } from '../../../sidecar/src/scheduler/mysql-backend.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { createGate, delay, type Gate } from './wait-for.ts';

export type BackendOptions = Omit<MySqlBackendOptions, 'pool'>;

/**
 * One migrated database per test file, an empty agenda_jobs table before every test, and
 * cleanup of everything a test started: gates opened, agendas drained and stopped, claims released.
 */
export async function conformanceDatabase(label: string, options: { connectionLimit?: number } = {}) {
  const { database } = await createTestDatabase(`conf_${label}`, options);
  const pool: Pool = database.pool;
  let agendas: Agenda[] = [];
  let backends: MySqlBackend[] = [];
  let gates: Gate[] = [];

  beforeEach(async () => {
    await pool.query('DELETE FROM agenda_jobs');
  });

  afterEach(async () => {
    for (const gate of gates) gate.open();
    for (const agenda of agendas) {
      await agenda.stop();
      // Running jobs finish on their own after stop() (6.2.6); wait for them so nothing leaks into
      // the next test. (Not drain(): it can miss the last job when removeOnComplete deletes it.)
      const deadline = Date.now() + 3_000;
      while (Date.now() < deadline && (await runningJobs(agenda)) > 0) await delay(10);
    }
    for (const backend of backends) await backend.repository.releaseClaims();
    agendas = [];
    backends = [];
    gates = [];
  });

  function backend(backendOptions: BackendOptions = {}): MySqlBackend {
    const created = new MySqlBackend({ pool, ...backendOptions });
    backends.push(created);
    return created;
  }

  async function agenda(agendaOptions: Partial<AgendaOptions> = {}, backendOptions: BackendOptions = {}): Promise<Agenda> {
    const created = new Agenda({ processEvery: 100, ...agendaOptions, backend: agendaOptions.backend ?? backend(backendOptions) });
    agendas.push(created);
    await created.ready;
    return created;
  }

  function gate(): Gate {
    const created = createGate();
    gates.push(created);
    return created;
  }

  async function row(id: unknown): Promise<RowDataPacket | undefined> {
    const [rows] = await pool.query<RowDataPacket[]>('SELECT * FROM agenda_jobs WHERE id = ?', [String(id)]);
    return rows[0];
  }

  async function lockedIds(): Promise<string[]> {
    const [rows] = await pool.query<RowDataPacket[]>('SELECT id FROM agenda_jobs WHERE locked_at IS NOT NULL ORDER BY id');
    return rows.map((r) => String(r.id));
  }

  async function count(where = '1 = 1', params: unknown[] = []): Promise<number> {
    const [rows] = await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM agenda_jobs WHERE ${where}`, params);
    return Number(rows[0]?.n);
  }

  return { database, pool, backend, agenda, gate, row, lockedIds, count };
}

async function runningJobs(agenda: Agenda): Promise<number> {
  try {
    return (await agenda.getRunningStats()).runningJobs as number;
  } catch {
    return 0; // never started
  }
}

/** A job as agenda's `create()` would save it, with overrides. */
export function jobParams(name: string, overrides: Partial<JobParameters> = {}): JobParameters {
  return { name, priority: 0, nextRunAt: new Date(), type: 'normal', data: {}, ...overrides };
}

export const seconds = (n: number, from = Date.now()) => new Date(from + n * 1_000);

/** A JSON column as read with the raw pool (the driver may or may not have parsed it). */
export const jsonValue = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
