import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import pMap from 'p-map';
import { spawnWorker, stopWorker, type Worker } from '../../test/helpers/child-workers.ts';
import { loadConfig } from '../src/config.ts';
import { startStandInShop } from '../src/demo/stand-in-shop.ts';
import { upsertOrder } from '../src/events/order-store.ts';
import { DEFAULT_RECOVERY, saveRecoverySettings, UNPAID_FLOW } from '../src/flows/definition/recovery-settings.ts';
import { orderPayload } from '../src/woo/order-payload.ts';
import { saveCompany } from '../src/woo/shop-profile.ts';
import { signWebhook } from '../src/woo/webhook-signature.ts';
import { median, spread, startBenchDb } from './bench-db.ts';
import { scrapeMetrics, total } from './scrape-metrics.ts';
import { soakCounts } from './soak-counts.ts';
import { startSoakSink } from './soak-sink.ts';

// npm run soak [-- --quick]: reminders due while sidecars are killed with SIGKILL and restarted;
// a real SMTP sink counts what arrived by Message-ID. Not part of npm test. BENCHMARKS.md records
// its figures with this command.
const quick = process.argv.includes('--quick');
const COUNT = Number(process.env.SOAK_REMINDERS ?? (quick ? 1_000 : 10_000));
const KILLS = Number(process.env.SOAK_KILLS ?? (quick ? 5 : 20));
/** Reminders fall due evenly over this span; the kills land at random moments inside it. */
const SPREAD_MS = Number(process.env.SOAK_SPREAD_MS ?? (quick ? 30_000 : 120_000));
/** Orders paid before their reminder is due (their payment webhook stored first). */
const PAID_SHARE = 0.05;
/** Give up waiting this long after the last restart (then the missing ones are counted as missing). */
const DRAIN_LIMIT_MS = 180_000;
const SECRET = 'soak-secret';
const sidecarEntry = fileURLToPath(new URL('../../test/reliability/sidecar-worker.ts', import.meta.url));

const log = (line: string) => console.error(`soak +${((Date.now() - t0) / 1000).toFixed(1)} s: ${line}`);
let t0 = Date.now();

// ---- The database, the shop with its unpaid orders, the SMTP sink ----------------------------
const config = loadConfig(process.env, { workerName: 'soak' });
const db = await startBenchDb(resolve(config.home, 'soak'));
// Whatever ends the soak (a failure too), nothing it started is left running: its sidecars and its MariaDB.
let stoppedInOrder = false;
process.on('exit', () => {
  if (stoppedInOrder) return;
  try {
    for (const slot of slots) if (slot.child?.exitCode === null && slot.child.signalCode === null) slot.child.kill('SIGKILL');
    process.kill(db.server.pid, 'SIGTERM');
  } catch {
    // not started yet, or already stopped
  }
});
process.on('SIGINT', () => process.exit(130));
const database = await db.fresh('comeback_soak');
const pool = database.pool;
// Every deadlock InnoDB resolves goes to the bench server's error log (bench-mariadb/error.log), both statements named.
await pool.query('SET GLOBAL innodb_print_all_deadlocks = ON');

const [template] = JSON.parse(readFileSync(new URL('../src/demo/data/orders.json', import.meta.url), 'utf8')) as Array<
  Record<string, unknown>
>;
// Placed two days ago: outside the first sweep and the enrolment window; the soak enrolls them itself.
const placed = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 19);
const orders = new Map<number, Record<string, unknown>>();
const emailOf = (i: number) => `soak${i}@example.test`;
const idOf = (i: number) => 700_000 + i;
for (let i = 0; i < COUNT; i++) {
  const billing = { ...(template!.billing as Record<string, unknown>), email: emailOf(i), first_name: `Ada${i}` };
  orders.set(idOf(i), { ...template, id: idOf(i), number: String(idOf(i)), billing, date_created_gmt: placed, date_modified_gmt: placed });
}
const shop = await startStandInShop({ orders });

const sink = await startSoakSink(pool);
const { received, recordedAt } = sink;

const [inserted] = await pool.query<ResultSetHeader>(
  'INSERT INTO shops (url, name, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?, ?)',
  [shop.url, 'Soak Shop', SECRET, shop.consumerKey, shop.consumerSecret],
);
const shopId = inserted.insertId;
await saveRecoverySettings(pool, shopId, { ...DEFAULT_RECOVERY, enabled: true });
await saveCompany(pool, shopId, { name: 'Soak Shop Ltd', address: ['1 Soak Street'], bankAccounts: [] });
await pMap(orders.values(), (order) => upsertOrder(pool, shopId, orderPayload.parse(order)), { concurrency: 16 });
log(`${COUNT} unpaid orders stored`);

