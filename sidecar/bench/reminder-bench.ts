import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { toE164 } from '../src/customers/phone.ts';
import { loadFlow, saveFlow } from '../src/flows/definition/flow-store.ts';
import { messagingSettingsSchema } from '../src/flows/steps/messaging-settings.ts';
import { BENCH_TWILIO, BENCH_WHATSAPP } from './bench-providers.ts';
import { saveSendLimits, sendLimitsSchema } from '../src/channels/send-limits.ts';
import { upsertOrder } from '../src/events/order-store.ts';
import { DEFAULT_RECOVERY, saveRecoverySettings, UNPAID_FLOW } from '../src/flows/definition/recovery-settings.ts';
import { createLogger } from '../src/logger.ts';
import { startSidecar } from '../src/sidecar.ts';
import { orderPayload } from '../src/woo/order-payload.ts';
import { saveCompany, saveDocument } from '../src/woo/shop-profile.ts';
import { cpuMeter, type BenchDb } from './bench-db.ts';
import { benchProfiler } from './profile.ts';

/** CPU ms per reminder of each process: the sidecar, MariaDB, and the stand-in shop with the SMTP sink (one process). */
export type ReminderCpu = { sidecar: number; mariadb: number; fakes: number };

type Remote = {
  shop: { url: string; consumerKey: string; consumerSecret: string; orders: Array<Record<string, unknown>> };
  smtpPort: number;
  twilioUrl: string;
  whatsAppUrl: string;
};

/**
 * Reminders per second through one sidecar, end to end: `count` enrollments due at once; each
 * step is claimed, its order read again over REST from the stand-in shop, the reminder rendered
 * and queued, then sent over SMTP to a sink and marked sent. Timed from the wake-up until every
 * outbox row is `sent`; the shop and the SMTP sink run in another process.
 */
