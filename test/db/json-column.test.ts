import { describe, expect, it } from 'vitest';
import { MySqlJobRepository } from '../../sidecar/src/scheduler/mysql-job-repository.ts';
import { createTestDatabase } from '../helpers/database.ts';

describe('JSON columns', async () => {
  const { database } = await createTestDatabase('json_column');
  const repository = new MySqlJobRepository({ pool: database.pool });

  it.each([['hello'], ['"quoted"'], [{ a: [1, 'x'] }], [42], [null]])('round-trip job data %j exactly', async (data) => {
    const saved = await repository.saveJob({ name: 'json', priority: 0, type: 'normal', nextRunAt: null, data }, undefined);
    expect((await repository.getJobById(String(saved._id)))?.data).toEqual(data);
  });
});
