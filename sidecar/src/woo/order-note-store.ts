import { execute, selectRows, type Queryable, type Row } from '../db/queryable.ts';

/**
 * What the order notes tell (woo/order-notes.ts), read from rows that exist anyway: messages sent
 * (`outbox`), clicks (`clicks`) and recovered orders (`attributions`), each with a `noted` flag
 * set once its note is on the order (or once it is known to need none).
 */

export type NoteKind = 'sent' | 'clicked' | 'recovered';

/** One note to add: which row it comes from, the order it goes on, what it says. */
export type PendingNote = {
  kind: NoteKind;
  rowId: number;
  shopId: number;
  orderId: number;
  step: number | null;
  channel: string | null;
  flowName: string;
};

// The flow as the merchant named it in the version the enrollment runs (its key when unnamed).
const FLOW_NAME = `COALESCE(JSON_UNQUOTE(JSON_EXTRACT(fv.definition, '$.name')), e.flow) AS flow_name`;
const FLOW_VERSION = 'LEFT JOIN flow_versions fv ON fv.shop_id = e.shop_id AND fv.flow_key = e.flow AND fv.version = e.flow_version';
// Only orders (not carts, not customers) of shops with a REST key get notes.
const NOTED_SUBJECT = "e.subject_type = 'order' AND s.consumer_key IS NOT NULL";

/** Rows that will never need a note (no order subject, no REST key, no reminder credited) are flagged done without a call. */
export async function clearUnneededNotes(db: Queryable): Promise<void> {
  await execute(
    db,
    `UPDATE outbox o JOIN shops s ON s.id = o.shop_id LEFT JOIN enrollments e ON e.id = o.enrollment_id SET o.noted = TRUE
     WHERE o.noted = FALSE AND o.status = 'sent' AND (e.id IS NULL OR NOT (${NOTED_SUBJECT}))`,
  );
  await execute(
    db,
    `UPDATE clicks c JOIN outbox o ON o.id = c.outbox_id JOIN shops s ON s.id = o.shop_id LEFT JOIN enrollments e ON e.id = o.enrollment_id
     SET c.noted = TRUE WHERE c.noted = FALSE AND (c.kind <> 'pay' OR e.id IS NULL OR NOT (${NOTED_SUBJECT}))`,
  );
  await execute(
    db,
    `UPDATE attributions a JOIN shops s ON s.id = a.shop_id LEFT JOIN enrollments e ON e.id = a.enrollment_id SET a.noted = TRUE
     WHERE a.noted = FALSE AND (a.outbox_id IS NULL OR e.id IS NULL OR NOT (${NOTED_SUBJECT}))`,
  );
}

/** The one reading of a pending note's row: each query names its order `order_id`. */
function pendingNoteOf(kind: NoteKind) {
  return (r: Row): PendingNote => ({
    kind,
    rowId: r.num('id'),
    shopId: r.num('shop_id'),
    orderId: Number(r.str('order_id')),
    step: r.numOrNull('step'),
    channel: r.strOrNull('channel'),
    flowName: r.str('flow_name'),
  });
}

/** Up to `limit` reminders sent whose orders have not been told, oldest first. */
export async function pendingSendNotes(db: Queryable, limit: number): Promise<PendingNote[]> {
  return selectRows(
    db,
    `SELECT o.id, o.shop_id, e.subject_id AS order_id, o.step, o.channel, ${FLOW_NAME}
     FROM outbox o FORCE INDEX (outbox_noted) JOIN enrollments e ON e.id = o.enrollment_id JOIN shops s ON s.id = o.shop_id ${FLOW_VERSION}
     WHERE o.noted = FALSE AND o.status = 'sent' AND ${NOTED_SUBJECT} AND s.state = 'active' ORDER BY o.id LIMIT ?`,
    [limit],
    pendingNoteOf('sent'),
  );
}

/**
 * Up to `limit` clicks not looked at yet, of messages whose send is already on the order (the
 * story keeps its order); `first` says whether it is the message's first click (the one noted).
 */
export async function pendingClickNotes(db: Queryable, limit: number): Promise<Array<PendingNote & { first: boolean }>> {
  return selectRows(
    db,
    `SELECT c.id, o.shop_id, e.subject_id AS order_id, o.step, o.channel, ${FLOW_NAME},
       NOT EXISTS (SELECT 1 FROM clicks p WHERE p.outbox_id = c.outbox_id AND (p.clicked_at < c.clicked_at OR (p.clicked_at = c.clicked_at AND p.id < c.id))) AS first
     FROM clicks c FORCE INDEX (clicks_noted) JOIN outbox o ON o.id = c.outbox_id JOIN enrollments e ON e.id = o.enrollment_id
       JOIN shops s ON s.id = o.shop_id ${FLOW_VERSION}
     WHERE c.noted = FALSE AND o.noted = TRUE AND ${NOTED_SUBJECT} AND s.state = 'active' ORDER BY c.id LIMIT ?`,
    [limit],
    (r) => ({ ...pendingNoteOf('clicked')(r), first: r.num('first') === 1 }),
  );
}

/** Up to `limit` recovered orders not told yet, whose credited reminder's send is already on the order. */
export async function pendingRecoveryNotes(db: Queryable, limit: number): Promise<PendingNote[]> {
  return selectRows(
    db,
    `SELECT a.id, a.shop_id, a.order_id, a.step, a.channel, ${FLOW_NAME}
     FROM attributions a FORCE INDEX (attributions_noted) JOIN enrollments e ON e.id = a.enrollment_id JOIN shops s ON s.id = a.shop_id
       JOIN outbox o ON o.id = a.outbox_id ${FLOW_VERSION}
     WHERE a.noted = FALSE AND o.noted = TRUE AND ${NOTED_SUBJECT} AND s.state = 'active' ORDER BY a.id LIMIT ?`,
    [limit],
    pendingNoteOf('recovered'),
  );
}

const TABLE: Record<NoteKind, string> = { sent: 'outbox', clicked: 'clicks', recovered: 'attributions' };

/** Flags rows whose notes are on their orders (or that need none). */
export async function markNoted(db: Queryable, kind: NoteKind, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await execute(db, `UPDATE ${TABLE[kind]} SET noted = TRUE WHERE id IN (?)`, [ids]);
}
