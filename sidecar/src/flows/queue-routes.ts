import { Router } from 'express';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validQuery } from '../http/json-body.ts';
import { offsetOf, pagination, type Page } from '../http/pagination.ts';
import { cancelPending } from '../messages/outbox.ts';
import type { SubjectType } from './flow-definition.ts';

const listQuery = pagination.extend({
  /** scheduled: waiting for a step; failing: the last attempt failed (retried after its lease). */
  status: z.enum(['scheduled', 'failing', 'completed', 'exited']).optional(),
  flow: z.string().max(64).optional(),
});

const STATUS_SQL: Record<NonNullable<z.output<typeof listQuery>['status']>, string> = {
  scheduled: "e.status = 'active' AND e.last_error IS NULL",
  failing: "e.status = 'active' AND e.last_error IS NOT NULL",
  completed: "e.status = 'completed'",
  exited: "e.status = 'exited'",
};

/** An enrollment with the order it is about and how many messages it has had. */
const ENROLLMENT_SELECT = `SELECT e.id, e.flow, e.flow_version, e.subject_type, e.held_out, e.subject_id, e.status, e.step, e.next_step_at, e.exit_reason, e.last_error, e.entered_at, e.exited_at,
    COALESCE(o.email, c.email, e.customer_key) AS email, COALESCE(o.total, c.total) AS total, COALESCE(o.currency, c.currency) AS currency, o.payment_method, o.status AS order_status, JSON_VALUE(o.snapshot, '$.number') AS order_number,
    (SELECT COUNT(*) FROM outbox m WHERE m.enrollment_id = e.id) AS messages
  FROM enrollments e
  LEFT JOIN orders o ON e.subject_type = 'order' AND o.shop_id = e.shop_id AND o.order_id = CAST(e.subject_id AS UNSIGNED)
  LEFT JOIN carts c ON e.subject_type = 'cart' AND c.shop_id = e.shop_id AND c.id = CAST(e.subject_id AS UNSIGNED)`;

/** One enrollment as GET /api/queue lists it; `order` has no id for one about a customer or a loyalty event. */
export type EnrollmentSummary = {
  id: number;
  flow: string;
  flowVersion: number;
  subjectType: SubjectType;
  heldOut: boolean;
  status: 'scheduled' | 'failing' | 'completed' | 'exited';
  step: number;
  nextStepAt: Date | null;
  exitReason: string | null;
  lastError: string | null;
  enteredAt: Date;
  exitedAt: Date | null;
  messages: number;
  order: { id: number | null; number: string | null; email: string | null; total: string | null; currency: string | null; paymentMethod: string | null; status: string | null };
};
/** One moment of an enrollment's timeline: entered, a message queued, sent or failed, a click, the end. */
export type TimelineEvent = { at: Date; event: string; messageId?: number; step?: number | null; subject?: string | null; reason?: string | null; kind?: string };
/** One decision of the step runner about a step: what it tried on which channel, and why it was or was not sent. */
export type StepLogEntry = { step: number; channel: string | null; outcome: string; detail: string | null; outboxId: number | null; at: Date };
/** GET /api/queue/:id. */
export type EnrollmentDetail = EnrollmentSummary & { timeline: TimelineEvent[]; log: StepLogEntry[] };

/**
 * GET /api/queue: who is in recovery and what happens next, newest first, with filters.
 * GET /api/queue/:id: one enrollment's timeline — entered, each message, each click, the exit.
 * POST /api/queue/:id/cancel, /retry: the merchant stops it, or has a failing step tried now.
 */