// ---- The sidecars: one for the whole run, a second for its first half ------------------------
const env = {
  COMEBACK_DATABASE_URL: db.url('comeback_soak'),
  COMEBACK_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
  COMEBACK_LOG_LEVEL: 'error',
};
type Slot = { name: string; child?: ChildProcess; ready: Promise<Worker | null>; current?: Worker; restarts: number[] };
const slots: Slot[] = ['A', 'B'].map((name) => ({ name, ready: Promise.resolve(null), restarts: [] }));
/** Sidecars' own counters (/metrics), read just before each is killed and from the survivor at the end. */
const counted = { claimed: 0, sent: 0, failed: 0 };
/** How long each restarted sidecar took to serve. */
const restartToReady: number[] = [];
/** Starts the slot's sidecar now; `current` is it once it serves. */
function launch(slot: Slot): void {
  const { child, ready } = spawnWorker(sidecarEntry, { ...env, COMEBACK_WORKER_NAME: `${slot.name}-${randomBytes(2).toString('hex')}` });
  slot.child = child;
  slot.current = undefined;
  slot.ready = ready.then(
    (worker) => {
      if (slot.child === child) slot.current = worker;
      if (slot.restarts.length) restartToReady.push(Date.now() - slot.restarts.at(-1)!);
      return worker;
    },
    () => null, // killed while starting
  );
}
/** Kills the slot's sidecar with SIGKILL while it serves; adds up its counters first. */
async function kill(slot: Slot): Promise<{ pid: number; waited: boolean }> {
  // A sidecar still starting after the previous kill is killed once it serves, a random moment (0–1 s) into its work.
  const waited = !slot.current;
  if (waited) {
    await slot.ready;
    await new Promise((r) => setTimeout(r, Math.random() * 1_000));
  }
  const worker = slot.current;
  if (worker) {
    const samples = await Promise.race([
      scrapeMetrics(worker.url).catch(() => null),
      new Promise<null>((r) => setTimeout(() => r(null), 300)),
    ]);
    if (samples) {
      counted.claimed += total(samples, 'comeback_steps_claimed_total');
      counted.sent += total(samples, 'comeback_steps_sent_total');
      counted.failed += samples.get('comeback_steps_worked_total{outcome="failed"}') ?? 0;
    }
  }
  const child = slot.child!;
  await stopWorker({ child }, 'SIGKILL');
  return { pid: child.pid!, waited };
}
for (const slot of slots) launch(slot);
if ((await Promise.all(slots.map((s) => s.ready))).includes(null)) throw new Error('a sidecar did not start');
log('two sidecars ready');

// Enrolled now, due evenly over the spread from a second from now on: the step loops take them as they fall due.
t0 = Date.now();
const firstDue = t0 + 1_000;
const dueAt = (i: number) => firstDue + Math.floor((i / COUNT) * SPREAD_MS);
const version = Number(
  (await pool.query<RowDataPacket[]>('SELECT version FROM flows WHERE shop_id = ? AND flow_key = ?', [shopId, UNPAID_FLOW]))[0][0]!.version,
);
for (let from = 0; from < COUNT; from += 2_000) {
  const rows = [];
  for (let i = from; i < Math.min(COUNT, from + 2_000); i++) {
    const due = new Date(dueAt(i));
    rows.push([shopId, UNPAID_FLOW, version, 'order', String(idOf(i)), 'active', 0, due, due, due, emailOf(i)]);
  }
  await pool.query(
    'INSERT INTO enrollments (shop_id, flow, flow_version, subject_type, subject_id, status, step, next_step_at, entered_at, anchor_at, customer_key) VALUES ?',
    [rows],
  );
}
const lastDue = dueAt(COUNT - 1);
log(`${COUNT} reminders due from +1 s to +${((lastDue - t0) / 1000).toFixed(0)} s`);

// ---- Payments: some customers pay 1–5 s before their reminder is due --------------------------
const paidStoredAt = new Map<string, number>();
const payments: Promise<void>[] = [];
for (let i = 0; i < COUNT; i++) {
  if (Math.random() >= PAID_SHARE) continue;
  const payAt = dueAt(i) - 1_000 - Math.random() * 4_000;
  if (payAt < Date.now() + 200) continue;
  payments.push(
    new Promise<void>((ok) => setTimeout(ok, payAt - Date.now())).then(async () => {
      paidStoredAt.set(emailOf(i), await pay(idOf(i)));
    }),
  );
}

/** The sidecars running now (one may be starting, or just killed). */
function live(): Worker[] {
  return slots.flatMap((slot) =>
    slot.current && slot.current.child.exitCode === null && slot.current.child.signalCode === null ? [slot.current] : [],
  );
}

