import { Router } from 'express';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { jsonColumn } from '../db/json-column.ts';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validQuery } from '../http/json-body.ts';
import { offsetOf, pagination, type Page } from '../http/pagination.ts';
import type { OutboxStatus } from './outbox.ts';

const listQuery = pagination.extend({
  status: z.enum(['pending', 'sending', 'retry', 'sent', 'failed', 'cancelled']).optional(),
});

/** A message as GET /api/outbox lists it; `step` is null for one no flow sent (a test). */
export type OutboxSummary = {
  id: number;
  enrollmentId: number | null;
  step: number | null;
  channel: string;
  to: string;
  subject: string | null;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
};
/** GET /api/outbox/:id: the message as the customer got it. */
export type OutboxDetail = OutboxSummary & { headers: Record<string, string>; html: string | null; text: string | null };

/**
 * GET /api/outbox (newest first, filter by status) and GET /api/outbox/:id (the message as the
 * customer got it: headers, HTML and text). Only the authenticated shop's messages.
 */
export function outboxRoutes(pool: Pool): Router {
  const router = Router();
  router.get('/outbox', async (req: AdminRequest, res) => {
    const q = validQuery(req, listQuery);
    const where = q.status ? 'shop_id = ? AND status = ?' : 'shop_id = ?';
    const params = q.status ? [req.shopId, q.status] : [req.shopId];
    const [[count]] = await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM outbox WHERE ${where}`, params);
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT id, enrollment_id, step, channel, recipient, subject, status, attempts, last_error, created_at, sent_at
       FROM outbox WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
      [...params, q.perPage, offsetOf(q)],
    );
    res.json({ items: rows.map(summary), total: Number(count!.n), page: q.page, perPage: q.perPage } satisfies Page<OutboxSummary>);
  });
  router.get('/outbox/:id', async (req: AdminRequest, res) => {
    const id = /^\d{1,18}$/.test(String(req.params.id)) ? req.params.id : null;
    const [rows] = id ? await pool.query<RowDataPacket[]>('SELECT * FROM outbox WHERE id = ? AND shop_id = ?', [id, req.shopId]) : [[]];
    const row = rows[0];
    if (!row) throw AppError.notFound(`no message ${String(req.params.id)} in this shop's outbox`);
    res.json({ ...summary(row), headers: jsonColumn<Record<string, string>>(row.headers) ?? {}, html: row.body_html, text: row.body_text } satisfies OutboxDetail);
  });
  return router;
}

function summary(r: RowDataPacket): OutboxSummary {
  return {
    id: Number(r.id),
    enrollmentId: r.enrollment_id === null ? null : Number(r.enrollment_id),
    step: r.step,
    channel: r.channel,
    to: r.recipient,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}
