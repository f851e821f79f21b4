import { Worker } from 'bullmq';
import { createLogger } from '../src/logger.ts';
import { startSidecar } from '../src/sidecar.ts';
import { benchProfiler } from './profile.ts';
import { scrapeMetrics, total } from './scrape-metrics.ts';

// One worker process of the step race (step-race.ts), forked: `ours` is a whole sidecar (its step
// and send loops as they run in production; without COMEBACK_SMTP_URL every email goes to the dev
// outbox provider, which sends nothing: the no-op channel), `bullmq` a BullMQ Worker with a no-op
// processor. Parent → child: 'go' (start working), 'stop' (answer what was done and exit).

/** `cpuS`: this process's CPU seconds from 'go' to 'stop' (process.cpuUsage). */
type Done = { sent: number; ids: string[]; late: number[]; cpuS: number };
let cpuFrom = process.cpuUsage();
const cpuSince = () => {
  const used = process.cpuUsage(cpuFrom);
  return (used.user + used.system) / 1e6;
};
const send = (message: unknown) => process.send!(message);

// BENCH_PROFILE=<folder>: a CPU profile of this worker's work, from 'go' to 'stop'.
const profiler = benchProfiler(process.argv[2]!);

if (process.argv[2] === 'ours') {
  const sidecar = await startSidecar({
    logger: createLogger('silent'),
    // BENCH_POLL_MS unset: the step loop's default poll (COMEBACK_WORK_POLL_MS).
    env: {
      COMEBACK_DATABASE_URL: process.env.BENCH_DATABASE_URL,
      COMEBACK_HTTP_PORT: '0',
      COMEBACK_WORK_POLL_MS: process.env.BENCH_POLL_MS,
    },
  });
  const onMessage = async (message: unknown) => {
    if (message === 'go') {
      await profiler.start();
      cpuFrom = process.cpuUsage();
      sidecar.loops.steps.kick();
    }
    if (message === 'stop') {
      // Sends the providers accepted, by this process: a step sent twice shows here even where the outbox holds one row.
      const cpuS = cpuSince();
      await profiler.write();
      const sent = total(await scrapeMetrics(sidecar.url), 'comeback_steps_sent_total');
      await sidecar.stop();
      send({ sent, ids: [], late: [], cpuS } satisfies Done);
      process.exit(0);
    }
  };
  process.on('message', (message) => void onMessage(message));
  send('ready');
} else {
  const connection = { host: '127.0.0.1', port: Number(process.env.BENCH_REDIS_PORT), maxRetriesPerRequest: null };
  const ids: string[] = [];
  const late: number[] = [];
  const worker = new Worker(
    'race',
    async (job) => {
      const due = (job.data as { due?: number }).due;
      if (due) late.push(Date.now() - due);
      ids.push(job.id!);
    },
    { connection, concurrency: 10, autorun: false },
  );
  await worker.waitUntilReady();
  const onMessage = async (message: unknown) => {
    if (message === 'go') {
      await profiler.start();
      cpuFrom = process.cpuUsage();
      void worker.run();
    }
    if (message === 'stop') {
      const cpuS = cpuSince();
      await profiler.write();
      await worker.close();
      send({ sent: ids.length, ids, late, cpuS } satisfies Done);
      process.exit(0);
    }
  };
  process.on('message', (message) => void onMessage(message));
  send('ready');
}
