import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Database } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { EventProcessor } from '../events/event-processor.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import { webhookRouter } from '../woo/webhook-route.ts';

export type AppDeps = {
  database: Database;
  scheduler: Scheduler;
  logger: Logger;
  version: string;
  events: EventProcessor;
  /** Feature routers mounted at the root (links, the dev outbox). */
  routers?: Router[];
};

/** The express app. It never listens: main.ts owns the server and its lifetime. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.get('/healthz', async (_req, res) => {
    const [dbOk, scheduler] = await Promise.all([deps.database.ping(), deps.scheduler.status()]);
    const healthy = dbOk && scheduler.running;
    res.status(healthy ? 200 : 503).json({
      status: healthy ? 'ok' : 'degraded',
      version: deps.version,
      db: { ok: dbOk, server: deps.database.server },
      scheduler,
    });
  });

  app.use('/webhooks/woocommerce', webhookRouter({ pool: deps.database.pool, logger: deps.logger, onStored: () => deps.events.kick() }));

  for (const router of deps.routers ?? []) app.use(router);

  app.use((_req, _res, next) => next(AppError.notFound()));
  app.use(errorHandler(deps.logger));
  return app;
}

/** The one error handler: AppErrors speak for themselves, anything else is a logged 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof AppError) {
      res.status(error.status).json({ error: { code: error.code, message: error.expose ? error.message : 'internal error', details: error.details } });
      return;
    }
    // body-parser errors carry a status (400 malformed, 413 too large): they are the caller's fault.
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    res.status(status).json({ error: { code: status === 500 ? 'internal' : String(error.type ?? 'bad_request'), message: status === 500 ? 'internal error' : error.message } });
  };
}
