import { __, sprintf } from '@wordpress/i18n';
import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validBody, validQuery } from '../http/json-body.ts';
import { listAlerts, loadAlert, resolveAlertByHand, type AlertView } from './alert-store.ts';
import { alertTitle } from './alert-email.ts';
import { alertSettingsSchema, loadAlertSettings, saveAlertSettings, type AlertSettings } from './alert-settings.ts';

/**
 * An alert: what is wrong (`kind`, an AlertKind), about what (`subject`: a channel, a topic), since when, and whether it is over;
 * `title` in a few words in the request's language, `message` as the check wrote it, in the shop's.
 */
export type Alert = AlertView & { title: string };

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
    const alerts = await listAlerts(pool, req.shopId!, { openOnly: state === 'open', limit: LIST_LIMIT });
    res.json({ alerts: alerts.map(titled) } satisfies AlertList);
  });

  router.post('/alerts/:id/dismiss', async (req: AdminRequest, res) => {
    const id = /^\d{1,18}$/.test(String(req.params.id)) ? String(req.params.id) : null;
    if (id === null) throw notFound(req.params.id);
    const resolved = await resolveAlertByHand(pool, req.shopId!, id, new Date());
    const alert = await loadAlert(pool, req.shopId!, id);
    if (!alert) throw notFound(id);
    // translators: %s: the alert's number.
    if (!resolved) throw new AppError('already_resolved', sprintf(__('alert %s was already resolved', 'comeback'), id), 409, true);
    res.json(titled(alert) satisfies Alert);
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
  // translators: %s: the alert's number.
  return AppError.notFound(sprintf(__('no alert %s in this shop', 'comeback'), String(id)));
}

const titled = (alert: AlertView): Alert => ({ ...alert, title: alertTitle(alert.kind, alert.subject) });
