import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { upsertOrder } from '../src/events/order-projection.ts';
import { DEFAULT_RECOVERY, saveRecoverySettings, UNPAID_FLOW } from '../src/flows/recovery-settings.ts';
import { createLogger } from '../src/logger.ts';
import { startSidecar } from '../src/sidecar.ts';
import { orderPayload } from '../src/woo/order-payload.ts';
import { saveCompany } from '../src/woo/shop-profile.ts';
import { cpuMeter, type BenchDb } from './bench-db.ts';

type Remote = { shop: { url: string; consumerKey: string; consumerSecret: string; orders: Array<Record<string, unknown>> }; smtpPort: number };

/**
 * Reminders per second through one sidecar, end to end: `count` enrollments due at once; each
 * step is claimed, its order read again over REST from the stand-in shop, the reminder rendered
 * and queued, then sent over SMTP to a sink and marked sent. Timed from the wake-up until every
 * outbox row is `sent`; the shop and the SMTP sink run in another process.
 */
export async function reminderThroughput(db: BenchDb, count: number): Promise<{ count: number; perSecond: number; seconds: number }> {
  const database = await db.fresh('bench_reminders');
  const remote = fork(new URL('./remote-side.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, BENCH_ORDERS: String(count) } });
  const [{ shop, smtpPort }] = (await once(remote, 'message')) as [Remote];
  const pool = database.pool;
  const [inserted] = await pool.query<ResultSetHeader>(
    'INSERT INTO shops (url, name, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?, ?)',
    [shop.url, 'Bench Shop', 'bench-secret', shop.consumerKey, shop.consumerSecret],
  );
  const shopId = inserted.insertId;
  await saveRecoverySettings(pool, shopId, { ...DEFAULT_RECOVERY, enabled: true });
  await saveCompany(pool, shopId, { name: 'Bench Shop Ltd', address: ['1 Bench Street'], bankAccounts: [] });
  for (const order of shop.orders) await upsertOrder(pool, shopId, orderPayload.parse(order));

  const sidecar = await startSidecar({
    logger: createLogger('silent'),
    env: {
      COMEBACK_DATABASE_URL: db.url('bench_reminders'),
      COMEBACK_HTTP_PORT: '0',
      COMEBACK_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      COMEBACK_SCHEDULER_PROCESS_EVERY_MS: '100',
    },
  });
  try {
    const due = new Date(Date.now() - 1_000);
    const rows = shop.orders.map((o) => [shopId, UNPAID_FLOW, 'order', String(o.id), 'active', 0, due, due]);
    await pool.query('INSERT INTO enrollments (shop_id, flow, subject_type, subject_id, status, step, next_step_at, entered_at) VALUES ?', [rows]);
    const cpu = cpuMeter(db.server.pid, remote.pid!);
    const started = performance.now();
    await sidecar.scheduler.agenda.now('flows.run-due');
    let queuedAt = 0;
    for (;;) {
      const [[queued]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM outbox');
      if (!queuedAt && Number(queued!.n) >= count) queuedAt = performance.now();
      const [[sent]] = await pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'");
      if (Number(sent!.n) >= count) break;
      const [failed] = await pool.query<RowDataPacket[]>("SELECT last_error FROM outbox WHERE status IN ('failed', 'retry') LIMIT 3");
      if (failed.length > 0) throw new Error(`messages failed during the reminders benchmark: ${failed.map((f) => f.last_error).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    const used = cpu.stop();
    console.error(`reminders: all queued after ${((queuedAt - started) / 1000).toFixed(1)} s, all sent after ${seconds.toFixed(1)} s`);
    console.error(`reminders CPU seconds over ${seconds.toFixed(1)} s: sidecar ${used.self.toFixed(1)}, shop + SMTP sink ${used.child.toFixed(1)}, MariaDB ${used.mariadb.toFixed(1)}`);
    remote.send('count');
    const [{ received }] = (await once(remote, 'message')) as [{ received: number }];
    if (received < count) throw new Error(`the SMTP sink received ${received} of ${count} reminders`);
    return { count, perSecond: count / seconds, seconds };
  } finally {
    const t0 = performance.now();
    const lap = (what: string) => process.env.BENCH_DEBUG && console.error(`${what} at +${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await sidecar.stop();
    lap('sidecar stopped');
    remote.send('stop');
    await once(remote, 'exit');
    lap('remote stopped');
    await database.close();
    lap('database closed');
  }
}
