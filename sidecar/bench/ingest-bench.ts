import { fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { RowDataPacket } from 'mysql2/promise';
import { signWebhook } from '../src/woo/webhook-signature.ts';
import { cpuMeter, type BenchDb } from './bench-db.ts';

const SECRET = 'bench-webhook-secret';
const SHOP = 'http://127.0.0.1:8080';

export type IngestResult = { requestsPerSecond: number; p50: number; p99: number; stored: number; answered: number; errors: number };

/**
 * Webhook ingest at 50 connections: distinct signed order.updated deliveries (a recorded order
 * with its id and date_modified varied, so every one is a new row, never a dedup hit) against
 * the real route in a child process, on the embedded MariaDB at full durability.
 */
export async function ingestThroughput(db: BenchDb, seconds: number): Promise<IngestResult> {
  const database = await db.fresh('bench_ingest');
  await database.pool.query('INSERT INTO shops (url, webhook_secret) VALUES (?, ?)', [SHOP, SECRET]);
  const [order] = JSON.parse(readFileSync(new URL('../src/demo/data/orders.json', import.meta.url), 'utf8')) as Array<
    Record<string, unknown>
  >;
  const base = Date.UTC(2026, 0, 1);
  const bodies = Array.from({ length: Math.ceil(seconds * 12_000) }, (_, i) => {
    const body = Buffer.from(
      JSON.stringify({ ...order, id: 100_000 + i, date_modified_gmt: new Date(base + i * 1000).toISOString().slice(0, 19) }),
    );
    return { body, signature: signWebhook(body, SECRET) };
  });

  const child = fork(new URL('./ingest-server.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])],
    env: { ...process.env, BENCH_DATABASE_URL: db.url('bench_ingest') },
  });
  const [{ port }] = (await once(child, 'message')) as [{ port: number }];
  let next = 0;
  const run = (duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}/webhooks/woocommerce`,
      connections: 50,
      duration,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            const { body, signature } = bodies[next++ % bodies.length]!;
            return {
              ...request,
              body,
              headers: {
                'content-type': 'application/json',
                'x-wc-webhook-topic': 'order.updated',
                'x-wc-webhook-resource': 'order',
                'x-wc-webhook-event': 'updated',
                'x-wc-webhook-source': `${SHOP}/`,
                'x-wc-webhook-signature': signature,
              },
            };
          },
        },
      ],
    });
  try {
    await run(2); // warm-up: JIT, pool connections, buffer pool
    const cpu = cpuMeter(db.server.pid, child.pid!);
    const result = await run(seconds);
    const used = cpu.stop();
    console.error(
      `ingest CPU seconds over ${seconds} s: load generator ${used.self.toFixed(1)}, server ${used.child.toFixed(1)}, MariaDB ${used.mariadb.toFixed(1)}`,
    );
    const [[stored]] = await database.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM events');
    return {
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      stored: Number(stored!.n),
      answered: result['2xx'],
      errors: result.errors + result.non2xx,
    };
  } finally {
    child.send('stop');
    await once(child, 'exit');
    await database.close();
  }
}
