import type { Router } from 'express';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { abandonIdleCarts } from '../carts/cart-store.ts';
import { cartRoutes } from '../carts/cart-routes.ts';
import { createChannelRuntime } from '../channels/channel-runtime.ts';
import { devOutboxRouter } from '../channels/dev-outbox-routes.ts';
import type { Config } from '../config.ts';
import { clickRoutes } from '../links/clicks.ts';
import { ensureLinkSecret } from '../links/link-secret.ts';
import { linkRouter } from '../links/link-routes.ts';
import { unsubscribeRouter } from '../links/unsubscribe-routes.ts';
import { loyaltyRoutes } from '../loyalty/loyalty-routes.ts';
import { npsRouter } from '../loyalty/nps-page.ts';
import type { Logger } from '../logger.ts';
import { outboxRoutes } from '../messages/outbox-routes.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import { createWorkService, type WorkService } from '../scheduler/work-service.ts';
import { ttlCache } from '../ttl-cache.ts';
import { pushOrderMarks } from '../woo/order-marks.ts';
import { loadShopClient, type WooClient } from '../woo/rest-client.ts';
import { createChannelFallback } from './channel-fallback.ts';
import { flowRoutes } from './flow-routes.ts';
import { messagingSettingsRoutes } from './messaging-settings.ts';
import { enrollStoredOrders } from './order-triggers.ts';
import { queueRoutes } from './queue-routes.ts';
import { recoveryRoutes } from './recovery-routes.ts';
import { reminderPreviewRoutes } from './reminder-preview.ts';
import { campaignRoutes } from '../campaigns/campaign-routes.ts';
import { launchDueCampaigns } from '../campaigns/campaigns.ts';
import { cleanUpExpiredCoupons } from '../offers/coupons.ts';
import { enterBirthdays, enterLapsedCustomers, enterLoyaltyFlows, enterPendingLoyaltyEvents } from './customer-triggers.ts';
import { createStepQueuer } from './step-message.ts';
import { runDueSteps } from './step-runner.ts';

export type Flows = {
  /** Customer-facing routes: payment links, unsubscribe, the NPS survey, provider webhooks, the dev outbox. */
  routers: Router[];
  /** /api routes about one shop: flows, recovery settings, preview and test sends, the queue, the outbox, carts. */
  apiRouters: Router[];
  /** The step runner and the outbox dispatcher: the sidecar starts them and stops them before the pool closes. */
  loops: WorkService[];
  /** Starts the recurring wake-ups (after the scheduler started). */
  schedule(): Promise<void>;
  close(): Promise<void>;
};

/**
 * Flows at run time: due steps are run and the outbox dispatched by work loops each sidecar polls
 * (the rows say what is due), and that wake each other (a step that queues a message wakes the
 * dispatcher at once). Without COMEBACK_SMTP_URL messages of every channel go to the dev
 * outbox, readable at /dev/outbox.
 */
