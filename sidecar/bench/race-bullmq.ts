import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';

// BullMQ's side of the step race (step-race.ts): the same jobs in a queue on Debian's redis-server.

export type RaceQueue = { queue: Queue; close: () => Promise<void> };

const connectionTo = (port: number) => ({ host: '127.0.0.1', port, maxRetriesPerRequest: null });

/** An empty queue named 'race' (what an earlier run left is removed). */
export async function raceQueue(port: number): Promise<RaceQueue> {
  const queue = new Queue('race', { connection: connectionTo(port) });
  await queue.waitUntilReady();
  await queue.obliterate({ force: true });
  return { queue, close: () => queue.close() };
}

/** `count` jobs, in batches of 5,000 (addBulk: one MULTI each); `dueAt(i)` makes them delayed jobs due then. */
export async function addJobs(queue: Queue, from: number, count: number, dueAt?: (i: number) => number): Promise<void> {
  for (let start = from; start < from + count; start += 5_000) {
    const now = Date.now();
    const jobs = [];
    for (let i = start; i < Math.min(from + count, start + 5_000); i++) {
      const due = dueAt?.(i);
      jobs.push({ name: 'step', data: { i, due }, opts: due ? { delay: Math.max(0, due - now) } : {} });
    }
    await queue.addBulk(jobs);
  }
}

export async function completedCount(queue: Queue): Promise<number> {
  return queue.getCompletedCount();
}

/**
 * BullMQ's claim: Worker.getNextJob (its moveToActive script, which also promotes delayed jobs
 * that came due) of one waiting job, timed; the job is then completed without fetching the next.
 * A BullMQ worker claims one job per round trip, so this is the cost per job claimed.
 */
export async function bullClaimCost(port: number, queue: Queue, rounds: number): Promise<number[]> {
  await addJobs(queue, 0, rounds);
  const worker = new Worker('race', null, { connection: connectionTo(port), autorun: false });
  await worker.waitUntilReady();
  const token = randomUUID();
  const times: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const job = await worker.getNextJob(token, { block: false });
      times.push(performance.now() - t0);
      if (!job) throw new Error('BullMQ had no waiting job to claim');
      await job.moveToCompleted('done', token, false);
    }
  } finally {
    await worker.close();
  }
  return times.sort((a, b) => a - b);
}
