import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpuSeconds, median, spread, type BenchDb } from './bench-db.ts';
import { addJobs, bullClaimCost, completedCount, raceQueue } from './race-bullmq.ts';
import { enrollCarts, ourClaimCost, ourClaimPlan, raceOutcome, raceShop, sentCount, setShopState } from './race-ours.ts';
import { startRedis, type RedisServer } from './redis-server.ts';
import type { Row } from './scheduler-bench.ts';

/**
 * The step race: due flow steps through our real step runner (claim → cart read → consent →
 * render → outbox row → no-op "send" → sent, durable on the bench MariaDB) against BullMQ on
 * redis-server (append-only, fsync every second) doing no-op jobs at concurrency 10 per worker,
 * side by side in one run: throughput with 1 and 3 worker processes, lateness of steps due at
 * 1,000/s, claim cost with 10k vs 1M future steps. Each row prints ours, BullMQ's and the ratio.
 */
export async function stepRace(db: BenchDb, quick: boolean): Promise<Row[]> {
  const sizes = quick
    ? { count: 2_000, late: 2_000, spreadS: 5, small: 10_000, large: 100_000, rounds: 200 }
    : { count: 20_000, late: 20_000, spreadS: 20, small: 10_000, large: 1_000_000, rounds: 500 };
  // BENCH_RACE=throughput,lateness,claim: only those parts (all when unset).
  const parts = process.env.BENCH_RACE?.split(',');
  const part = (name: string) => !parts || parts.includes(name);
  const redis = await startRedis();
  try {
    const rows: Row[] = [];
    for (const procs of part('throughput') ? [1, 3] : []) {
      const ours = await ourThroughput(db, procs, sizes.count);
      const bull = await bullThroughput(redis, procs, sizes.count);
      rows.push({
        bench: `race: due steps/s, ${procs} process${procs > 1 ? 'es' : ''} (${fmt(sizes.count)} due): ours / BullMQ (ratio)`,
        value: `${fmt(ours.perSecond)} / ${fmt(bull.perSecond)} (${fmt(ours.perSecond / bull.perSecond, 2)}×)`,
        target: '≥ BullMQ',
        ok: ours.perSecond >= bull.perSecond,
      });
      rows.push({
        bench: `race: CPU ms per step, ${procs} process${procs > 1 ? 'es' : ''}: workers + store (ours: MariaDB; BullMQ: redis-server)`,
        value: `${fmt(ours.cpuMs.workers, 2)} + ${fmt(ours.cpuMs.store, 2)}; ${fmt(bull.cpuMs.workers, 2)} + ${fmt(bull.cpuMs.store, 2)}`,
        target: '',
        ok: undefined,
      });
      console.error(`race, ${procs} process(es): ours ${fmt(ours.perSecond)}/s, BullMQ ${fmt(bull.perSecond)}/s`);
      rows.push({
        bench: `race: duplicates / missing, ${procs} process${procs > 1 ? 'es' : ''}: ours; BullMQ`,
        value: `${ours.duplicates} / ${ours.missing}; ${bull.duplicates} / ${bull.missing}`,
        target: '0 / 0',
        ok: ours.duplicates + ours.missing + bull.duplicates + bull.missing === 0,
      });
    }
    if (part('lateness')) {
      const bullLate = await bullLateness(redis, sizes.late, sizes.spreadS);
      const show = (l: Lateness) => `${fmt(l.p50)} / ${fmt(l.p99)} / ${fmt(l.max)}`;
      // Steps due by time alone: the step loop wakes at the next step's due time, or polls (default 1 s, and 100 ms).
      for (const pollMs of [undefined, 100]) {
        const oursLate = await ourLateness(db, sizes.late, sizes.spreadS, pollMs);
        console.error(`race lateness p99, poll ${pollMs ?? 'default'}: ours ${fmt(oursLate.p99)} ms, BullMQ ${fmt(bullLate.p99)} ms`);
        rows.push({
          bench: `race: lateness ms p50 / p99 / max, ${fmt(sizes.late)} due over ${sizes.spreadS} s, 1 process, poll ${pollMs ? `${pollMs} ms` : '1 s (default)'}: ours; BullMQ`,
          value: `${show(oursLate)}; ${show(bullLate)} (p99 ${fmt(oursLate.p99 / bullLate.p99, 2)}×)`,
          target: 'p99 < BullMQ, 0 missing',
          ok: oursLate.p99 < bullLate.p99 && oursLate.missing === 0 && bullLate.missing === 0,
        });
      }
    }
    if (!part('claim')) return rows;
    const ours = await ourClaim(db, sizes);
    const bull = await bullClaim(redis, sizes);
    const k = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1_000}k`);
    rows.push({
      bench: `race: claim ms (median), ${k(sizes.small)} → ${k(sizes.large)} future steps: ours (50 a claim); BullMQ (1 a claim)`,
      value: `${fmt(ours.small, 2)} → ${fmt(ours.large, 2)}; ${fmt(bull.small, 2)} → ${fmt(bull.large, 2)}`,
      target: '',
      ok: undefined,
    });
    rows.push({
      bench: `race: claim cost ratio ${k(sizes.large)} / ${k(sizes.small)}: ours; BullMQ`,
      value: `${fmt(ours.large / ours.small, 2)}; ${fmt(bull.large / bull.small, 2)}`,
      target: '≤ 1.2',
      ok: ours.large / ours.small <= 1.2,
    });
    rows.push({
      bench: `race: our claim's plan with ${k(sizes.large)} future steps (EXPLAIN)`,
      value: ours.plan,
      target: 'range, no filesort',
      ok: undefined,
    });
    return rows;
  } finally {
    await redis.stop();
  }
}

