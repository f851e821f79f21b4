import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';

/**
 * Where a status stands in a message's life. Providers report out of order (a `sent` callback
 * can arrive after `delivered`), so the outbox row only ever moves forward; failed and
 * undelivered are final. Unknown statuses are kept in message_statuses but never move the row.
 */
const RANK: Record<string, number> = {
  accepted: 1,
  scheduled: 1,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  read: 5,
  undelivered: 9,
  failed: 9,
  canceled: 9,
};

const RANK_SQL = `CASE delivery_status ${Object.entries(RANK)
  .map(([status, rank]) => `WHEN '${status}' THEN ${rank}`)
  .join(' ')} ELSE 0 END`;

export type DeliveryUpdate = {
  channel: 'sms' | 'whatsapp';
  providerMessageId: string;
  status: string;
  errorCode: string | null;
  /** Short text for the row (the provider's error title), else the code. */
  error: string | null;
  at: Date;
};

export type DeliveredRow = { outboxId: number; shopId: number; enrollmentId: number | null; step: number | null; recipient: string; firstTime: boolean };

/**
 * Records a provider's status for the message it sent as `providerMessageId`: once per status in
 * message_statuses, and on the outbox row unless a later status is already there. Answers the
 * row (with `firstTime` false for a repeated status), or null when no message of ours has that id.
 */
export async function recordDeliveryStatus(pool: Pool, update: DeliveryUpdate): Promise<DeliveredRow | null> {
  const [rows] = await pool.query<RowDataPacket[]>(
    'SELECT id, shop_id, enrollment_id, step, recipient FROM outbox WHERE provider_message_id = ? AND channel = ? LIMIT 1',
    [update.providerMessageId, update.channel],
  );
  const row = rows[0];
  if (!row) return null;
  const status = update.status.toLowerCase().slice(0, 16);
  const [inserted] = await pool.query<ResultSetHeader>('INSERT IGNORE INTO message_statuses (outbox_id, status, error_code, at) VALUES (?, ?, ?, ?)', [
    row.id,
    status,
    update.errorCode?.slice(0, 32) ?? null,
    update.at,
  ]);
  const rank = RANK[status];
  if (rank !== undefined) {
    await pool.query(
      `UPDATE outbox SET delivery_status = ?, delivery_error = ?, delivery_at = ?
       WHERE id = ? AND (delivery_status IS NULL OR ${RANK_SQL} < ?)`,
      [status, update.error?.slice(0, 255) ?? null, update.at, row.id, rank],
    );
  }
  return {
    outboxId: Number(row.id),
    shopId: Number(row.shop_id),
    enrollmentId: row.enrollment_id === null ? null : Number(row.enrollment_id),
    step: row.step === null ? null : Number(row.step),
    recipient: String(row.recipient),
    firstTime: inserted.affectedRows > 0,
  };
}

/** A message that will not reach the customer on its channel: the flow may carry the step on another. */
export type UndeliverableRow = {
  outboxId: number;
  shopId: number;
  enrollmentId: number | null;
  step: number | null;
  channel: 'email' | 'sms' | 'whatsapp';
  reason: string;
};

export type OnUndeliverable = (row: UndeliverableRow) => Promise<void>;
