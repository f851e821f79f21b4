import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { recoveryReport } from './attribution.ts';

const range = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

/** GET /api/reports/recovery?from=…&to=… (ISO times; the last 30 days by default). */
export function reportRoutes(pool: Pool): Router {
  const router = Router();
  router.get('/reports/recovery', async (req: AdminRequest, res) => {
    const parsed = range.safeParse(req.query);
    if (!parsed.success) throw AppError.badRequest('invalid_range', 'from and to must be ISO 8601 times, e.g. 2026-11-01T00:00:00Z');
    const to = parsed.data.to ? new Date(parsed.data.to) : new Date();
    const from = parsed.data.from ? new Date(parsed.data.from) : new Date(to.getTime() - 30 * 86_400_000);
    if (from >= to) throw AppError.badRequest('invalid_range', 'from must be before to');
    res.json({ from, to, ...(await recoveryReport(pool, req.shopId!, from, to)) });
  });
  return router;
}
