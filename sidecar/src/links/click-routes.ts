import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validBody } from '../http/json-body.ts';
import { insertClick, messageByLinkRef } from './link-store.ts';

const clickReport = z.object({
  ref: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'a link reference'),
  clickedAt: z.iso.datetime({ offset: true }),
  userAgent: z.string().max(2_000).default(''),
});

/**
 * POST /api/clicks: a click on a payment link answered by the shop's plugin (links on the shop's
 * own domain), reported afterwards from the plugin's queue. Only the shop's own messages.
 */
export function clickRoutes(deps: { pool: Pool }): Router {
  const { pool } = deps;
  const router = Router();
  router.post('/clicks', async (req: AdminRequest, res) => {
    const report = validBody(req, clickReport);
    const message = await messageByLinkRef(pool, report.ref);
    // Another shop's reference is answered as no reference at all.
    if (!message || message.shopId !== req.shopId) throw AppError.notFound('no message of this shop carries that link');
    const recorded = await insertClick(pool, {
      outboxId: message.outboxId,
      enrollmentId: message.enrollmentId,
      kind: 'pay',
      userAgent: report.userAgent,
      at: new Date(report.clickedAt),
    });
    res.status(recorded ? 201 : 200).json({ recorded, duplicate: !recorded });
  });
  return router;
}
