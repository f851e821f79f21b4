import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validQuery } from '../http/json-body.ts';
import { offsetOf, pagination, type Page } from '../http/pagination.ts';
import { shopMessage, shopMessages, type OutboxDetail as StoredOutboxDetail, type OutboxEntry } from './outbox-store.ts';

const listQuery = pagination.extend({
  status: z.enum(['pending', 'sending', 'retry', 'sent', 'failed', 'cancelled']).optional(),
});

/** A message as GET /api/outbox lists it; `step` is null for one no flow sent (a test). */
export type OutboxSummary = OutboxEntry;
/** GET /api/outbox/:id: the message as the customer got it. */
export type OutboxDetail = Omit<StoredOutboxDetail, 'providerMessageId'>;

/**
 * GET /api/outbox (newest first, filter by status) and GET /api/outbox/:id (the message as the
 * customer got it: headers, HTML and text). Only the authenticated shop's messages.
 */
export function outboxRoutes(deps: { pool: Pool }): Router {
  const { pool } = deps;
  const router = Router();
  router.get('/outbox', async (req: AdminRequest, res) => {
    const q = validQuery(req, listQuery);
    const { items, total } = await shopMessages(pool, req.shopId!, {
      ...(q.status ? { status: q.status } : {}),
      limit: q.perPage,
      offset: offsetOf(q),
    });
    res.json({ items, total, page: q.page, perPage: q.perPage } satisfies Page<OutboxSummary>);
  });
  router.get('/outbox/:id', async (req: AdminRequest, res) => {
    const id = /^\d{1,18}$/.test(String(req.params.id)) ? String(req.params.id) : null;
    const message = id ? await shopMessage(pool, req.shopId!, id) : null;
    if (!message) throw AppError.notFound(`no message ${String(req.params.id)} in this shop's outbox`);
    const { headers, html, text, providerMessageId: _notShown, ...entry } = message;
    res.json({ ...entry, headers, html, text } satisfies OutboxDetail);
  });
  return router;
}
