import type { Router } from 'express';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { adminUiRoutes } from '../admin-ui/admin-ui-routes.ts';
import { linkPageLimits } from '../http/rate-limits.ts';
import { alertsFeature } from '../alerts/alerts-feature.ts';
import { campaignsFeature } from '../campaigns/campaigns-feature.ts';
import { cartsFeature } from '../carts/carts-feature.ts';
import { channelsFeature } from '../channels/channels-feature.ts';
import { consentFeature } from '../consent/consent-feature.ts';
import { eventsFeature } from '../events/events-feature.ts';
import type { EventProcessor } from '../events/event-processor.ts';
import { flowsFeature } from '../flows/flows-feature.ts';
import { ensureLinkSecret } from '../links/link-secret.ts';
import { linksFeature } from '../links/links-feature.ts';
import { loyaltyFeature } from '../loyalty/loyalty-feature.ts';
import { shopSenderRoutes } from '../messages/sender-routes.ts';
import { createStepQueuer, type MessageDeps } from '../messages/step-message.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { metricsFeature } from '../metrics/metrics-feature.ts';
import { offersFeature } from '../offers/offers-feature.ts';
import { privacyFeature } from '../privacy/privacy-feature.ts';
import { reportsFeature } from '../reports/reports-feature.ts';
import { createWorkService, type WorkService } from '../scheduler/work-service.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import { segmentsFeature } from '../segments/segments-feature.ts';
import { setupFeature } from '../setup/setup-feature.ts';
import { shopClients } from '../woo/shop-clients.ts';
import { wooFeature, type WooFeature } from '../woo/woo-feature.ts';
import type { Feature, JobDefinition } from './feature.ts';
import { orderPipe } from './order-pipe.ts';

export type Composition = {
  /** Mounted at the root: customer pages, provider webhooks, the admin UI. */
  publicRoutes: Router[];
  /** Under /api, across shops. */
  globalApiRoutes: Router[];
  /** Under /api, about one shop. */
  apiRoutes: Router[];
  /** The one table of scheduled work: every job any room needs agenda to run. */
  jobs: JobDefinition<never>[];
  /** The WooCommerce webhook route (served ahead of express). */
  webhook: WooFeature['webhook'];
  /** The work loops every sidecar runs itself (no global lock): started after the scheduler, stopped (their batch awaited) before the pool closes. */
  loops: { steps: WorkService; sends: WorkService; events: EventProcessor };
  close(): Promise<void>;
};

const STEP_BATCH = 100;
const SEND_BATCH = 100;

/**
 * The composition root's wiring: every room's feature is built here and only here, each given
 * what it needs of the others (the order pipe, the channels, a kick of the step or send loop),
 * so data flows one way — webhook → events → flows → messages → channels — and no room builds
 * another. sidecar.ts owns the lifetimes (database, scheduler, HTTP server) and mounts what this
 * returns.
 */
