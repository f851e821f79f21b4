import { Router } from 'express';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validBody, validQuery } from '../http/json-body.ts';
import { alertSettingsSchema, effectiveAlertEmail, loadAlertSettings, saveAlertSettings, type AlertSettings } from './alert-settings.ts';

/** An alert: what is wrong (`kind`, an AlertKind), about what (`subject`: a channel, a topic), since when, and whether it is over. */
export type Alert = { id: number; kind: string; subject: string; message: string; openedAt: Date; lastSeenAt: Date; resolvedAt: Date | null; notifiedAt: Date | null };
/** GET /api/alerts. */
export type AlertList = { alerts: Alert[] };
/** GET/PUT /api/settings/alerts: the address set (null: none of the shop's own) and where alerts go now. */
export type AlertEmailSettings = AlertSettings & { effectiveEmail: string };

const listQuery = z.object({ state: z.enum(['open', 'all']).default('open') });
/** History grows with every resolved alert; the list shows the newest. */
const LIST_LIMIT = 200;

/**
 * GET /api/alerts?state=open|all: the shop's alerts, newest first.
 * POST /api/alerts/:id/dismiss: the merchant resolves an open alert by hand (if the problem is
 * still there, the next check opens it again).
 * GET/PUT /api/settings/alerts: where alerts are emailed; `effectiveEmail` is where they go now.
 */
export function alertRoutes(pool: Pool, options: { mailFrom: string }): Router {
  const router = Router();
  router.get('/alerts', async (req: AdminRequest, res) => {
    const { state } = validQuery(req, listQuery);
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT id, kind, subject, message, opened_at, last_seen_at, resolved_at, notified_at FROM alerts
       WHERE shop_id = ?${state === 'open' ? ' AND resolved_at IS NULL' : ''} ORDER BY opened_at DESC, id DESC LIMIT ?`,
      [req.shopId, LIST_LIMIT],
    );
    res.json({ alerts: rows.map(alertBody) } satisfies AlertList);
  });

  router.post('/alerts/:id/dismiss', async (req: AdminRequest, res) => {
    const id = /^\d{1,18}$/.test(String(req.params.id)) ? String(req.params.id) : null;
    if (id === null) throw notFound(req.params.id);
    const now = new Date();
    const [result] = await pool.query<ResultSetHeader>(
      'UPDATE alerts SET resolved_at = ?, open_key = NULL WHERE id = ? AND shop_id = ? AND resolved_at IS NULL',
      [now, id, req.shopId],
    );
    const [rows] = await pool.query<RowDataPacket[]>(
      'SELECT id, kind, subject, message, opened_at, last_seen_at, resolved_at, notified_at FROM alerts WHERE id = ? AND shop_id = ?',
      [id, req.shopId],
    );
    if (!rows[0]) throw notFound(id);
    if (result.affectedRows === 0) throw new AppError('already_resolved', `alert ${id} was already resolved`, 409, true);
    res.json(alertBody(rows[0]));
  });

  const settingsBody = async (shopId: number): Promise<AlertEmailSettings> => {
    const settings = await loadAlertSettings(pool, shopId);
    return { ...settings, effectiveEmail: effectiveAlertEmail(settings, options.mailFrom) };
  };
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

function alertBody(r: RowDataPacket): Alert {
  return {
    id: Number(r.id),
    kind: String(r.kind),
    subject: String(r.subject),
    message: String(r.message),
    openedAt: r.opened_at,
    lastSeenAt: r.last_seen_at,
    resolvedAt: r.resolved_at ?? null,
    notifiedAt: r.notified_at ?? null,
  };
}
