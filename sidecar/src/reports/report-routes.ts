import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validQuery } from '../http/json-body.ts';
import { loadShopProfile } from '../woo/shop-profile.ts';
import { recoveryReport, type RecoveryReport } from './attribution.ts';
import { customerReport, flowIncrementality, type CustomerReport, type FlowIncrementality } from './customer-report.ts';

/** GET /api/reports/recovery: the period (days in `timeZone`, the shop's), what recovery did, and each flow against its hold-out. */
export type RecoveryReportResponse = { from: Date; to: Date; timeZone: string } & RecoveryReport & { uplift: FlowIncrementality[] };
/** GET /api/reports/customers. */
export type CustomerReportResponse = { from: Date; to: Date } & CustomerReport;

const iso = z.iso.datetime({ offset: true, error: 'an ISO 8601 time, e.g. 2026-11-01T00:00:00Z' });
const range = z.object({ from: iso.optional(), to: iso.optional() });

function rangeOf(req: AdminRequest): { from: Date; to: Date } {
  const query = validQuery(req, range);
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * 86_400_000);
  if (from >= to) throw AppError.badRequest('invalid_range', 'from must be before to');
  return { from, to };
}

/**
 * GET /api/reports/recovery and /api/reports/customers ?from=…&to=… (ISO times; the last 30 days
 * by default): recovered orders; and what win-back, loyalty and campaigns did (incremental
 * against the hold-out, per step and channel, per segment, coupons, repurchases).
 */
export function reportRoutes(deps: { pool: Pool }): Router {
  const { pool } = deps;
  const router = Router();
  router.get('/reports/recovery', async (req: AdminRequest, res) => {
    const { from, to } = rangeOf(req);
    const { timeZone } = await loadShopProfile(pool, req.shopId!);
    res.json({
      from,
      to,
      timeZone,
      ...(await recoveryReport(pool, req.shopId!, from, to, timeZone)),
      uplift: await flowIncrementality(pool, req.shopId!, from, to),
    } satisfies RecoveryReportResponse);
  });
  router.get('/reports/customers', async (req: AdminRequest, res) => {
    const { from, to } = rangeOf(req);
    res.json({ from, to, ...(await customerReport(pool, req.shopId!, from, to)) } satisfies CustomerReportResponse);
  });
  return router;
}
