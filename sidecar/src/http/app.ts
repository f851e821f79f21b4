import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Database } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import { errorBody } from './error-body.ts';
import { securityHeaders } from './security-headers.ts';

export type AppDeps = {
  database: Database;
  scheduler: Scheduler;
  logger: Logger;
  version: string;
  /** The WooCommerce webhook route, served by plain node:http ahead of express (the hot path). */
  webhook?: { path: string; handle: RawHandler };
  /** The routers the composition root mounts, in order (/api first, then the public ones). */
  routers?: Router[];
};

type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;

export type AppHandler = ((req: IncomingMessage, res: ServerResponse) => void) & { express: Express };

/**
 * The request handler: webhook deliveries go straight to their node:http handler (the hot path,
 * woo/webhook-route.ts, handed in by the root), everything else to the express app. It never listens: sidecar.ts
 * owns the server and its lifetime.
 */
export function createApp(deps: AppDeps): AppHandler {
  const app = expressApp(deps);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url?.split('?', 1)[0]?.replace(/\/+$/, '');
    if (deps.webhook && path === deps.webhook.path) {
      // The express answers get theirs from helmet; the hot path only needs this one.
      res.setHeader('X-Content-Type-Options', 'nosniff');
      deps.webhook.handle(req, res);
    } else app(req, res);
  };
  return Object.assign(handler, { express: app });
}

function expressApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Every answer here is dynamic JSON or a page for one person: an ETag would only cost a hash.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders());

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

  for (const router of deps.routers ?? []) app.use(router);

  app.use((_req, _res, next) => next(AppError.notFound()));
  app.use(errorHandler(deps.logger));
  return app;
}

/** The one error handler: AppErrors speak for themselves, anything else is a logged 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const { status, body, headers } = errorBody(error);
    if (status === 500) logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    if (status === 503) logger.warn({ err: error, method: req.method, path: req.path }, 'request refused: the database is not answering');
    res
      .status(status)
      .set(headers ?? {})
      .json(body);
  };
}
