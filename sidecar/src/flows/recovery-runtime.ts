import type { Router } from 'express';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { createDevOutboxChannel } from '../channels/dev-outbox.ts';
import { devOutboxRouter } from '../channels/dev-outbox-routes.ts';
import type { EmailChannel } from '../channels/channel.ts';
import { createSmtpChannel } from '../channels/smtp.ts';
import type { Config } from '../config.ts';
import { ensureLinkSecret } from '../links/link-secret.ts';
import { linkRouter } from '../links/link-routes.ts';
import { unsubscribeRouter } from '../links/unsubscribe-routes.ts';
import { dispatchDue } from '../messages/outbox.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
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
export async function createRecovery(deps: { pool: Pool; config: Config; scheduler: Scheduler; publicUrl: () => string }): Promise<Recovery> {
  const { pool, config, scheduler, publicUrl } = deps;
  const linkSecret = await ensureLinkSecret(pool);
  const channel: EmailChannel = config.mail.smtpUrl ? createSmtpChannel(smtpConfig(config.mail.smtpUrl)) : createDevOutboxChannel();
  const messageDeps = { pool, publicUrl, linkSecret, linkTtlDays: config.linkTtlDays, from: config.mail.from };
  const queueMessage = createReminderQueuer(messageDeps);

  scheduler.define('flows.run-due', async () => {
    await runDueSteps({ pool, clock: () => new Date(), workerName: config.workerName, wooClient: (shopId) => shopClient(pool, shopId), queueMessage });
  });
  scheduler.define('outbox.dispatch', async () => {
    await dispatchDue(pool, channel);
  });

  const routers = [linkRouter({ pool, secret: linkSecret }), unsubscribeRouter({ pool, secret: linkSecret })];
  if (!config.mail.smtpUrl) routers.push(devOutboxRouter(pool));
  return {
    routers,
    apiRouters: [recoveryRoutes(pool), reminderPreviewRoutes(messageDeps), queueRoutes(pool), outboxRoutes(pool)],
    async schedule() {
      await scheduler.agenda.every('10 seconds', 'flows.run-due');
      await scheduler.agenda.every('5 seconds', 'outbox.dispatch');
    },
    async close() {
      await channel.close?.();
    },
  };
}

async function shopClient(pool: Pool, shopId: number): Promise<WooClient> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT url, consumer_key, consumer_secret FROM shops WHERE id = ?', [shopId]);
  const shop = rows[0];
  if (!shop?.consumer_key || !shop.consumer_secret) throw new Error(`shop ${shopId} has no REST credentials: reminders wait until it is connected`);
  return clientForShopRow(shop);
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