/** Pays the order in the shop, then delivers order.updated to a live sidecar until one stores it; the time of its 200. */
async function pay(id: number): Promise<number> {
  const order = await shop.update(id, { status: 'processing', date_paid_gmt: new Date().toISOString().slice(0, 19), set_paid: true });
  const body = Buffer.from(JSON.stringify(order));
  for (let attempt = 0; ; attempt++) {
    const target = live()[attempt % 2];
    if (target) {
      try {
        const response = await fetch(`${target.url}/webhooks/woocommerce`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-wc-webhook-source': `${shop.url}/`,
            'x-wc-webhook-topic': 'order.updated',
            'x-wc-webhook-resource': 'order',
            'x-wc-webhook-event': 'updated',
            'x-wc-webhook-signature': signWebhook(body, SECRET),
            'x-wc-webhook-id': '1',
            'x-wc-webhook-delivery-id': randomBytes(16).toString('hex'),
          },
          body,
          signal: AbortSignal.timeout(5_000),
        });
        if (response.ok) return Date.now();
      } catch {
        // killed under it: another sidecar, or this one restarted, takes the next attempt
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---- The kills: at random moments while reminders fall due -----------------------------------
// Kill times are drawn at random over the spread; a kill that finds its sidecar still starting
// waits until it serves (counted apart), so every kill takes a sidecar that holds work.
// The last kill lands when the last reminder falls due (the drain after it is then the takeover's).
const killTimes = Array.from({ length: KILLS }, (_, k) => (k === KILLS - 1 ? lastDue : t0 + 1_000 + Math.random() * SPREAD_MS)).sort(
  (a, b) => a - b,
);
const halfTime = t0 + 1_000 + SPREAD_MS / 2;
const kills: Array<{ at: number; slot: string; pid: number; waited: boolean }> = [];
const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
let bStopped = false;
for (const at of killTimes) {
  if (!bStopped && at >= halfTime) {
    // Half-time: the second sidecar is killed too and stays down.
    await sleepUntil(halfTime);
    bStopped = true;
    const killed = await kill(slots[1]!);
    kills.push({ at: Date.now(), slot: 'B', ...killed });
    log(`half-time: killed B (pid ${killed.pid}) with SIGKILL; it stays down`);
  }
  await sleepUntil(at);
  // Two sidecars: either may die; one alone: that one.
  const slot = bStopped ? slots[0]! : slots[Math.floor(Math.random() * 2)]!;
  const killed = await kill(slot);
  kills.push({ at: Date.now(), slot: slot.name, ...killed });
  slot.restarts.push(Date.now());
  launch(slot);
  log(`killed ${slot.name} (pid ${killed.pid}${killed.waited ? ', once it served' : ''}) with SIGKILL; restarting it`);
}
if (!bStopped) {
  kills.push({ at: Date.now(), slot: 'B', ...(await kill(slots[1]!)) });
}
const lastStarted = (await slots[0]!.ready)!;
// The drain is timed from the last kill: a restart then, or (the second sidecar's) none at all.
const lastKill = Math.max(...kills.map((k) => k.at));
log(`the last restart serves (pid ${lastStarted.pid})`);
await Promise.all(payments);
log(`${paidStoredAt.size} payments stored`);

// ---- Drain: until every due reminder arrived and nothing is waiting in the outbox --------------
const expected = new Set<string>();
for (let i = 0; i < COUNT; i++) if (!paidStoredAt.has(emailOf(i))) expected.add(emailOf(i));
const deadline = Math.max(lastKill, lastDue) + DRAIN_LIMIT_MS;
for (;;) {
  const arrived = new Set(received.map((r) => r.to));
  const waiting = [...expected].filter((e) => !arrived.has(e)).length;
  const [[open]] = await pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sending', 'retry')");
  const [[due]] = await pool.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM enrollments WHERE status = 'active' AND next_step_at <= NOW(3) + INTERVAL 1 SECOND",
  );
  if (waiting === 0 && Number(open!.n) === 0 && Number(due!.n) === 0) break;
  if (Date.now() > deadline) {
    log(`gave up waiting: ${waiting} reminders not received, ${open!.n} outbox rows open, ${due!.n} steps due`);
    break;
  }
  await new Promise((r) => setTimeout(r, 250));
}
const drainedAt = Date.now();
await sink.stopWatching();
const survivor = await scrapeMetrics(lastStarted.url);
counted.claimed += total(survivor, 'comeback_steps_claimed_total');
counted.sent += total(survivor, 'comeback_steps_sent_total');
counted.failed += survivor.get('comeback_steps_worked_total{outcome="failed"}') ?? 0;
// A failed step waits a minute for its next try (step-runner.ts): why, as the enrollments still show it.
const stepErrors = (
  await pool.query<RowDataPacket[]>('SELECT last_error, COUNT(*) AS n FROM enrollments WHERE last_error IS NOT NULL GROUP BY last_error')
)[0]
  .map((r) => `${r.n}× ${String(r.last_error).slice(0, 80)}`)
  .join('; ');

// ---- The counts ----------------------------------------------------------------------------
const outbox = (
  await pool.query<RowDataPacket[]>('SELECT o.idempotency_key, o.enrollment_id, o.step FROM outbox o WHERE o.shop_id = ?', [shopId])
)[0];
const counts = soakCounts({
  received,
  outbox: outbox.map((row) => ({
    idempotencyKey: String(row.idempotency_key),
    enrollmentId: Number(row.enrollment_id),
    step: Number(row.step),
  })),
  expected,
  paidStoredAt,
  recordedAt,
  kills: kills.map((k) => k.at),
});
const { copies, stepTwice, unknown, missing, paidReminded, lastDueArrival, windows, duplicateWindows } = counts;
const recordWindow = spread(windows);
const statuses = (await pool.query<RowDataPacket[]>('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status'))[0]
  .map((r) => `${r.status} ${r.n}`)
  .join(', ');

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const lines: Array<[string, string, string, boolean]> = [
  ['reminders due / paid before due (webhook stored)', `${COUNT} / ${paidStoredAt.size}`, '', true],
  [
    'sidecar kills (SIGKILL) / of them delayed until the restarted one served / restarts',
    `${kills.length} / ${kills.filter((k) => k.waited).length} / ${slots[0]!.restarts.length + slots[1]!.restarts.length}`,
    '',
    true,
  ],
  [
    'a restarted sidecar serving again after, p50 / max',
    `${s(median([...restartToReady].sort((a, b) => a - b)))} / ${s(Math.max(0, ...restartToReady))}`,
    '',
    true,
  ],
  [
    "steps claimed / sent, the sidecars' /metrics summed (read before each kill)",
    `${counted.claimed} / ${counted.sent} (a claim or send in the last moment before a kill is missed)`,
    '',
    true,
  ],
  [
    'steps failed, tried again a minute later (/metrics); errors left on enrollments',
    `${counted.failed}; ${stepErrors || 'none'}`,
    '',
    true,
  ],
  ['received (SMTP sink) / unique Message-IDs', `${received.length} / ${copies.size}`, '', true],
  [
    'duplicates: same Message-ID again / same enrollment step, another Message-ID',
    `${received.length - copies.size} / ${stepTwice}`,
    'inside the window / 0',
    stepTwice === 0 && duplicateWindows.every((d) => d.acceptedToKillMs <= Math.max(1_000, windows.at(-1) ?? 0)),
  ],
  ['missing (due, unpaid, never received)', String(missing.length), '0', missing.length === 0],
  ['paid orders reminded after their payment was stored', String(paidReminded.length), '0', paidReminded.length === 0],
  ['received with an unknown Message-ID', String(unknown), '0', unknown === 0],
  [
    'drain: last kill (and restart) → last due reminder received',
    s(Math.max(0, lastDueArrival - lastKill)),
    '≤ 15 s',
    lastDueArrival - lastKill <= 15_000,
  ],
  ['last kill → outbox empty; last reminder due → last received', `${s(drainedAt - lastKill)}; ${s(lastDueArrival - lastDue)}`, '', true],
  [
    'window: SMTP acceptance → seen recorded as sent (polled every 25 ms), p50 / p99 / max',
    `${recordWindow.p50} / ${recordWindow.p99} / ${recordWindow.max} ms`,
    '',
    true,
  ],
  [
    'each duplicate: first copy accepted → its sender killed (ms)',
    duplicateWindows.map((d) => d.acceptedToKillMs).join(', ') || '–',
    '≤ max(window, 1 s)',
    true,
  ],
  ['each duplicate: first copy → second copy', duplicateWindows.map((d) => s(d.betweenCopiesMs)).join(', ') || '–', '', true],
  ['outbox rows by status', statuses, '', true],
];
console.log(`\nnpm run soak${quick ? ' -- --quick' : ''}: ${COUNT} reminders, ${KILLS} kills over ${s(SPREAD_MS)}\n`);
console.log('| measure | value | target | |\n| --- | --- | --- | --- |');
for (const [what, value, target, ok] of lines) console.log(`| ${what} | ${value} | ${target} | ${target ? (ok ? 'met' : 'MISSED') : ''} |`);
if (missing.length) console.log(`missing, first ten: ${missing.slice(0, 10).join(' ')}`);

await stopWorker(lastStarted, 'SIGTERM');
await sink.close();
await shop.close();
await database.close();
await db.server.stop();
stoppedInOrder = true;
process.exit(lines.every(([, , target, ok]) => !target || ok) ? 0 : 1);
