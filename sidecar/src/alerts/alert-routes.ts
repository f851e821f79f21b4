import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validBody, validQuery } from '../http/json-body.ts';
import { listAlerts, loadAlert, resolveAlertByHand, type AlertView } from './alert-store.ts';
import { alertSettingsSchema, loadAlertSettings, saveAlertSettings, type AlertSettings } from './alert-settings.ts';

/** An alert: what is wrong (`kind`, an AlertKind), about what (`subject`: a channel, a topic), since when, and whether it is over. */
export type Alert = AlertView;

/** GET /api/alerts. */
export type AlertList = { alerts: Alert[] };

/** GET/PUT /api/settings/alerts: the address alerts are emailed to (null: none, they are shown in the admin only). */
export type AlertEmailSettings = AlertSettings;

const listQuery = z.object({ state: z.enum(['open', 'all']).default('open') });
/** History grows with every resolved alert; the list shows the newest. */
const LIST_LIMIT = 200;

/**
 * GET /api/alerts?state=open|all: the shop's alerts, newest first.
 * POST /api/alerts/:id/dismiss: the merchant resolves an open alert by hand (if the problem is
 * still there, the next check opens it again).
 * GET/PUT /api/settings/alerts: where alerts are emailed (nowhere until the merchant says).
 */
export function alertRoutes(deps: { pool: Pool }): Router {
  const { pool } = deps;
  const router = Router();
  router.get('/alerts', async (req: AdminRequest, res) => {
    const { state } = validQuery(req, listQuery);
    res.json({ alerts: await listAlerts(pool, req.shopId!, { openOnly: state === 'open', limit: LIST_LIMIT }) } satisfies AlertList);
  });

  router.post('/alerts/:id/dismiss', async (req: AdminRequest, res) => {
    const id = /^\d{1,18}$/.test(String(req.params.id)) ? String(req.params.id) : null;
    if (id === null) throw notFound(req.params.id);
    const resolved = await resolveAlertByHand(pool, req.shopId!, id, new Date());
    const alert = await loadAlert(pool, req.shopId!, id);
    if (!alert) throw notFound(id);
    if (!resolved) throw new AppError('already_resolved', `alert ${id} was already resolved`, 409, true);
    res.json(alert satisfies Alert);
  });

  const settingsBody = (shopId: number): Promise<AlertEmailSettings> => loadAlertSettings(pool, shopId);
  router.get('/settings/alerts', async (req: AdminRequest, res) => {
    res.json(await settingsBody(req.shopId!));
  });
  router.put('/settings/alerts', async (req: AdminRequest, res) => {
    await saveAlertSettings(pool, req.shopId!, validBody(req, alertSettingsSchema, 'invalid_settings'));
    res.json(await settingsBody(req.shopId!));
  });
  return router;
}

function notFound(id: unknown): AppError {
  return AppError.notFound(`no alert ${String(id)} in this shop`);
}
