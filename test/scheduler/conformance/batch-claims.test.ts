import type { Job, JobParameters } from 'agenda';
import { describe, expect, it } from 'vitest';
import { MySqlBackend } from '../../../sidecar/src/scheduler/mysql-backend.ts';
import type { MySqlJobRepository } from '../../../sidecar/src/scheduler/mysql-job-repository.ts';
import { conformanceDatabase, jobParams, seconds, type BackendOptions } from './fixture.ts';
import { delay, waitForEvents, waitUntil } from './wait-for.ts';

// Our backend's batch claims: one claim query locks several due jobs, handed to agenda one by one.
describe('backend: batch claims', async () => {
  const fx = await conformanceDatabase('batch', { connectionLimit: 30 });

  /** The pool, counting the connections checked out (each claim is one transaction on one). */
  function counted(options: BackendOptions) {
    const counts = { getConnection: 0 };
    const pool = new Proxy(fx.pool, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop === 'getConnection') {
          return (...args: unknown[]) => {
            counts.getConnection++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const backend = new MySqlBackend({ pool, ...options });
    return { repo: backend.repository, counts, backend };
  }

  async function due(count: number, name = 'batch', start = -600) {
    for (let i = 0; i < count; i++)
      await fx.backend().repository.saveJob(jobParams(name, { nextRunAt: seconds(start + i), data: { i } }), undefined);
  }

  const claim = (repo: MySqlJobRepository, name = 'batch', now = new Date(), lifetimeMs = 600_000) =>
    repo.getNextJobToRun(name, new Date(now.getTime() + 100), new Date(now.getTime() - lifetimeMs), now, undefined);

  it('locks up to claimBatch due jobs with one claim and hands them out one by one', async () => {
    await due(15);
    const { repo, counts } = counted({ claimBatch: 10 });
    const handed: JobParameters[] = [];
    handed.push((await claim(repo))!);
    expect(counts.getConnection).toBe(1);
    expect(await fx.count('locked_at IS NOT NULL')).toBe(10);
    expect(repo.buffered()).toBe(9);
    for (let i = 0; i < 9; i++) handed.push((await claim(repo))!);
    expect(counts.getConnection).toBe(1);
    expect(handed.map((j) => (j.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const job of handed) expect((await fx.row(job._id))?.locked_at.getTime()).toBe(job.lockedAt?.getTime());
    expect((await claim(repo))?.data).toEqual({ i: 10 });
    expect(counts.getConnection).toBe(2);
    expect(await fx.count('locked_at IS NOT NULL')).toBe(15);
  });

  it('two sidecars claiming 200 due jobs concurrently never get the same job and get them all', async () => {
    await fx.pool.query(
      `INSERT INTO agenda_jobs (name, next_run_at, data) VALUES ${Array.from({ length: 200 }, () => '(?, ?, ?)').join(', ')}`,
      Array.from({ length: 200 }, (_, i) => ['race', seconds(-60 + i / 10), JSON.stringify({ i })]).flat(),
    );
    const sidecars = [fx.backend({ claimBatch: 10 }).repository, fx.backend({ claimBatch: 10 }).repository];
    const got: string[][] = [[], []];
    const worker = async (s: number) => {
      for (let job = await claim(sidecars[s]!, 'race'); job; job = await claim(sidecars[s]!, 'race')) got[s]!.push(String(job._id));
    };
    await Promise.all([0, 1, 0, 1, 0, 1].map(worker));
    const all = [...got[0]!, ...got[1]!];
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(200);
    expect(got[0]!.length).toBeGreaterThan(0);
    expect(got[1]!.length).toBeGreaterThan(0);
    expect(await fx.count('locked_at IS NOT NULL')).toBe(200);
  });

  it('releaseClaims() unlocks the buffered jobs', async () => {
    await due(5);
    const { repo } = counted({ claimBatch: 10 });
    const first = await claim(repo);
    expect(await fx.count('locked_at IS NOT NULL')).toBe(5);
    await repo.releaseClaims();
    expect(repo.buffered()).toBe(0);
    expect(await fx.lockedIds()).toEqual([String(first!._id)]);
    const again = await claim(repo);
    expect(again?._id).not.toBe(first!._id);
    expect(await fx.count('locked_at IS NOT NULL')).toBe(5);
  });

  it('a buffer older than claimBufferTtlMs goes back to the table instead of being handed out', async () => {
    await due(3);
    const { repo, counts } = counted({ claimBatch: 10, claimBufferTtlMs: 150 });
    const first = await claim(repo);
    expect(repo.buffered()).toBe(2);
    await delay(300);
    // Given back even though nobody asked again (a stopped agenda never asks).
    expect(repo.buffered()).toBe(0);
    expect(await fx.lockedIds()).toEqual([String(first!._id)]);
    const before = Date.now();
    const next = await claim(repo);
    expect(counts.getConnection).toBe(2);
    expect(next?.lockedAt!.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('does not hand out a buffered job whose lock has used up half its lifetime', async () => {
    await due(3);
    const { repo, counts } = counted({ claimBatch: 10 });
    const t0 = new Date();
    await claim(repo, 'batch', t0, 600_000);
    const later = new Date(t0.getTime() + 400_000);
    const second = await claim(repo, 'batch', later, 600_000);
    expect(counts.getConnection).toBe(2);
    expect(second?.lockedAt?.getTime()).toBe(later.getTime());
    expect((await fx.row(second!._id))?.locked_at.getTime()).toBe(later.getTime());
  });

  it('unlockJobs (agenda.stop) also gives back buffered jobs', async () => {
    await due(5);
    const { repo } = counted({ claimBatch: 10 });
    const first = await claim(repo);
    await repo.unlockJobs([first!._id!]);
    expect(repo.buffered()).toBe(0);
    expect(await fx.lockedIds()).toEqual([]);
  });

  it('buffered jobs that are disabled, removed or purged are not handed out', async () => {
    await due(6);
    const { repo } = counted({ claimBatch: 10 });
    await claim(repo);
    expect(repo.buffered()).toBe(5);
    const [b, c, , e] = (await repo.queryJobs({ name: 'batch', sort: { nextRunAt: 'asc' } })).jobs.slice(1);
    await repo.disableJobs({ id: String(b!._id) });
    expect((await fx.row(b!._id))?.locked_at).toBeNull();
    await repo.removeJobs({ id: String(c!._id) });
    await repo.removeJobs({ name: 'batch', data: { i: 3 } });
    await repo.saveJob({ ...e!, disabled: true }, undefined);
    expect((await fx.row(e!._id))?.locked_at).toBeNull();
    expect(repo.buffered()).toBe(1);
    expect((await claim(repo))?.data).toEqual({ i: 5 });
    expect(await claim(repo)).toBeUndefined();
    await due(3, 'purged');
    await claim(repo, 'purged');
    expect(repo.buffered()).toBe(2);
    await repo.purgeAllJobs();
    expect(repo.buffered()).toBe(0);
    expect(await claim(repo, 'purged')).toBeUndefined();
  });

  describe('with agenda', () => {
    it('jobs buffered beyond a lock limit go back to the table after stop()', async () => {
      const agenda = await fx.agenda({}, { claimBatch: 10, claimBufferTtlMs: 200 });
      const gate = fx.gate();
      agenda.define('limited', () => gate.wait(), { lockLimit: 1 });
      for (let i = 0; i < 5; i++) await agenda.now('limited');
      await agenda.start();
      await waitUntil(async () => (await agenda.getRunningStats()).runningJobs === 1);
      await agenda.stop();
      await waitUntil(async () => (await fx.count('locked_at IS NOT NULL')) === 1, 1_000);
      gate.open();
      await waitUntil(async () => (await fx.count('locked_at IS NOT NULL')) === 0, 1_000);
    });

    it('runs every job when the lock lifetime is shorter than the buffer TTL', { timeout: 30_000 }, async () => {
      const agenda = await fx.agenda({}, { claimBatch: 10, claimBufferTtlMs: 5_000 });
      const errors: Error[] = [];
      agenda.on('error', (e: Error) => errors.push(e));
      // Ratios, not absolute times, are what this checks (a job buffered past half its lock lifetime is
      // handed back, not served late): a lifetime of 2 s keeps the margin on a loaded 2-core machine.
      agenda.define('short-life', () => delay(750), { lockLifetime: 2_000, lockLimit: 1 });
      for (let i = 0; i < 4; i++) await agenda.now('short-life');
      const done = waitForEvents<Job>(agenda, 'success:short-life', 4, 20_000);
      await agenda.start();
      expect(new Set((await done).map((j) => String(j.attrs._id))).size).toBe(4);
      expect(errors).toEqual([]);
    });
  });

  it('a claim still in flight when agenda stops gives its jobs back instead of leaving them locked', async () => {
    await due(3);
    // The claim's connection is held back until agenda has stopped (unlockJobs is agenda's stop()).
    let letGo!: () => void;
    let claiming!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const started = new Promise<void>((resolve) => (claiming = resolve));
    const pool = new Proxy(fx.pool, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop === 'getConnection') {
          return async () => {
            claiming();
            await held;
            return (value as () => Promise<unknown>).call(target);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const backend = new MySqlBackend({ pool });
    const repo = backend.repository;
    await backend.notificationChannel!.connect();
    const inFlight = claim(repo);
    await started;
    // What agenda.stop() does even when its processor holds no job: disconnect the channel.
    await backend.notificationChannel!.disconnect();
    letGo();
    expect(await inFlight).toBeUndefined();
    expect(await fx.lockedIds()).toEqual([]);
    // A later start claims them as usual.
    expect((await claim(repo))?.name).toBe('batch');
  });
});