export async function composeFeatures(deps: {
  config: Config;
  logger: Logger;
  database: Database;
  scheduler: Scheduler;
  /** The admin token (configured, or the embedded one), for the routes outside /api that it opens. */
  adminToken: string | undefined;
  publicUrl: () => string;
  /** The sidecar's one metrics registry, counted into by the step, send and events loops and the webhook route. */
  metrics: Metrics;
}): Promise<Composition> {
  const { config, logger, metrics } = deps;
  const pool = deps.database.pool;
  const clock = () => new Date();
  const onError = (what: string) => (error: unknown) => logger.error({ err: error }, `${what} failed`);
  const deliveryUrl = () => `${deps.publicUrl()}/webhooks/woocommerce`;
  const orderChanges = orderPipe();
  const wooClient = shopClients(pool, config.merchantNet);
  const linkSecret = await ensureLinkSecret(pool);
  const messageDeps: MessageDeps = {
    pool,
    publicUrl: deps.publicUrl,
    linkSecret,
    linkTtlDays: config.linkTtlDays,
    from: config.mail.from,
    shopFrom: config.mail.shopFrom,
  };
  const queueMessage = createStepQueuer(messageDeps);

  // The two loops of the send path. A step that queues a message wakes the sender at once; a
  // message no provider can deliver goes back to its step's next channel and wakes the sender.
  // Each loop is woken in-process the moment work is created, and polls for work that became due
  // by time alone or that a dead sidecar left (its claims' leases ran out).
  const steps = createWorkService({
    name: 'steps',
    pollMs: config.work.pollMs,
    lanes: 3,
    // Wakes when the next step falls due, not at the next poll: a reminder goes on its minute.
    nextDueAt: (after) => flows.nextStepDueAt(after),
    onError: onError('running due flow steps'),
    batch: async () => {
      const outcome = await flows.runDueSteps(STEP_BATCH);
      if (outcome.queued > 0) sends.kick();
      return { handled: outcome.claimed, more: outcome.claimed === STEP_BATCH };
    },
  });
  const sends = createWorkService({
    name: 'sends',
    pollMs: config.work.pollMs,
    lanes: 2,
    onError: onError('sending due messages'),
    batch: async () => {
      const result = await channels.runtime.dispatch(SEND_BATCH);
      return { handled: result.claimed, more: result.claimed === SEND_BATCH };
    },
  });
  const kickSteps = () => steps.kick();

  const channels = channelsFeature({
    pool,
    config,
    logger,
    adminToken: deps.adminToken,
    publicUrl: deps.publicUrl,
    onUndeliverable: async (row) => {
      await flows.fallback(row);
      sends.kick();
    },
    metrics,
  });
  const flows = flowsFeature({
    pool,
    logger,
    clock,
    workerName: config.workerName,
    leaseMs: config.work.leaseMs,
    orderChanges,
    wooClient,
    messageDeps,
    queueMessage,
    channels: () => channels.runtime.configured,
    kickSteps,
    metrics,
  });
  const events = eventsFeature({ pool, logger, orderChanges, pollMs: config.work.pollMs, metrics });
  const woo = wooFeature({
    pool,
    logger,
    deliveryUrl,
    orderChanges,
    wooClient,
    onStored: () => events.processor.kick(),
    // A shop resumed: what was held goes out now.
    kickWork: () => {
      steps.kick();
      sends.kick();
    },
    pluginUnreachableSweeps: config.pluginUnreachableSweeps,
    net: config.merchantNet,
    linkTtlDays: config.linkTtlDays,
    metrics,
  });
  const features: Feature[] = [
    woo,
    events,
    flows,
    channels,
    linksFeature({ pool, linkSecret }),
    loyaltyFeature({ pool, linkSecret, onEvent: (shopId, event) => flows.enterLoyaltyFlows(shopId, event) }),
    cartsFeature({ pool, kickSteps }),
    consentFeature({ ...messageDeps, kickSends: () => sends.kick() }),
    campaignsFeature({ pool, clock, kickSteps }),
    offersFeature({ pool, wooClient, clock }),
    segmentsFeature({
      pool,
      logger,
      orderChanges,
      clock,
      startImport: async (shopId) => void (await deps.scheduler.agenda.now('customers.import', { shopId })),
      net: config.merchantNet,
    }),
    reportsFeature({ pool }),
    privacyFeature({ pool, wooClient, clock }),
    setupFeature({ pool }),
    alertsFeature({ pool, mailFrom: config.mail.from, clock }),
    { publicRoutes: [adminUiRoutes()], apiRoutes: [shopSenderRoutes(messageDeps)] },
    metricsFeature({ pool, logger, metrics, access: { open: config.metricsPublic, adminToken: deps.adminToken } }),
  ];
  // Counted before any page of a customer link is worked (per client address, http/rate-limits.ts).
  features.unshift({ publicRoutes: [linkPageLimits()] });

  return {
    publicRoutes: features.flatMap((f) => f.publicRoutes ?? []),
    globalApiRoutes: features.flatMap((f) => f.globalApiRoutes ?? []),
    apiRoutes: features.flatMap((f) => f.apiRoutes ?? []),
    jobs: features.flatMap((f) => f.jobs ?? []),
    webhook: woo.webhook,
    loops: { steps, sends, events: events.processor },
    async close() {
      for (const feature of features) await feature.close?.();
    },
  };
}