export async function reminderThroughput(
  db: BenchDb,
  count: number,
  options: { mixed?: boolean } = {},
): Promise<{ count: number; perSecond: number; seconds: number; cpuMs: ReminderCpu }> {
  const database = await db.fresh('bench_reminders');
  const remote = fork(new URL('./remote-side.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_ORDERS: String(count) },
  });
  const [{ shop, smtpPort, twilioUrl, whatsAppUrl }] = (await once(remote, 'message')) as [Remote];
  const pool = database.pool;
  let shopId: number;
  try {
    shopId = await benchShop(pool, shop, options);
  } catch (error) {
    // A set-up that fails must not leave the stand-in shop running (its IPC channel would keep the bench alive).
    remote.kill();
    await database.close();
    throw error;
  }

  const sidecar = await startSidecar({
    logger: createLogger('silent'),
    env: {
      COMEBACK_DATABASE_URL: db.url('bench_reminders'),
      COMEBACK_HTTP_PORT: '0',
      // The stand-in shop answers on 127.0.0.1.
      COMEBACK_ALLOW_PRIVATE_URLS: 'on',
      COMEBACK_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      COMEBACK_SCHEDULER_PROCESS_EVERY_MS: '100',
      ...(options.mixed ? providerEnv(twilioUrl, whatsAppUrl) : {}),
    },
  });
  try {
    const due = new Date(Date.now() - 1_000);
    const version = Number(
      (await pool.query<RowDataPacket[]>('SELECT version FROM flows WHERE shop_id = ? AND flow_key = ?', [shopId, UNPAID_FLOW]))[0][0]!
        .version,
    );
    const rows = shop.orders.map((o) => [
      shopId,
      UNPAID_FLOW,
      version,
      'order',
      String(o.id),
      'active',
      0,
      due,
      due,
      due,
      String((o.billing as { email: string }).email),
    ]);
    await pool.query(
      'INSERT INTO enrollments (shop_id, flow, flow_version, subject_type, subject_id, status, step, next_step_at, entered_at, anchor_at, customer_key) VALUES ?',
      [rows],
    );
    const profiler = benchProfiler(options.mixed ? 'reminders-mixed' : 'reminders');
    await profiler.start();
    const cpu = cpuMeter(db.server.pid, remote.pid!);
    const started = performance.now();
    sidecar.loops.steps.kick();
    let queuedAt = 0;
    for (;;) {
      const [[queued]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM outbox');
      if (!queuedAt && Number(queued!.n) >= count) queuedAt = performance.now();
      const [[sent]] = await pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'");
      if (Number(sent!.n) >= count) break;
      const [failed] = await pool.query<RowDataPacket[]>("SELECT last_error FROM outbox WHERE status IN ('failed', 'retry') LIMIT 3");
      if (failed.length > 0)
        throw new Error(`messages failed during the reminders benchmark: ${failed.map((f) => f.last_error).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    const used = cpu.stop();
    await profiler.write();
    console.error(`reminders: all queued after ${((queuedAt - started) / 1000).toFixed(1)} s, all sent after ${seconds.toFixed(1)} s`);
    console.error(
      `reminders CPU seconds over ${seconds.toFixed(1)} s: sidecar ${used.self.toFixed(1)}, shop + SMTP sink ${used.child.toFixed(1)}, MariaDB ${used.mariadb.toFixed(1)}`,
    );
    remote.send('count');
    const [{ received, sms, whatsapp }] = (await once(remote, 'message')) as [{ received: number; sms: number; whatsapp: number }];
    if (received + sms + whatsapp < count)
      throw new Error(`the providers received ${received} emails, ${sms} SMS and ${whatsapp} WhatsApp messages of ${count}`);
    if (options.mixed) console.error(`mixed channels: ${received} emails, ${sms} SMS, ${whatsapp} WhatsApp`);
    // The bench's own polling of the counts above runs in the sidecar's process and is counted
    // with it: a few queries every 50 ms, small beside the sidecar's work.
    const perReminder = (cpuS: number) => (1000 * cpuS) / count;
    return {
      count,
      perSecond: count / seconds,
      seconds,
      cpuMs: { sidecar: perReminder(used.self), mariadb: perReminder(used.mariadb), fakes: perReminder(used.child) },
    };
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

/** The bench shop's rows: recovery on, the company's details, its orders stored as webhooks would have. */
async function benchShop(pool: Pool, shop: Remote['shop'], options: { mixed?: boolean }): Promise<number> {
  const [inserted] = await pool.query<ResultSetHeader>(
    'INSERT INTO shops (url, name, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?, ?)',
    [shop.url, 'Bench Shop', 'bench-secret', shop.consumerKey, shop.consumerSecret],
  );
  const shopId = inserted.insertId;
  await saveRecoverySettings(pool, shopId, { ...DEFAULT_RECOVERY, enabled: true });
  if (options.mixed) await mixedChannels(pool, shopId, shop.orders);
  await saveCompany(pool, shopId, { name: 'Bench Shop Ltd', address: ['1 Bench Street'], bankAccounts: [] });
  for (const order of shop.orders) await upsertOrder(pool, shopId, orderPayload.parse(order));
  return shopId;
}

/**
 * The mixed-channel run: the unpaid-order flow as a marketing flow (so the frequency cap is
 * checked for every message) whose step tries SMS, then WhatsApp, then email; a third of the
 * customers opted in to each, so each message goes by a different channel after the consent
 * lookups. Pacing is set to what the fakes take: the 80/s per WhatsApp number default is a
 * limit of Meta's, measured by its own test, not by this benchmark.
 */
async function mixedChannels(pool: Pool, shopId: number, orders: Array<Record<string, unknown>>): Promise<void> {
  const flow = (await loadFlow(pool, shopId, UNPAID_FLOW))!;
  const step = flow.definition.steps[0]!;
  const text = {
    body: 'Order [order_number] waits for payment: [payment_link]',
    offlineBody: 'Order [order_number] waits for your transfer of [order_total].',
  };
  await saveFlow(
    pool,
    shopId,
    UNPAID_FLOW,
    {
      ...flow.definition,
      purpose: 'marketing',
      steps: [
        {
          ...step,
          channels: ['sms', 'whatsapp', 'email'],
          sms: text,
          whatsapp: { template: { name: 'payment_reminder', language: 'en_US', parameters: ['[order_number]', '[payment_link]'] }, text },
        },
      ],
    },
    true,
  );
  await saveDocument(pool, shopId, 'messaging', messagingSettingsSchema, { frequencyCap: { messages: 3, hours: 24 } });
  // The bench sends its volume on purpose: no daily text budget holds it back.
  await saveSendLimits(pool, shopId, sendLimitsSchema.parse({ smsPerDay: 100_000, whatsappPerDay: 100_000 }));
  const consents = orders.map((o, i) => {
    const billing = o.billing as { email: string; phone: string; country: string };
    const channel = (['sms', 'whatsapp', 'email'] as const)[i % 3]!;
    // A marketing flow needs marketing consent, per channel (issue J).
    return [
      shopId,
      'marketing',
      channel,
      channel === 'email' ? billing.email : toE164(billing.phone, billing.country),
      'granted',
      'checkout',
    ];
  });
  await pool.query('INSERT INTO consents (shop_id, purpose, channel, address, status, source) VALUES ?', [consents]);
}

function providerEnv(twilioUrl: string, whatsAppUrl: string): Record<string, string> {
  return {
    COMEBACK_TWILIO_ACCOUNT_SID: BENCH_TWILIO.accountSid,
    COMEBACK_TWILIO_AUTH_TOKEN: BENCH_TWILIO.authToken,
    COMEBACK_TWILIO_FROM: BENCH_TWILIO.from,
    COMEBACK_TWILIO_BASE_URL: twilioUrl,
    COMEBACK_SMS_PER_SECOND: '1000',
    COMEBACK_WHATSAPP_TOKEN: BENCH_WHATSAPP.accessToken,
    COMEBACK_WHATSAPP_PHONE_NUMBER_ID: BENCH_WHATSAPP.phoneNumberId,
    COMEBACK_WHATSAPP_APP_SECRET: BENCH_WHATSAPP.appSecret,
    COMEBACK_WHATSAPP_VERIFY_TOKEN: BENCH_WHATSAPP.verifyToken,
    COMEBACK_WHATSAPP_BASE_URL: whatsAppUrl,
    COMEBACK_WHATSAPP_PER_SECOND: '1000',
    // Required with Twilio or WhatsApp (their signed callbacks); the bench's fakes call nobody back.
    COMEBACK_PUBLIC_URL: 'https://reminders.bench.invalid',
  };
}
