import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config.ts';
import { migrateDatabase, openDatabase, type Database } from './db/database.ts';
import { embeddedSecretKey, SecretBox } from './db/secret-box.ts';
import { sealStoredSecrets } from './db/secret-store.ts';
import { configuredDatabase, type EmbeddedMariaDb } from './db/embedded-mariadb.ts';
import { composeFeatures, type Composition } from './app/compose.ts';
import { adminApi } from './http/admin-api.ts';
import { createApp } from './http/app.ts';
import { createLogger, maskUrl, type Logger } from './logger.ts';
import { createScheduler, type Scheduler } from './scheduler/scheduler.ts';
import { embeddedAdminToken } from './admin-ui/admin-token.ts';
import { demoWanted, startDemo, type Demo } from './demo/demo.ts';
import { createMetrics, poolWaits } from './metrics/metrics.ts';

export const VERSION = '0.1.0';

export type Sidecar = {
  config: Config;
  logger: Logger;
  database: Database;
  scheduler: Scheduler;
  embedded: EmbeddedMariaDb | undefined;
  url: string;
  /** The step, send and events loops (a kick makes one look for work now). */
  loops: Composition['loops'];
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

/**
 * The composition root: config → db → scheduler → features (app/compose.ts) → http, in that order,
 * started; and stopped in reverse. The only place that mounts routes and schedules jobs.
 */
export async function startSidecar(options: SidecarOptions = {}): Promise<Sidecar> {
  const config = loadConfig(options.env ?? process.env, { workerName: `${hostname()}:${process.pid}` });
  const logger = options.logger ?? createLogger(config.logLevel);

  const { url: databaseUrl, embedded } = await configuredDatabase(config, logger);
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
  // One registry per sidecar (/metrics), counted into from the pool on.
  const metrics = createMetrics();
  const database = await openDatabase(databaseUrl, {
    waits: poolWaits(metrics),
    connectionLimit: Math.max(10, Math.ceil(config.scheduler.concurrency / 2)),
    limits: config.databaseLimits,
    secretBox: new SecretBox(config.secretKey.current ?? embeddedSecretKey(config.home), config.secretKey.previous),
  });
  await migrateDatabase(database);
  // Secrets stored plain (before sealing) or with the previous key are sealed with this one now.
  const sealedNow = await sealStoredSecrets(database.pool);
  if (sealedNow > 0) logger.info({ secrets: sealedNow }, 'stored secrets sealed with the current key');
  if (!config.secretKey.current && !embedded)
    logger.warn(
      `COMEBACK_SECRET_KEY is not set: secrets are sealed with the key in ${join(config.home, 'secret-key')}; set the same COMEBACK_SECRET_KEY on every sidecar of this database`,
    );

  const scheduler = createScheduler(database.pool, { workerName: config.workerName, ...config.scheduler }, logger);
  // Where shops and customers reach us: configured, or known once the server listens.
  let publicUrl = config.publicUrl ?? '';
  const adminToken = config.adminToken ?? (embedded ? embeddedAdminToken(config.home) : undefined);
  const composition = await composeFeatures({
    config,
    logger,
    database,
    scheduler,
    adminToken,
    publicUrl: () => publicUrl,
    metrics,
  });
  for (const job of composition.jobs) {
    scheduler.define(
      job.name,
      async (payload) => void (await job.run(payload as never)),
      job.concurrency ? { concurrency: job.concurrency } : undefined,
    );
  }
  options.registerJobs?.(scheduler, database);

  const api = adminApi({ pool: database.pool, adminToken, globalRoutes: composition.globalApiRoutes, shopRoutes: composition.apiRoutes });
  const app = createApp({
    database,
    scheduler,
    logger,
    version: VERSION,
    webhook: composition.webhook,
    routers: [api, ...composition.publicRoutes],
  });
  const server: Server = createServer(app).listen(config.http.port, config.http.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.http.host}:${port}`;
  publicUrl ||= url;
  await scheduler.start();
  // Every sidecar runs the work loops itself (no global lock); stop() awaits their running batch.
  const loops = Object.values(composition.loops);
  for (const loop of loops) loop.start();
  for (const job of composition.jobs) if (job.every) await scheduler.every(job.every, job.name);
  const demo = (await demoWanted(database.pool, config.demo))
    ? await startDemo({ pool: database.pool, deliveryUrl: `${publicUrl}/webhooks/woocommerce`, logger })
    : undefined;
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
    loops: composition.loops,
    demo,
    stop() {
      stopping ??= (async () => {
        // Agenda jobs and work loops finish what they are running (bounded by the grace) before the pool closes.
        const [{ unfinished }] = await Promise.all([
          scheduler.stop(config.shutdownGraceMs),
          ...loops.map((loop) => loop.stop(config.shutdownGraceMs)),
        ]);
        await composition.close();
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
