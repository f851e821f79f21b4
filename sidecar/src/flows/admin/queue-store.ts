import { execute, selectOne, selectRows, type Queryable, type Row } from '../../db/queryable.ts';
import type { StepLogEntry } from '../steps/step-store.ts';

/**
 * What the queue screen reads and changes: enrollments with the order or cart they are about
 * and how many messages they had, one enrollment's messages, clicks and step log, and the
 * merchant's cancel and retry.
 */

export type QueueStatus = 'scheduled' | 'failing' | 'completed' | 'exited';

const STATUS_SQL: Record<QueueStatus, string> = {
  scheduled: "e.status = 'active' AND e.last_error IS NULL",
  failing: "e.status = 'active' AND e.last_error IS NOT NULL",
  completed: "e.status = 'completed'",
  exited: "e.status = 'exited'",
};

/** An enrollment as the queue lists it. */
export type QueueEntry = {
  id: number;
  flow: string;
  flowVersion: number;
  /** The flow's name in the version the enrollment runs ("Unpaid order reminders"). */
  flowName: string | null;
  subjectType: string;
  subjectId: string;
  heldOut: boolean;
  status: string;
  step: number;
  nextStepAt: Date | null;
  exitReason: string | null;
  /** The order whose payment ended it, and its number as the shop shows it. */
  exitOrderId: number | null;
  exitOrderNumber: string | null;
  lastError: string | null;
  enteredAt: Date;
  exitedAt: Date | null;
  /** The order's or cart's address, else the customer key. */
  email: string | null;
  /** As stored (DECIMAL, a string). */
  total: string | null;
  currency: string | null;
  paymentMethod: string | null;
  /** The payment method's title as the order carries it ("Direct bank transfer"). */
  paymentMethodTitle: string | null;
  /** The billing name on the order. */
  customerName: string | null;
  orderStatus: string | null;
  orderNumber: string | null;
  messages: number;
};

/** An enrollment with the order it is about and how many messages it has had. */
const ENTRY_SELECT = `SELECT e.id, e.flow, e.flow_version, e.subject_type, e.held_out, e.subject_id, e.status, e.step, e.next_step_at, e.exit_reason, e.exit_order_id, e.last_error, e.entered_at, e.exited_at,
    JSON_VALUE(x.snapshot, '$.number') AS exit_order_number, JSON_VALUE(v.definition, '$.name') AS flow_name,
    JSON_VALUE(o.snapshot, '$.payment_method_title') AS payment_method_title,
    TRIM(CONCAT(COALESCE(JSON_VALUE(o.snapshot, '$.billing.first_name'), ''), ' ', COALESCE(JSON_VALUE(o.snapshot, '$.billing.last_name'), ''))) AS customer_name,
    COALESCE(o.email, c.email, e.customer_key) AS email, COALESCE(o.total, c.total) AS total, COALESCE(o.currency, c.currency) AS currency, o.payment_method, o.status AS order_status, JSON_VALUE(o.snapshot, '$.number') AS order_number,
    (SELECT COUNT(*) FROM outbox m WHERE m.enrollment_id = e.id) AS messages
  FROM enrollments e
  LEFT JOIN orders o ON e.subject_type = 'order' AND o.shop_id = e.shop_id AND o.order_id = CAST(e.subject_id AS UNSIGNED)
  LEFT JOIN carts c ON e.subject_type = 'cart' AND c.shop_id = e.shop_id AND c.id = CAST(e.subject_id AS UNSIGNED)
  LEFT JOIN orders x ON x.shop_id = e.shop_id AND x.order_id = e.exit_order_id
  LEFT JOIN flow_versions v ON v.shop_id = e.shop_id AND v.flow_key = e.flow AND v.version = e.flow_version`;

