import type { Router } from 'express';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { devOutboxRouter } from '../channels/dev-outbox-routes.ts';
import type { EmailChannel } from '../channels/channel.ts';
import { createChannel } from '../channels/registry.ts';
import type { Config } from '../config.ts';
import { ensureLinkSecret } from '../links/link-secret.ts';
import { clickRoutes } from '../links/clicks.ts';
import { linkRouter } from '../links/link-routes.ts';
import { unsubscribeRouter } from '../links/unsubscribe-routes.ts';
import { dispatchDue } from '../messages/outbox.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import { createWorkLoop } from '../scheduler/work-loop.ts';
import { ttlCache } from '../ttl-cache.ts';
import type { Logger } from '../logger.ts';
import { pushOrderMarks } from '../woo/order-marks.ts';
import { clientForShopRow, type WooClient } from '../woo/rest-client.ts';
import { outboxRoutes } from '../messages/outbox-routes.ts';
import { queueRoutes } from './queue-routes.ts';
import { recoveryRoutes } from './recovery-routes.ts';
import { createReminderQueuer } from './reminder-message.ts';
import { reminderPreviewRoutes } from './reminder-preview.ts';
import { runDueSteps } from './step-runner.ts';

export type Recovery = {
  /** Customer-facing routes: payment links, unsubscribe, the dev outbox. */
  routers: Router[];
  /** /api routes about one shop: settings, preview and test sends, the queue, the outbox. */
  apiRouters: Router[];
  /** Starts the recurring wake-ups (after the scheduler started). */
  schedule(): Promise<void>;
  close(): Promise<void>;
};

/**
 * Unpaid-order recovery at run time: due steps are run and the outbox dispatched by recurring
 * agenda jobs (each a wake-up: the rows say what is due); payment links are answered at /r/.
 * Without COMEBACK_SMTP_URL messages go to the dev outbox, readable at /dev/outbox.
 */
export async function createRecovery(deps: { pool: Pool; config: Config; scheduler: Scheduler; logger: Logger; publicUrl: () => string }): Promise<Recovery> {
  const { pool, config, scheduler, publicUrl } = deps;
  const linkSecret = await ensureLinkSecret(pool);
  const channel: EmailChannel = createChannel(config.mail.smtpUrl ? { provider: 'smtp', ...smtpConfig(config.mail.smtpUrl) } : { provider: 'dev-outbox' });
  const messageDeps = { pool, publicUrl, linkSecret, linkTtlDays: config.linkTtlDays, from: config.mail.from };
  const queueMessage = createReminderQueuer(messageDeps);

  // Due steps and due messages are rows; these loops work through them in batches. The agenda
  // jobs below only wake them, and a step that queues a message wakes the dispatcher at once.
  const STEP_BATCH = 100;
  const wooClient = shopClients(pool);
  const SEND_BATCH = 100;
  const onError = (what: string) => (error: unknown) => deps.logger.error({ err: error }, `${what} failed`);
  const dispatcher = createWorkLoop(async () => {
    const result = await dispatchDue(pool, channel, { limit: SEND_BATCH });
    return { handled: result.claimed, more: result.claimed === SEND_BATCH };
  }, onError('sending due messages'), 2);
  const steps = createWorkLoop(async () => {
    const outcome = await runDueSteps(
      { pool, clock: () => new Date(), workerName: config.workerName, wooClient, queueMessage },
      { limit: STEP_BATCH },
    );
    if (outcome.queued > 0) dispatcher.kick();
    return { handled: outcome.claimed, more: outcome.claimed === STEP_BATCH };
  }, onError('running due reminder steps'), 3);
  scheduler.define('flows.run-due', async () => {
    await steps.drain();
  });
  scheduler.define('outbox.dispatch', async () => {
    await dispatcher.drain();
  });
  scheduler.define('woo.order-marks', async () => {
    while ((await pushOrderMarks(pool, wooClient, deps.logger)) > 0);
  });

  const routers = [linkRouter({ pool, secret: linkSecret }), unsubscribeRouter({ pool, secret: linkSecret })];
  if (!config.mail.smtpUrl) routers.push(devOutboxRouter(pool));
  return {
    routers,
    apiRouters: [recoveryRoutes(pool), reminderPreviewRoutes(messageDeps), queueRoutes(pool), outboxRoutes(pool), clickRoutes(pool)],
    async schedule() {
      await scheduler.agenda.every('10 seconds', 'flows.run-due');
      await scheduler.agenda.every('5 seconds', 'outbox.dispatch');
      await scheduler.agenda.every('30 seconds', 'woo.order-marks');
    },
    async close() {
      await channel.close?.();
    },
  };
}

/**
 * REST clients by shop, rebuilt when the shop's row is older than `ttlMs`: a run of reminders
 * for one shop reads its keys once, and new keys are picked up within the TTL.
 */
function shopClients(pool: Pool, ttlMs = 30_000) {
  return ttlCache(async (shopId: number): Promise<WooClient> => {
    const [rows] = await pool.query<RowDataPacket[]>('SELECT url, consumer_key, consumer_secret FROM shops WHERE id = ?', [shopId]);
    const shop = rows[0];
    if (!shop?.consumer_key || !shop.consumer_secret) throw new Error(`shop ${shopId} has no REST credentials: reminders wait until it is connected`);
    return clientForShopRow(shop);
  }, ttlMs);
}

function smtpConfig(url: string) {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: Number(u.port || (secure ? 465 : 587)),
    secure,
    ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}),
  };
}
