import { __, _n, sprintf } from '@wordpress/i18n';
import { isSuppressed } from '../privacy/suppression-store.ts';
import { Router } from 'express';
import { eventsKey, replaceEventsKey } from './events-key.ts';
import type { Pool } from 'mysql2/promise';
import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { customerKeyOf } from '../customers/customer-key.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { jsonBody } from '../http/json-body.ts';
import { EDGE_LIMITS, rateLimit } from '../http/rate-limits.ts';
import { loyaltyEventSchema, recordLoyaltyEvent, type LoyaltyEvent, type StoredLoyaltyEvent } from './loyalty-events.ts';
import { customerProfile, type CustomerProfile } from './loyalty-store.ts';
import { latestNpsResponses, npsCounts, type NpsResponse } from './nps-store.ts';

export const MAX_EVENTS_PER_REQUEST = 100;
const LATEST_RESPONSES = 50;

export type LoyaltyRoutesDeps = {
  pool: Pool;
  /**
   * Hears each newly stored event once (never a duplicate). A retried delivery is a duplicate, so
   * work that must not be lost belongs in a job this only queues.
   */
  onEvent?: (shopId: number, event: StoredLoyaltyEvent) => Promise<void>;
  clock?: () => Date;
};

type EventProblem = { index: number; field: string; message: string };

/** GET /api/settings/loyalty and a new key: what the program signs POST /api/events with, for which shop. */
export type LoyaltySettings = { eventsKey: string; shopId: AdminRequest['shopId'] };
/** GET /api/customers/:email/profile: what loyalty programs told about one customer. */
export type { CustomerProfile };

/** Net Promoter Score: % promoters (9–10) minus % detractors (0–6); null without answers. */
export type NpsSummary = { responses: number; promoters: number; passives: number; detractors: number; score: number | null };
/** GET /api/nps: the score and the latest answers, newest first. */
export type NpsAnswers = {
  summary: NpsSummary;
  responses: NpsResponse[];
};

/**
 * POST /api/events: what loyalty programs tell us (one event or `{ events: [...] }`), stored once
 * per program id. GET /api/nps: the shop's NPS and its latest answers. GET
 * /api/customers/:email/profile: what the programs told us about one customer.
 */
export function loyaltyRoutes(deps: LoyaltyRoutesDeps): Router {
  const { pool } = deps;
  const clock = deps.clock ?? (() => new Date());
  const router = Router();
  const eventLimit = rateLimit(EDGE_LIMITS.loyaltyEvents);

  router.post('/events', async (req: AdminRequest, res) => {
    // Per shop, whoever signed: the events key opens this route only, and a leaked one must not flood the flows.
    await eventLimit.take(String(req.shopId));
    // All are checked before any is stored: a batch with a bad event stores nothing.
    const events = validEvents(jsonBody(req));
    const now = clock();
    const results = [];
    const created = [];
    for (const event of events) {
      // A customer erased on request is not kept again, whatever the program still knows of them.
      const addresses = [customerKeyOf(event.email, null), customerKeyOf(null, event.phone, event.country)];
      if (await isSuppressed(pool, req.shopId!, addresses)) {
        results.push({ id: event.id, status: 'suppressed' as const });
        continue;
      }
      const r = await recordLoyaltyEvent(pool, req.shopId!, event, now);
      if (r.created) created.push(r.event);
      results.push({ id: event.id, status: r.created ? ('created' as const) : ('duplicate' as const), eventId: r.id });
    }
    for (const event of created) await deps.onEvent?.(req.shopId!, event);
    res.json({ results });
  });

  // The key the shop's loyalty program signs POST /api/events with (that route only), and a new one.
  router.get('/settings/loyalty', async (req: AdminRequest, res) => {
    res.json({ eventsKey: await eventsKey(pool, req.shopId!), shopId: req.shopId } satisfies LoyaltySettings);
  });
  router.post('/settings/loyalty/events-key', async (req: AdminRequest, res) => {
    res.json({ eventsKey: await replaceEventsKey(pool, req.shopId!), shopId: req.shopId } satisfies LoyaltySettings);
  });
  router.get('/nps', async (req: AdminRequest, res) => {
    const counts = await npsCounts(pool, req.shopId!);
    res.json({
      summary: npsSummary(counts.promoters, counts.passives, counts.detractors),
      responses: await latestNpsResponses(pool, req.shopId!, LATEST_RESPONSES),
    });
  });

  router.get('/customers/:email/profile', async (req: AdminRequest, res) => {
    // Keyed as everywhere: the lower-cased email, else the number in E.164.
    const email = String(req.params.email);
    const key = customerKeyOf(email, email);
    const profile = key ? await customerProfile(pool, req.shopId!, key) : null;
    // translators: %s: the customer's email address or phone number, as asked for.
    if (!profile) throw AppError.notFound(sprintf(__('There is no profile for %s in this shop.', 'comeback'), email));
    res.json(profile);
  });
  return router;
}

/** Net Promoter Score: % promoters (9–10) minus % detractors (0–6), rounded half away from zero; null without answers. */
export function npsSummary(promoters: number, passives: number, detractors: number): NpsSummary {
  const responses = promoters + passives + detractors;
  const net = responses === 0 ? null : ((promoters - detractors) * 100) / responses;
  return { responses, promoters, passives, detractors, score: net === null ? null : Math.sign(net) * Math.round(Math.abs(net)) };
}

/** One event or `{ events: [...] }`, every event checked; 400 naming each problem's index and field. */
function validEvents(body: unknown): LoyaltyEvent[] {
  const batch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'events' in body;
  const list = batch ? body.events : [body];
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_EVENTS_PER_REQUEST) {
    // translators: %d: the most events one request may carry.
    throw AppError.badRequest(
      'invalid_events',
      sprintf(__('The events must be a list of 1 to %d events.', 'comeback'), MAX_EVENTS_PER_REQUEST),
      [
        // translators: %d: the most events one request may carry.
        { index: null, field: 'events', message: sprintf(__('a list of 1 to %d events', 'comeback'), MAX_EVENTS_PER_REQUEST) },
      ],
    );
  }
  const problems: EventProblem[] = [];
  const events = list.map((item, index) => {
    const parsed = loyaltyEventSchema.safeParse(item);
    if (!parsed.success) problems.push(...parsed.error.issues.flatMap((issue) => problemsOf(index, issue)));
    return parsed.data;
  });
  // zod may say the same thing twice about one field (a URL's scheme and its host).
  const distinct = [...new Map(problems.map((p) => [`${p.index}\n${p.field}\n${p.message}`, p])).values()];
  if (distinct.length)
    throw AppError.badRequest(
      'invalid_event',
      // translators: %d: how many problems the events have.
      sprintf(
        _n('%d problem in the events: none was stored.', '%d problems in the events: none was stored.', distinct.length, 'comeback'),
        distinct.length,
      ),
      distinct,
    );
  return events as LoyaltyEvent[];
}

/** An unknown key is named by its own path, not its parent's. */
function problemsOf(index: number, issue: z.core.$ZodIssue): EventProblem[] {
  const field = issue.path.join('.');
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => ({ index, field: field ? `${field}.${key}` : key, message: 'unknown field' }));
  return [{ index, field, message: issue.message }];
}