function entryOf(r: Row): QueueEntry {
  return {
    id: r.num('id'),
    flow: r.str('flow'),
    flowVersion: r.num('flow_version'),
    flowName: r.strOrNull('flow_name'),
    subjectType: r.str('subject_type'),
    subjectId: r.str('subject_id'),
    heldOut: r.bool('held_out'),
    status: r.str('status'),
    step: r.num('step'),
    nextStepAt: r.dateOrNull('next_step_at'),
    exitReason: r.strOrNull('exit_reason'),
    exitOrderId: r.numOrNull('exit_order_id'),
    exitOrderNumber: r.strOrNull('exit_order_number'),
    lastError: r.strOrNull('last_error'),
    enteredAt: r.date('entered_at'),
    exitedAt: r.dateOrNull('exited_at'),
    email: r.strOrNull('email'),
    total: r.strOrNull('total'),
    currency: r.strOrNull('currency'),
    paymentMethod: r.strOrNull('payment_method'),
    paymentMethodTitle: r.strOrNull('payment_method_title') || null,
    customerName: r.strOrNull('customer_name') || null,
    orderStatus: r.strOrNull('order_status'),
    orderNumber: r.strOrNull('order_number'),
    messages: r.num('messages'),
  };
}

function filterSql(shopId: number, filter: { status?: QueueStatus; flow?: string }): { where: string; params: unknown[] } {
  const conditions = ['e.shop_id = ?', ...(filter.status ? [STATUS_SQL[filter.status]] : []), ...(filter.flow ? ['e.flow = ?'] : [])];
  return { where: conditions.join(' AND '), params: [shopId, ...(filter.flow ? [filter.flow] : [])] };
}

/** One page of the shop's enrollments matching the filter, newest first, and how many match in all. */
export async function queuePage(
  db: Queryable,
  shopId: number,
  filter: { status?: QueueStatus; flow?: string },
  page: { limit: number; offset: number },
): Promise<{ items: QueueEntry[]; total: number }> {
  const { where, params } = filterSql(shopId, filter);
  const total = await selectOne(db, `SELECT COUNT(*) AS n FROM enrollments e WHERE ${where}`, params, (r) => r.num('n'));
  const items = await selectRows(
    db,
    `${ENTRY_SELECT} WHERE ${where} ORDER BY e.entered_at DESC, e.id DESC LIMIT ? OFFSET ?`,
    [...params, page.limit, page.offset],
    entryOf,
  );
  return { items, total: total! };
}

export async function queueEntry(db: Queryable, shopId: number, enrollmentId: number): Promise<QueueEntry | null> {
  return selectOne(db, `${ENTRY_SELECT} WHERE e.id = ? AND e.shop_id = ?`, [enrollmentId, shopId], entryOf);
}

export type EnrollmentMessage = {
  id: number;
  step: number | null;
  subject: string | null;
  status: string;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
};

/** The enrollment's messages, in the order they were queued. */
export async function enrollmentMessages(db: Queryable, enrollmentId: number): Promise<EnrollmentMessage[]> {
  return selectRows(
    db,
    'SELECT id, step, subject, status, last_error, created_at, sent_at FROM outbox WHERE enrollment_id = ? ORDER BY id',
    [enrollmentId],
    (r) => ({
      id: r.num('id'),
      step: r.numOrNull('step'),
      subject: r.strOrNull('subject'),
      status: r.str('status'),
      lastError: r.strOrNull('last_error'),
      createdAt: r.date('created_at'),
      sentAt: r.dateOrNull('sent_at'),
    }),
  );
}

export async function enrollmentClicks(
  db: Queryable,
  enrollmentId: number,
): Promise<Array<{ outboxId: number; kind: string; clickedAt: Date }>> {
  return selectRows(
    db,
    'SELECT outbox_id, kind, clicked_at FROM clicks WHERE enrollment_id = ? ORDER BY clicked_at',
    [enrollmentId],
    (r) => ({
      outboxId: r.num('outbox_id'),
      kind: r.str('kind'),
      clickedAt: r.date('clicked_at'),
    }),
  );
}

