import { fork } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { ResultSetHeader } from 'mysql2/promise';
import { runHistoryImport, startHistoryImport } from '../src/woo/history-import.ts';
import { createWooClient } from '../src/woo/rest-client.ts';
import type { BenchDb } from './bench-db.ts';
import { orderPipe } from '../src/app/order-pipe.ts';

type Remote = { shop: { url: string; consumerKey: string; consumerSecret: string } };

/**
 * The first import of an order history: `count` orders read over REST (OAuth-signed, 100 a page,
 * oldest id first) from the stand-in shop in another process, each stored through the order
 * projection with the position saved after every page. Timed from the first page to the last.
 */
export async function importThroughput(db: BenchDb, count: number): Promise<{ count: number; perSecond: number; seconds: number }> {
  const database = await db.fresh('bench_import');
  const remote = fork(new URL('./remote-side.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_ORDERS: String(count) },
  });
  try {
    const [{ shop }] = (await once(remote, 'message')) as [Remote];
    const pool = database.pool;
    const [inserted] = await pool.query<ResultSetHeader>(
      'INSERT INTO shops (url, name, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?, ?)',
      [shop.url, 'Bench Shop', 'bench-secret', shop.consumerKey, shop.consumerSecret],
    );
    const client = createWooClient(shop, { net: { allowPrivate: true } });
    await startHistoryImport(pool, inserted.insertId, new Date());
    const start = performance.now();
    const progress = await runHistoryImport(pool, inserted.insertId, client, orderPipe());
    const seconds = (performance.now() - start) / 1000;
    if (progress.status !== 'done' || progress.imported !== count)
      throw new Error(`import ended ${progress.status} with ${progress.imported} of ${count}`);
    return { count, perSecond: count / seconds, seconds };
  } finally {
    remote.send('stop');
    await once(remote, 'exit');
    await database.close();
  }
}