/** `cpuMs`: CPU ms per step of the worker processes (summed) and of the store (MariaDB, redis-server). */
type Throughput = { perSecond: number; duplicates: number; missing: number; cpuMs: { workers: number; store: number } };
type Lateness = { p50: number; p99: number; max: number; missing: number };
type Done = { sent: number; ids: string[]; late: number[]; cpuS: number };

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** `procs` forked worker processes (race-worker.ts), started and ready. */
export async function startWorkers(kind: 'ours' | 'bullmq', procs: number, env: Record<string, string>) {
  const children: ChildProcess[] = [];
  for (let p = 0; p < procs; p++) {
    children.push(
      fork(new URL('./race-worker.ts', import.meta.url), [kind], {
        // BENCH_PROFILE=<folder>: each worker writes a CPU profile of its work there (race-worker.ts).
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, ...env },
      }),
    );
  }
  await Promise.all(children.map((c) => once(c, 'message')));
  return {
    go: () => children.forEach((c) => c.send('go')),
    async stop(): Promise<Done[]> {
      return Promise.all(
        children.map(async (c) => {
          const answer = once(c, 'message');
          c.send('stop');
          const [done] = (await answer) as [Done];
          if (c.exitCode === null) await once(c, 'exit');
          return done;
        }),
      );
    },
  };
}

