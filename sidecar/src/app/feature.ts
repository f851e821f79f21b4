import type { Router } from 'express';

/**
 * What a room gives the composition root (app/compose.ts): its routes, the calendar work it needs
 * done once per database (agenda), and how it closes. A room builds nothing of another room's:
 * what it needs from one (a kick, the order pipe, the channels) arrives in its deps.
 */
export type Feature = {
  /** Customer-facing pages, provider webhooks and other public routes, mounted at the root. */
  publicRoutes?: Router[];
  /** /api routes that work across shops (connecting one); each guards itself. */
  globalApiRoutes?: Router[];
  /** /api routes about the one shop the request names (admin-authenticated, `req.shopId`). */
  apiRoutes?: Router[];
  /** Jobs agenda runs once per database, on a schedule or on demand. */
  jobs?: JobDefinition[];
  close?(): Promise<void>;
};

/**
 * A job agenda runs: recurring ones (`every`, agenda's interval syntax) are scheduled at start;
 * one without `every` runs when asked (`scheduler.agenda.now(name, payload)`). Handlers must be
 * safe to run twice: a crash re-runs the job.
 */
export type JobDefinition<P = never> = {
  name: string;
  every?: string;
  run(payload: P): Promise<unknown>;
  /** At most this many at once on one sidecar (default: the scheduler's). */
  concurrency?: number;
};