export function queueRoutes(pool: Pool): Router {
  const router = Router();
  router.get('/queue', async (req: AdminRequest, res) => {
    const q = validQuery(req, listQuery);
    const conditions = ['e.shop_id = ?', ...(q.status ? [STATUS_SQL[q.status]] : []), ...(q.flow ? ['e.flow = ?'] : [])];
    const params: unknown[] = [req.shopId, ...(q.flow ? [q.flow] : [])];
    const where = conditions.join(' AND ');
    const [[count]] = await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM enrollments e WHERE ${where}`, params);
    const [rows] = await pool.query<RowDataPacket[]>(
      `${ENROLLMENT_SELECT} WHERE ${where} ORDER BY e.entered_at DESC, e.id DESC LIMIT ? OFFSET ?`,
      [...params, q.perPage, offsetOf(q)],
    );
    res.json({ items: rows.map(enrollmentSummary), total: Number(count!.n), page: q.page, perPage: q.perPage } satisfies Page<EnrollmentSummary>);
  });

  router.get('/queue/:id', async (req: AdminRequest, res) => {
    const id = /^\d{1,18}$/.test(String(req.params.id)) ? req.params.id : null;
    const [rows] = id
      ? await pool.query<RowDataPacket[]>(
          `${ENROLLMENT_SELECT} WHERE e.id = ? AND e.shop_id = ?`,
          [id, req.shopId],
        )
      : [[]];
    const row = rows[0];
    if (!row) throw AppError.notFound(`no enrollment ${String(req.params.id)} in this shop`);
    const [messages] = await pool.query<RowDataPacket[]>(
      'SELECT id, step, channel, subject, status, attempts, last_error, created_at, sent_at FROM outbox WHERE enrollment_id = ? ORDER BY id',
      [row.id],
    );
    const [clicks] = await pool.query<RowDataPacket[]>('SELECT outbox_id, kind, clicked_at FROM clicks WHERE enrollment_id = ? ORDER BY clicked_at', [row.id]);
    const timeline: TimelineEvent[] = [
      { at: row.entered_at, event: 'entered' },
      ...messages.flatMap((m) => [
        { at: m.created_at, event: 'message.queued', messageId: Number(m.id), step: m.step, subject: m.subject },
        ...(m.sent_at ? [{ at: m.sent_at, event: 'message.sent', messageId: Number(m.id), step: m.step }] : []),
        ...(m.status === 'failed' ? [{ at: m.created_at, event: 'message.failed', messageId: Number(m.id), step: m.step, reason: m.last_error }] : []),
      ]),
      ...clicks.map((c) => ({ at: c.clicked_at, event: 'click', messageId: Number(c.outbox_id), kind: c.kind })),
      ...(row.exited_at ? [{ at: row.exited_at, event: row.status === 'completed' ? 'completed' : 'exited', reason: row.exit_reason }] : []),
    ].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
    // Why each step did or did not send (held out, no consent, capped, quiet hours…), oldest first.
    const [log] = await pool.query<RowDataPacket[]>('SELECT step, channel, outcome, detail, outbox_id, at FROM step_log WHERE enrollment_id = ? ORDER BY at, id', [row.id]);
    res.json({
      ...enrollmentSummary(row),
      timeline,
      log: log.map((l) => ({ step: l.step, channel: l.channel, outcome: l.outcome, detail: l.detail, outboxId: l.outbox_id === null ? null : Number(l.outbox_id), at: l.at })),
    } satisfies EnrollmentDetail);
  });

  // The merchant stops a customer's reminders: the enrollment exits and an unsent message stays unsent.
  router.post('/queue/:id/cancel', async (req: AdminRequest, res) => {
    const id = enrollmentId(req.params.id);
    const [result] = await pool.query<ResultSetHeader>(
      `UPDATE enrollments SET status = 'exited', exit_reason = 'cancelled by the merchant', exited_at = ?, next_step_at = NULL, locked_at = NULL, mark_dirty = TRUE
       WHERE id = ? AND shop_id = ? AND status = 'active'`,
      [new Date(), id, req.shopId],
    );
    if (result.affectedRows === 0) throw notActive(id);
    await cancelPending(pool, Number(id));
    res.json({ id: Number(id), status: 'exited' });
  });

  // A failing step (or a failed message) is tried again now rather than at its next retry.
  router.post('/queue/:id/retry', async (req: AdminRequest, res) => {
    const id = enrollmentId(req.params.id);
    const [result] = await pool.query<ResultSetHeader>(
      `UPDATE enrollments SET next_step_at = LEAST(COALESCE(next_step_at, ?), ?), locked_at = NULL, last_error = NULL
       WHERE id = ? AND shop_id = ? AND status = 'active'`,
      [new Date(), new Date(), id, req.shopId],
    );
    if (result.affectedRows === 0) throw notActive(id);
    await pool.query("UPDATE outbox SET status = 'retry', attempts = 0, next_attempt_at = ?, last_error = NULL WHERE enrollment_id = ? AND status = 'failed'", [new Date(), id]);
    res.json({ id: Number(id), status: 'scheduled' });
  });
  return router;
}

function enrollmentId(raw: unknown): string {
  if (!/^\d{1,18}$/.test(String(raw))) throw AppError.notFound(`no enrollment ${String(raw)} in this shop`);
  return String(raw);
}

function notActive(id: string): AppError {
  return new AppError('not_active', `enrollment ${id} is not in this shop's recovery any more (finished, exited or unknown)`, 409, true);
}

function enrollmentSummary(r: RowDataPacket): EnrollmentSummary {
  const orderOrCart = r.subject_type === 'order' || r.subject_type === 'cart';
  return {
    id: Number(r.id),
    flow: r.flow,
    flowVersion: Number(r.flow_version),
    subjectType: r.subject_type,
    heldOut: Boolean(r.held_out),
    status: r.status === 'active' ? (r.last_error ? 'failing' : 'scheduled') : r.status,
    step: r.step,
    nextStepAt: r.next_step_at,
    exitReason: r.exit_reason,
    lastError: r.last_error,
    enteredAt: r.entered_at,
    exitedAt: r.exited_at,
    messages: Number(r.messages),
    // A win-back, campaign or loyalty enrollment is about the customer (their email), not an order.
    order: { id: orderOrCart ? Number(r.subject_id) : null, number: r.order_number ?? (orderOrCart ? r.subject_id : null), email: r.email, total: r.total, currency: r.currency, paymentMethod: r.payment_method, status: r.order_status },
  };
}
