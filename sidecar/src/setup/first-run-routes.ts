import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validBody } from '../http/json-body.ts';
import { firstRunChecklist, tickFirstRunItem, TICKED_ITEMS, type FirstRunChecklist } from './first-run.ts';

const tickRequest = z.object({ done: z.boolean() });

/** GET /api/setup/first-run: the checklist; POST /api/setup/first-run/<sender|reminder>: ticks (or unticks) a judgement item. */
export function firstRunRoutes(deps: { pool: Pool }): Router {
  const router = Router();
  router.get('/setup/first-run', async (req: AdminRequest, res) => {
    const checklist: FirstRunChecklist = await firstRunChecklist(deps.pool, req.shopId!);
    res.json(checklist);
  });
  router.post('/setup/first-run/:item', async (req: AdminRequest, res) => {
    const item = z.enum(TICKED_ITEMS).safeParse(req.params.item);
    if (!item.success)
      throw AppError.notFound(`only ${TICKED_ITEMS.join(' and ')} are ticked by hand; the others follow from what the shop has`);
    await tickFirstRunItem(deps.pool, req.shopId!, item.data, validBody(req, tickRequest).done);
    res.json(await firstRunChecklist(deps.pool, req.shopId!));
  });
  return router;
}
