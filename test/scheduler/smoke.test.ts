import { describe, expect, it } from 'vitest';
import { Agenda } from 'agenda';
import { MySqlBackend } from '../../sidecar/src/scheduler/mysql-backend.ts';
import { createTestDatabase } from '../helpers/database.ts';

describe('smoke', async () => {
  const { database } = await createTestDatabase('smoke');
  it('runs a job', async () => {
    const agenda = new Agenda({ backend: new MySqlBackend({ pool: database.pool }), processEvery: 100 });
    let ran = 0;
    agenda.define('x', async () => {
      ran++;
    });
    await agenda.start();
    const done = new Promise((r) => agenda.once('complete:x', r));
    await agenda.now('x', { a: 1 });
    await done;
    await agenda.stop();
    expect(ran).toBe(1);
    const { jobs } = await agenda.queryJobs({ name: 'x' });
    expect(jobs[0]?.lastFinishedAt).toBeInstanceOf(Date);
    expect(jobs[0]?.lockedAt).toBeUndefined();
  });
});
