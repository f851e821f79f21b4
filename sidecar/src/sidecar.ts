import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config.ts';
import { migrateDatabase, openDatabase, withDatabase, type Database } from './db/database.ts';
import { startEmbeddedMariaDb, type EmbeddedMariaDb } from './db/embedded-mariadb.ts';
import { createEventProcessor } from './events/event-processor.ts';
import { adminApi } from './http/admin-api.ts';
import { createApp } from './http/app.ts';
import { createLogger, maskUrl, type Logger } from './logger.ts';
import { createScheduler, type Scheduler } from './scheduler/scheduler.ts';
import { reconcileAllShops } from './woo/reconcile.ts';
import { segmentRoutes } from './segments/segment-routes.ts';
import { importCustomers, recomputeAllShops } from './segments/segments.ts';
import { shopRoutes } from './woo/shop-routes.ts';
import { keyCallbackRouter } from './woo/key-callback.ts';
import { embeddedAdminToken } from './admin-ui/admin-token.ts';
import { adminUiRoutes } from './admin-ui/admin-ui-routes.ts';
import { refreshProfilesFromPlugins } from './woo/plugin-profile.ts';
import { reportRoutes } from './reports/report-routes.ts';
import { createFlows } from './flows/flow-runtime.ts';
import { demoWanted, startDemo, type Demo } from './demo/demo.ts';
import { checkAlerts } from './alerts/alert-checks.ts';
import { notifyAlerts } from './alerts/alert-email.ts';
import { alertRoutes } from './alerts/alert-routes.ts';

export const VERSION = '0.1.0';

export type Sidecar = {
  config: Config;
  logger: Logger;
  database: Database;
  scheduler: Scheduler;
  embedded: EmbeddedMariaDb | undefined;
  url: string;
  /** The stand-in shop of the first-run demo, when it runs. */
  demo: Demo | undefined;
  /** SIGTERM path: stop claiming, let running jobs finish (bounded), close HTTP, pool and private DB. */
  stop(): Promise<void>;
};

export type SidecarOptions = {
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** Job kinds to register before the scheduler starts (features add theirs here). */
  registerJobs?: (scheduler: Scheduler, database: Database) => void;
};

/** Builds config → db → scheduler → http, in that order, and starts them. */
export async function startSidecar(options: SidecarOptions = {}): Promise<Sidecar> {
  const config = loadConfig(options.env ?? process.env, { workerName: `${hostname()}:${process.pid}` });
  const logger = options.logger ?? createLogger(config.logLevel);

  let embedded: EmbeddedMariaDb | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedMariaDb({ dir: join(config.home, 'mariadb'), logger });
    databaseUrl = withDatabase(embedded.serverUrl, 'comeback');
  }
  try {
    return await startServices(config, logger, databaseUrl, embedded, options);
  } catch (error) {
    // A failed start must not leave the private MariaDB running behind us.
    await embedded?.stop();
    throw error;
  }
}

async function startServices(
  config: Config,
  logger: Logger,
  databaseUrl: string,
  embedded: EmbeddedMariaDb | undefined,
  options: SidecarOptions,
): Promise<Sidecar> {
  logger.info({ database: maskUrl(databaseUrl) }, 'connecting to database');
  const database = await openDatabase(databaseUrl, { connectionLimit: Math.max(10, Math.ceil(config.scheduler.concurrency / 2)) });
  await migrateDatabase(database);

  const scheduler = createScheduler(database.pool, { workerName: config.workerName, ...config.scheduler }, logger);
  // Where shops and customers reach us: configured, or known once the server listens.
  let publicUrl = config.publicUrl ?? '';
  const deliveryUrl = () => `${publicUrl}/webhooks/woocommerce`;
  const events = createEventProcessor(database.pool, logger, () => new Date(), config.work.pollMs);
  scheduler.define('woo.reconcile', async () => {
    await reconcileAllShops(database.pool, logger, { deliveryUrl });
    await refreshProfilesFromPlugins(database.pool, logger);
  });
  scheduler.define('segments.recompute', async () => {
    await recomputeAllShops(database.pool, new Date());
  });
  // A failed page throws: agenda retries with backoff, and the import goes on from that page.
  scheduler.define<{ shopId: number }>('customers.import', ({ shopId }) => importCustomers(database.pool, shopId), { concurrency: 1 });
  scheduler.define('alerts.check', async () => {
    await checkAlerts(database.pool, new Date());
    await notifyAlerts(database.pool, { from: config.mail.from });
  });
  const flows = await createFlows({ pool: database.pool, config, scheduler, logger, publicUrl: () => publicUrl });
  options.registerJobs?.(scheduler, database);
  // Every sidecar runs these work loops itself (no global lock); stop() awaits their running batch.
  const loops = [events, ...flows.loops];

  const adminToken = config.adminToken ?? (embedded ? embeddedAdminToken(config.home) : undefined);
  const api = adminApi({
    pool: database.pool,
    adminToken,
    globalRoutes: [shopRoutes({ pool: database.pool, deliveryUrl })],
    shopRoutes: [...flows.apiRouters, reportRoutes(database.pool), segmentRoutes(database.pool, { runImport: async (shopId) => void (await scheduler.agenda.now('customers.import', { shopId })) }), alertRoutes(database.pool, { mailFrom: config.mail.from })],
  });
  const app = createApp({ database, scheduler, logger, version: VERSION, events, routers: [api, adminUiRoutes(), keyCallbackRouter({ pool: database.pool, deliveryUrl }), ...flows.routers] });
  const server: Server = createServer(app).listen(config.http.port, config.http.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.http.host}:${port}`;
  publicUrl ||= url;
  await scheduler.start();
  for (const loop of loops) loop.start();
  await scheduler.every('5 minutes', 'woo.reconcile');
  await scheduler.every('1 minute', 'alerts.check');
  await scheduler.every('1 hour', 'segments.recompute');
  await flows.schedule();
  const demo = (await demoWanted(database.pool, config.demo)) ? await startDemo({ pool: database.pool, deliveryUrl: deliveryUrl(), logger }) : undefined;
  logger.info({ url, server: database.server }, 'comeback sidecar ready');
  // The token itself is never logged: the link to sign in with it is, for a local install only.
  if (!config.adminToken && adminToken) logger.info(`admin: ${url}/admin/ — sign in with the token in ${join(config.home, 'admin-token')}`);

  let stopping: Promise<void> | undefined;
  return {
    config,
    logger,
    database,
    scheduler,
    embedded,
    url,
    demo,
    stop() {
      stopping ??= (async () => {
        // Agenda jobs and work loops finish what they are running (bounded by the grace) before the pool closes.
        const [{ unfinished }] = await Promise.all([scheduler.stop(config.shutdownGraceMs), ...loops.map((loop) => loop.stop(config.shutdownGraceMs))]);
        await flows.close();
        await demo?.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await database.close();
        if (embedded) await embedded.stop();
        logger.info({ unfinished }, 'comeback sidecar stopped');
      })();
      return stopping;
    },
  };
}
