import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../sidecar/src/db/database.ts';
import { createApp } from '../../sidecar/src/http/app.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { createScheduler } from '../../sidecar/src/scheduler/scheduler.ts';
import { createTestDatabase } from '../helpers/database.ts';

const logger = createLogger('silent');
const schedulerOptions = { workerName: 'test', concurrency: 2, lockLimit: 4, claimBatch: 2, processEveryMs: 1_000, lockLifetimeMs: 60_000 };

describe('/healthz', async () => {
  const { database, url } = await createTestDatabase('healthz');

  it('answers 200 with the database and scheduler status when both are up', async () => {
    const scheduler = createScheduler(database.pool, schedulerOptions, logger);
    await scheduler.start();
    const app = createApp({ database, scheduler, logger, version: 'test' });
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      db: { ok: true, server: expect.stringMatching(/^(MariaDB|MySQL) \d+/) },
      scheduler: { running: true, lockLimit: 4 },
    });
    await scheduler.stop(1_000);
  });

  it('answers 503 when the database is unreachable or the scheduler stopped', async () => {
    const own = await openDatabase(url);
    const scheduler = createScheduler(own.pool, schedulerOptions, logger);
    const app = createApp({ database: own, scheduler, logger, version: 'test' });
    await own.close();
    const res = await request(app).get('/healthz').expect(503);
    expect(res.body).toMatchObject({ status: 'degraded', db: { ok: false }, scheduler: { running: false } });
  });

  it('answers unknown paths with a JSON 404', async () => {
    const scheduler = createScheduler(database.pool, schedulerOptions, logger);
    const app = createApp({ database, scheduler, logger, version: 'test' });
    const res = await request(app).get('/nope').expect(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'not found' } });
  });
});

describe('start-up with a bad setting', () => {
  it('stops before touching anything, naming the key and what it allows', () => {
    const main = fileURLToPath(new URL('../../sidecar/src/main.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', main], {
      env: { ...process.env, COMEBACK_HTTP_PORT: 'eighty', COMEBACK_HOME: '/nonexistent/never-created' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/COMEBACK_HTTP_PORT: .*port/);
  });
});
