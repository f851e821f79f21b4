import { Router } from 'express';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validBody } from '../http/json-body.ts';

export type Click = { outboxId: number; enrollmentId: number | null; kind: 'pay' | 'cart'; userAgent: string; at: Date };

/** Records a click once: the same message clicked at the same instant is the same click (a retried report). */
export async function recordClick(pool: Pool, click: Click): Promise<boolean> {
  const [result] = await pool.query<ResultSetHeader>(
    'INSERT IGNORE INTO clicks (outbox_id, enrollment_id, kind, user_agent, clicked_at) VALUES (?, ?, ?, ?, ?)',
    [click.outboxId, click.enrollmentId, click.kind, click.userAgent.slice(0, 512), click.at],
  );
  return result.affectedRows === 1;
}

const clickReport = z.object({
  ref: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'a link reference'),
  clickedAt: z.iso.datetime({ offset: true }),
  userAgent: z.string().max(2_000).default(''),
});

/**
 * POST /api/clicks: a click on a payment link answered by the shop's plugin (links on the shop's
 * own domain), reported afterwards from the plugin's queue. Only the shop's own messages.
 */
export function clickRoutes(pool: Pool): Router {
  const router = Router();
  router.post('/clicks', async (req: AdminRequest, res) => {
    const report = validBody(req, clickReport);
    const [rows] = await pool.query<RowDataPacket[]>('SELECT id, enrollment_id FROM outbox WHERE link_ref = ? AND shop_id = ?', [report.ref, req.shopId]);
    const message = rows[0];
    if (!message) throw AppError.notFound('no message of this shop carries that link');
    const recorded = await recordClick(pool, {
      outboxId: Number(message.id),
      enrollmentId: message.enrollment_id === null ? null : Number(message.enrollment_id),
      kind: 'pay',
      userAgent: report.userAgent,
      at: new Date(report.clickedAt),
    });
    res.status(recorded ? 201 : 200).json({ recorded, duplicate: !recorded });
  });
  return router;
}