/**
 * What the providers reported about the enrollment's messages, oldest first: each status once, at
 * the time the provider gave, with the error text the outbox row keeps for its latest status.
 */
export async function enrollmentDeliveryStatuses(
  db: Queryable,
  enrollmentId: number,
): Promise<Array<{ outboxId: number; step: number | null; status: string; error: string | null; at: Date }>> {
  return selectRows(
    db,
    `SELECT s.outbox_id, m.step, s.status, s.error_code, s.at, m.delivery_status, m.delivery_error
     FROM message_statuses s JOIN outbox m ON m.id = s.outbox_id WHERE m.enrollment_id = ? ORDER BY s.at, s.id`,
    [enrollmentId],
    (r) => ({
      outboxId: r.num('outbox_id'),
      step: r.numOrNull('step'),
      status: r.str('status'),
      error: (r.strOrNull('delivery_status') === r.str('status') ? r.strOrNull('delivery_error') : null) ?? r.strOrNull('error_code'),
      at: r.date('at'),
    }),
  );
}

export type StepLogLine = Omit<StepLogEntry, 'enrollmentId'>;

/** Why each step did or did not send, oldest first. */
export async function enrollmentStepLog(db: Queryable, enrollmentId: number): Promise<StepLogLine[]> {
  return selectRows(
    db,
    'SELECT step, channel, outcome, detail, outbox_id, at FROM step_log WHERE enrollment_id = ? ORDER BY at, id',
    [enrollmentId],
    (r) => ({
      step: r.num('step'),
      channel: r.strOrNull('channel'),
      outcome: r.str('outcome'),
      detail: r.strOrNull('detail'),
      outboxId: r.numOrNull('outbox_id'),
      at: r.date('at'),
    }),
  );
}

/** The merchant ends an active enrollment of the shop; false when there is none such. */
export async function cancelByMerchant(db: Queryable, shopId: number, enrollmentId: number, now: Date): Promise<boolean> {
  const result = await execute(
    db,
    `UPDATE enrollments SET status = 'exited', exit_reason = 'cancelled by the merchant', exited_at = ?, next_step_at = NULL, locked_at = NULL, mark_dirty = TRUE
     WHERE id = ? AND shop_id = ? AND status = 'active'`,
    [now, enrollmentId, shopId],
  );
  return result.affectedRows > 0;
}

/** A failing step of an active enrollment is due now, its lease and error cleared; false when the enrollment is not failing. */
export async function retryFailingStep(db: Queryable, shopId: number, enrollmentId: number, now: Date): Promise<boolean> {
  const result = await execute(
    db,
    `UPDATE enrollments SET next_step_at = LEAST(COALESCE(next_step_at, ?), ?), locked_at = NULL, last_error = NULL
     WHERE id = ? AND shop_id = ? AND status = 'active' AND last_error IS NOT NULL`,
    [now, now, enrollmentId, shopId],
  );
  return result.affectedRows > 0;
}

/**
 * A scheduled (active, not failing) enrollment's next step is due now instead of at its time; the
 * step runner still applies its rules (consent, cap, send window). False when there is none such.
 */
export async function bringNextStepForward(db: Queryable, shopId: number, enrollmentId: number, now: Date): Promise<boolean> {
  const result = await execute(
    db,
    `UPDATE enrollments SET next_step_at = ?
     WHERE id = ? AND shop_id = ? AND status = 'active' AND last_error IS NULL AND next_step_at > ?`,
    [now, enrollmentId, shopId, now],
  );
  return result.affectedRows > 0;
}

/** The enrollment's failed messages are sent again now, attempts counted afresh; how many. */
export async function retryFailedMessages(db: Queryable, enrollmentId: number, now: Date): Promise<number> {
  const result = await execute(
    db,
    "UPDATE outbox SET status = 'retry', attempts = 0, next_attempt_at = ?, last_error = NULL WHERE enrollment_id = ? AND status = 'failed'",
    [now, enrollmentId],
  );
  return result.affectedRows;
}