export async function createFlows(deps: { pool: Pool; config: Config; scheduler: Scheduler; logger: Logger; publicUrl: () => string }): Promise<Flows> {
  const { pool, config, scheduler, publicUrl } = deps;
  const linkSecret = await ensureLinkSecret(pool);
  const clock = () => new Date();
  const messageDeps = { pool, publicUrl, linkSecret, linkTtlDays: config.linkTtlDays, from: config.mail.from };
  const queueMessage = createStepQueuer(messageDeps);
  const wooClient = shopClients(pool);
  const onError = (what: string) => (error: unknown) => deps.logger.error({ err: error }, `${what} failed`);

  // A message a provider can never deliver moves to the next channel of its step.
  let fallback: ReturnType<typeof createChannelFallback> | undefined;
  const channelRuntime = createChannelRuntime({
    pool,
    config,
    logger: deps.logger,
    publicUrl,
    onUndeliverable: async (row) => {
      await fallback?.(row);
      dispatcher.kick();
    },
  });
  const channels = () => channelRuntime.configured;
  fallback = createChannelFallback({ pool, clock, channels, queueMessage });

  const STEP_BATCH = 100;
  const SEND_BATCH = 100;
  const dispatcher = createWorkService({
    name: 'sends',
    pollMs: config.work.pollMs,
    lanes: 2,
    onError: onError('sending due messages'),
    batch: async () => {
      const result = await channelRuntime.dispatch(SEND_BATCH);
      return { handled: result.claimed, more: result.claimed === SEND_BATCH };
    },
  });
  const steps = createWorkService({
    name: 'steps',
    pollMs: config.work.pollMs,
    lanes: 3,
    onError: onError('running due flow steps'),
    batch: async () => {
      const outcome = await runDueSteps({ pool, clock, workerName: config.workerName, wooClient, queueMessage, channels }, { limit: STEP_BATCH, leaseMs: config.work.leaseMs });
      if (outcome.queued > 0) dispatcher.kick();
      return { handled: outcome.claimed, more: outcome.claimed === STEP_BATCH };
    },
  });
  scheduler.define('carts.abandon', async () => {
    if ((await abandonIdleCarts(pool)) > 0) steps.kick();
  });
  scheduler.define('woo.order-marks', async () => {
    while ((await pushOrderMarks(pool, wooClient, deps.logger)) > 0);
  });
  // Customers who lapsed (win-back) and whose birthday it is in their zone enter their flows.
  const enterCustomers = async (shopId: number) => {
    const entered = (await enterLapsedCustomers(pool, shopId, clock())) + (await enterBirthdays(pool, shopId, clock()));
    if (entered > 0) steps.kick();
  };
  scheduler.define('customers.triggers', async () => {
    for (const shopId of await shopIds(pool, 'SELECT DISTINCT shop_id AS id FROM flows WHERE enabled')) await enterCustomers(shopId);
  });
  // A loyalty event whose entry into its flows was cut short (the request failed, the process died).
  scheduler.define('loyalty.pending', async () => {
    if ((await enterPendingLoyaltyEvents(pool, clock())) > 0) steps.kick();
  });
  scheduler.define('campaigns.launch', async () => {
    if ((await launchDueCampaigns(pool, clock())) > 0) steps.kick();
  });
  // Our coupons that expired unused are deleted from WooCommerce (used ones are kept as used).
  scheduler.define('coupons.clean-up', async () => {
    for (const shopId of await shopIds(pool, 'SELECT DISTINCT shop_id AS id FROM coupons WHERE removed_at IS NULL AND used_at IS NULL AND expires_at < NOW(3)')) {
      await cleanUpExpiredCoupons(pool, shopId, await wooClient(shopId), clock());
    }
  });

  const routers = [linkRouter({ pool, secret: linkSecret }), unsubscribeRouter({ pool, secret: linkSecret }), npsRouter({ pool, secret: linkSecret }), ...channelRuntime.routers];
  if (!config.mail.smtpUrl) routers.push(devOutboxRouter(pool));
  // A saved or switched-on flow takes in the orders it would have taken, and runs what became due.
  // Its lapsed customers are entered after the answer: switching win-back on for a large shop
  // enters hundreds of thousands (17 s for 828,316 in BENCHMARKS.md), and the 15-minute job would.
  const onSaved = async (shopId: number) => {
    await enrollStoredOrders(pool, shopId);
    steps.kick();
    void enterCustomers(shopId).catch(onError('entering lapsed customers and birthdays'));
  };
  return {
    routers,
    loops: [steps, dispatcher],
    apiRouters: [
      flowRoutes({ pool, channels, onSaved }),
      messagingSettingsRoutes(pool),
      recoveryRoutes(pool),
      reminderPreviewRoutes(messageDeps),
      queueRoutes(pool),
      outboxRoutes(pool),
      clickRoutes(pool),
      cartRoutes(pool),
      campaignRoutes({ pool, onLaunched: () => steps.kick() }),
      // A loyalty program's event (POST /api/events) enters the flows it triggers, and their first steps run.
      loyaltyRoutes({
        pool,
        onEvent: async (shopId, event) => {
          if ((await enterLoyaltyFlows(pool, shopId, event, clock())) > 0) steps.kick();
        },
      }),
    ],
    async schedule() {
      await scheduler.every('1 minute', 'carts.abandon');
      await scheduler.every('30 seconds', 'woo.order-marks');
      await scheduler.every('15 minutes', 'customers.triggers');
      await scheduler.every('1 hour', 'coupons.clean-up');
      await scheduler.every('1 minute', 'campaigns.launch');
      await scheduler.every('1 minute', 'loyalty.pending');
    },
    async close() {
      await channelRuntime.close();
    },
  };
}

/**
 * REST clients by shop, rebuilt when the shop's row is older than `ttlMs`: a run of steps for one
 * shop reads its keys once, and new keys are picked up within the TTL.
 */
function shopClients(pool: Pool, ttlMs = 30_000) {
  return ttlCache(async (shopId: number): Promise<WooClient> => {
    const client = await loadShopClient(pool, shopId);
    if (!client) throw new Error(`shop ${shopId} has no REST credentials: messages wait until it is connected`);
    return client;
  }, ttlMs);
}

async function shopIds(pool: Pool, sql: string): Promise<number[]> {
  const [rows] = await pool.query<RowDataPacket[]>(sql);
  return rows.map((r) => Number(r.id));
}
