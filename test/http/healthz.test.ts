import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import type { RowDataPacket } from 'mysql2/promise';
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

  it('answers 503 within 2 s when the database keeps every connection busy, and other requests fail fast with Retry-After', async () => {
    const limits = { acquireTimeoutMs: 500, queryTimeoutMs: 60_000, queueLimit: 3 };
    const own = await openDatabase(url, { connectionLimit: 2, limits });
    const scheduler = createScheduler(own.pool, schedulerOptions, logger);
    await scheduler.start();
    const probe = Router().get('/probe', async (_req, res) => {
      await own.pool.query('SELECT 1');
      res.json({ ok: true });
    });
    const app = createApp({ database: own, scheduler, logger, version: 'test', routers: [probe] });
    // Both connections busy for 30 s (a stalled database, as far as the pool can tell).
    // Killed at the end: their failure is expected.
    const stalled = [own.pool.query('SELECT SLEEP(30) AS stalled'), own.pool.query('SELECT SLEEP(30) AS stalled')].map((q) =>
      q.catch(() => undefined),
    );
    const busy = async () => {
      const [rows] = await database.pool.query<RowDataPacket[]>(
        "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(30) AS stalled'",
      );
      return rows.map((r) => Number(r.id));
    };
    // A thread may end between the list and the KILL (MariaDB then answers "Unknown thread id"): it is gone either way.
    const release = async () => {
      for (const id of await busy())
        await database.pool.query(`KILL ${id}`).catch((e: { errno?: number }) => {
          if (e.errno !== 1094) throw e;
        });
      await Promise.allSettled(stalled);
    };
    try {
      await expect.poll(busy, { timeout: 5_000 }).toHaveLength(2);
      // A bound on hanging, not a speed test: without an answer within 2 s supertest gives up and the test fails.
      const health = await request(app).get('/healthz').timeout(2_000);
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'degraded', db: { ok: false } });

      const refused = await request(app).get('/probe').timeout(2_000);
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.body).toEqual({ error: { code: 'database_unavailable', message: expect.stringMatching(/try again/) } });

      // The wait queue is bounded: beyond it a request is refused at once, the queued ones when their wait ends.
      const queued = await Promise.all(Array.from({ length: limits.queueLimit + 2 }, () => request(app).get('/probe').timeout(2_000)));
      expect(queued.map((r) => r.status)).toEqual(Array(limits.queueLimit + 2).fill(503));

      // Once the database answers again, so does everything.
      await release();
      expect((await request(app).get('/healthz').timeout(2_000)).status).toBe(200);
      expect((await request(app).get('/probe').timeout(2_000)).status).toBe(200);
    } finally {
      await release();
      await scheduler.stop(1_000);
      await own.close();
    }
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