/** Polls `count()` until it reaches `target`; gives up after `limitMs` (what is missing then shows in the counts). */
async function waitFor(count: () => Promise<number>, target: number, limitMs: number): Promise<void> {
  const deadline = performance.now() + limitMs;
  while ((await count()) < target && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

async function ourThroughput(db: BenchDb, procs: number, count: number): Promise<Throughput> {
  const database = await db.fresh('bench_race');
  try {
    const shop = await raceShop(database.pool, count);
    await enrollCarts(database.pool, shop, 0, count, () => new Date(Date.now() - 1_000));
    // The shop is paused until every worker is up: the clock starts when the steps become workable.
    const workers = await startWorkers('ours', procs, { BENCH_DATABASE_URL: db.url('bench_race') });
    await setShopState(database.pool, shop.shopId, 'active');
    const started = performance.now();
    const storeCpu = cpuSeconds(db.server.pid);
    workers.go();
    await waitFor(() => sentCount(database.pool), count, 60_000 + count * 10);
    const seconds = (performance.now() - started) / 1000;
    const storeS = cpuSeconds(db.server.pid) - storeCpu;
    const done = await workers.stop();
    const outcome = await raceOutcome(database.pool, count);
    // A send the provider accepted twice for one outbox row is a duplicate the outbox cannot show.
    const sends = done.reduce((sum, d) => sum + d.sent, 0);
    return {
      perSecond: (count - outcome.missing) / seconds,
      duplicates: outcome.duplicates + Math.max(0, sends - (count - outcome.missing)),
      missing: outcome.missing,
      cpuMs: perStep(done, storeS, count),
    };
  } finally {
    await database.close();
  }
}

async function bullThroughput(redis: RedisServer, procs: number, count: number): Promise<Throughput> {
  const { queue, close } = await raceQueue(redis.port);
  try {
    await addJobs(queue, 0, count);
    const workers = await startWorkers('bullmq', procs, { BENCH_REDIS_PORT: String(redis.port) });
    const started = performance.now();
    const storeCpu = cpuSeconds(redis.pid);
    workers.go();
    await waitFor(() => completedCount(queue), count, 60_000 + count * 10);
    const seconds = (performance.now() - started) / 1000;
    const storeS = cpuSeconds(redis.pid) - storeCpu;
    const done = await workers.stop();
    const ids = done.flatMap((d) => d.ids);
    const distinct = new Set(ids).size;
    return {
      perSecond: distinct / seconds,
      duplicates: ids.length - distinct,
      missing: count - distinct,
      cpuMs: perStep(done, storeS, count),
    };
  } finally {
    await close();
  }
}

/** Lateness = sent − due per step; due times start after the workers are up, so no step is late because of the set-up. */
async function ourLateness(db: BenchDb, count: number, spreadS: number, pollMs: number | undefined): Promise<Lateness> {
  const database = await db.fresh('bench_race_late');
  try {
    const shop = await raceShop(database.pool, count);
    await setShopState(database.pool, shop.shopId, 'active');
    const workers = await startWorkers('ours', 1, {
      BENCH_DATABASE_URL: db.url('bench_race_late'),
      ...(pollMs ? { BENCH_POLL_MS: String(pollMs) } : {}),
    });
    const begin = Date.now() + headStartMs(count);
    await enrollCarts(database.pool, shop, 0, count, (i) => new Date(begin + Math.floor((i / count) * spreadS * 1000)));
    if (Date.now() > begin) throw new Error('enrolling the steps took longer than the head start; raise it');
    await waitFor(() => sentCount(database.pool), count, 60_000 + spreadS * 1000 + count * 10);
    await workers.stop();
    const { late, missing } = await raceOutcome(database.pool, count);
    return { ...spread(late), missing };
  } finally {
    await database.close();
  }
}

async function bullLateness(redis: RedisServer, count: number, spreadS: number): Promise<Lateness> {
  const { queue, close } = await raceQueue(redis.port);
  try {
    const workers = await startWorkers('bullmq', 1, { BENCH_REDIS_PORT: String(redis.port) });
    workers.go();
    const begin = Date.now() + headStartMs(count);
    await addJobs(queue, 0, count, (i) => begin + Math.floor((i / count) * spreadS * 1000));
    if (Date.now() > begin) throw new Error('adding the jobs took longer than the head start; raise it');
    await waitFor(() => completedCount(queue), count, 60_000 + spreadS * 1000 + count * 10);
    const done = await workers.stop();
    const late = done.flatMap((d) => d.late).sort((a, b) => a - b);
    return { ...spread(late), missing: count - new Set(done.flatMap((d) => d.ids)).size };
  } finally {
    await close();
  }
}

const perStep = (done: Done[], storeS: number, count: number) => ({
  workers: (1000 * done.reduce((sum, d) => sum + d.cpuS, 0)) / count,
  store: (1000 * storeS) / count,
});

/** Time to write `count` due steps before the first is due, with room for a loaded machine. */
const headStartMs = (count: number) => 5_000 + count / 2;

/** Claim cost with `small`, then `large`, steps due an hour or more from now beside 200 due ones. */
async function ourClaim(
  db: BenchDb,
  sizes: { small: number; large: number; rounds: number },
): Promise<{ small: number; large: number; plan: string }> {
  const database = await db.fresh('bench_race_claim');
  try {
    const shop = await raceShop(database.pool, 0);
    await setShopState(database.pool, shop.shopId, 'active');
    const future = (i: number) => new Date(Date.now() + 3_600_000 + i * 10);
    await enrollCarts(database.pool, shop, 0, 200, () => new Date(Date.now() - 60_000));
    await enrollCarts(database.pool, shop, 200, sizes.small, future);
    await ourClaimCost(database.pool, 50); // warm up
    const small = median(await ourClaimCost(database.pool, sizes.rounds));
    await enrollCarts(database.pool, shop, 200 + sizes.small, sizes.large - sizes.small, future);
    await database.pool.query('ANALYZE TABLE enrollments');
    await ourClaimCost(database.pool, 50);
    const large = median(await ourClaimCost(database.pool, sizes.rounds));
    return { small, large, plan: await ourClaimPlan(database.pool) };
  } finally {
    await database.close();
  }
}

async function bullClaim(
  redis: RedisServer,
  sizes: { small: number; large: number; rounds: number },
): Promise<{ small: number; large: number }> {
  const { queue, close } = await raceQueue(redis.port);
  try {
    const future = (i: number) => Date.now() + 3_600_000 + i * 10;
    await addJobs(queue, 0, sizes.small, future);
    await bullClaimCost(redis.port, queue, 50);
    const small = median(await bullClaimCost(redis.port, queue, sizes.rounds));
    await addJobs(queue, sizes.small, sizes.large - sizes.small, future);
    await bullClaimCost(redis.port, queue, 50);
    const large = median(await bullClaimCost(redis.port, queue, sizes.rounds));
    return { small, large };
  } finally {
    await close();
  }
}
