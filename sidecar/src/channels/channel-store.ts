import type { Pool } from 'mysql2/promise';
import { derivedTable } from '../db/batch-sql.ts';
import { execute, selectOne, selectRows, type Queryable, type Row } from '../db/queryable.ts';
import type { StoredMessage } from '../messages/outbox-store.ts';
import type { OutboxRow } from './provider.ts';
import type { MessageChannel } from '../messages/message-channel.ts';
import { inTransaction } from '../db/transaction.ts';
import { heldShopIds } from '../woo/shop-state-store.ts';

/**
 * Every query of the channels room: claiming outbox rows and recording how their sends went (the
 * dispatcher's lease), the delivery statuses providers report, and the conversations with
 * customers' numbers. messages/outbox-store.ts writes the rows the dispatcher claims.
 */

// ─── The dispatcher's lease on outbox rows ─────────────────────────────────────────────────────

/**
 * Due rows of one status, oldest first: one ordered range scan of outbox_status
 * (status, next_attempt_at) that stops at LIMIT. An IN list over statuses would make the
 * server read (and lock) every due row to sort them. For 'sending' rows next_attempt_at holds
 * the lease deadline, so the same query finds rows whose dispatcher died mid-send.
 */
export const dueSql = (
  withHeldShops: boolean,
) => `SELECT id, idempotency_key, shop_id, enrollment_id, step, channel, recipient, subject, body_html, body_text, headers, payload, attempts, handed_at
  FROM outbox FORCE INDEX (outbox_status)
  WHERE status = ? AND next_attempt_at <= ? AND channel IN (?)${withHeldShops ? ' AND shop_id NOT IN (?)' : ''}
  ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED`;

/** Expired leases first (oldest work), then retries, then new messages. */
const CLAIM_ORDER = ['sending', 'retry', 'pending'] as const;

/**
 * Claims due rows of these channels in a short transaction: status 'sending' until the lease
 * ends, attempts + 1. SKIP LOCKED gives each row to one dispatcher.
 */
export async function claimDueRows(
  pool: Pool,
  claim: { now: Date; limit: number; leaseMs: number; channels: MessageChannel[] },
): Promise<OutboxRow[]> {
  return inTransaction(
    pool,
    async (conn) => {
      // READ COMMITTED: rows the scan reads but does not take stay unlocked for other dispatchers.
      // A paused or disconnected shop's messages wait (held, not lost), filtered on the same range scan.
      const held = await heldShopIds(conn);
      const sql = dueSql(held.length > 0);
      const rows: OutboxRow[] = [];
      for (const status of CLAIM_ORDER) {
        if (rows.length >= claim.limit) break;
        const params = [status, claim.now, claim.channels, ...(held.length ? [held] : []), claim.limit - rows.length];
        rows.push(...(await selectRows(conn, sql, params, claimedRow)));
      }
      if (rows.length > 0) {
        await execute(conn, `UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = ? WHERE id IN (?)`, [
          new Date(claim.now.getTime() + claim.leaseMs),
          rows.map((r) => r.id),
        ]);
      }
      return rows;
    },
    { readCommitted: true },
  );
}

/** A due row as claimed: `attempts` counts this claim. From and Reply-To are stored among the headers. */
function claimedRow(r: Row): OutboxRow {
  const { From: from = '', 'Reply-To': replyTo, ...headers } = r.json<Record<string, string>>('headers') ?? {};
  const message: StoredMessage = {
    to: r.str('recipient'),
    from,
    ...(replyTo ? { replyTo } : {}),
    subject: r.str('subject'),
    html: r.str('body_html'),
    text: r.str('body_text'),
    headers,
    idempotencyKey: r.str('idempotency_key'),
  };
  return {
    id: r.num('id'),
    shopId: r.num('shop_id'),
    enrollmentId: r.numOrNull('enrollment_id'),
    step: r.numOrNull('step'),
    channel: r.str('channel') as MessageChannel,
    attempts: r.num('attempts') + 1,
    message,
    payload: r.json<Record<string, unknown>>('payload'),
    handedAt: r.dateOrNull('handed_at'),
  };
}

export type SentRow = { id: number; providerMessageId: string; sentAt: Date; payload: Record<string, unknown> | undefined };

/**
 * Records sends in one statement. Fenced on status only: a delivered message is a fact even if
 * the lease had run out.
 */
export async function markSent(db: Queryable, rows: SentRow[]): Promise<void> {
  const sent = derivedTable(
    ['id', 'provider_message_id', 'sent_at', 'payload'],
    rows.map((r) => [r.id, r.providerMessageId, r.sentAt, r.payload ? JSON.stringify(r.payload) : null]),
  );
  await execute(
    db,
    `UPDATE outbox o JOIN (${sent.sql}) v ON o.id = v.id
     SET o.status = 'sent', o.sent_at = v.sent_at, o.provider_message_id = v.provider_message_id, o.last_error = NULL, o.next_attempt_at = NULL,
         o.payload = COALESCE(v.payload, o.payload)
     WHERE o.status = 'sending'`,
    sent.params,
  );
}

/*
 * The outcomes below are fenced on attempts: if the lease ran out and another dispatcher claimed
 * the row again, that dispatcher's outcome wins.
 */

/** Not tried now: back to 'pending' until `until`, and the claim gives its attempt back. */
/**
 * Marks a claimed row as handed to a provider that cannot tell a repeat, before the send; answers
 * false when the row is no longer this claim's (then it is not sent).
 */
export async function markHanded(db: Queryable, row: Pick<OutboxRow, 'id' | 'attempts'>, at: Date): Promise<boolean> {
  const result = await execute(db, `UPDATE outbox SET handed_at = ? WHERE id = ? AND status = 'sending' AND attempts = ?`, [
    at,
    row.id,
    row.attempts,
  ]);
  return result.affectedRows === 1;
}

export async function markPostponed(db: Queryable, row: Pick<OutboxRow, 'id' | 'attempts'>, until: Date, reason: string): Promise<void> {
  await execute(
    db,
    `UPDATE outbox SET status = 'pending', attempts = attempts - 1, last_error = ?, next_attempt_at = ?, handed_at = NULL WHERE id = ? AND status = 'sending' AND attempts = ?`,
    [reason.slice(0, 2000), until, row.id, row.attempts],
  );
}

/** Tried and failed, to be tried again at `nextAttemptAt`. */
export async function markRetry(
  db: Queryable,
  row: Pick<OutboxRow, 'id' | 'attempts'>,
  lastError: string,
  nextAttemptAt: Date,
): Promise<void> {
  await execute(
    db,
    `UPDATE outbox SET status = 'retry', last_error = ?, next_attempt_at = ?, handed_at = NULL WHERE id = ? AND status = 'sending' AND attempts = ?`,
    [lastError, nextAttemptAt, row.id, row.attempts],
  );
}

/** Failed for good; answers whether this dispatcher's claim was still the row's (so it may act on it). */
export async function markFailed(db: Queryable, row: Pick<OutboxRow, 'id' | 'attempts'>, lastError: string): Promise<boolean> {
  const written = await execute(
    db,
    `UPDATE outbox SET status = 'failed', last_error = ?, next_attempt_at = NULL WHERE id = ? AND status = 'sending' AND attempts = ?`,
    [lastError, row.id, row.attempts],
  );
  return written.affectedRows > 0;
}

// ─── Delivery statuses the providers report ────────────────────────────────────────────────────

/**
 * Where a status stands in a message's life. Providers report out of order (a `sent` callback
 * can arrive after `delivered`), so the outbox row only ever moves forward; failed, undelivered
 * and bounced are final. Unknown statuses are kept in message_statuses but never move the row.
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
  bounced: 9,
};

const RANK_SQL = `CASE delivery_status ${Object.entries(RANK)
  .map(([status, rank]) => `WHEN '${status}' THEN ${rank}`)
  .join(' ')} ELSE 0 END`;

/** A status as a provider reported it (a webhook, a delivery status notification, the relay's refusal). */
export type DeliveryReport = {
  status: string;
  errorCode: string | null;
  /** Short text for the row (the provider's error title, the relay's reply), else the code. */
  error: string | null;
  at: Date;
};

export type DeliveryUpdate = DeliveryReport & {
  channel: 'sms' | 'whatsapp';
  providerMessageId: string;
};

/** The message a status is about. */
export type SentMessageRef = {
  outboxId: number;
  shopId: number;
  enrollmentId: number | null;
  step: number | null;
  recipient: string;
};

export type DeliveredRow = SentMessageRef & { firstTime: boolean };

const sentMessageRef = (r: Row): SentMessageRef => ({
  outboxId: r.num('id'),
  shopId: r.num('shop_id'),
  enrollmentId: r.numOrNull('enrollment_id'),
  step: r.numOrNull('step'),
  recipient: r.str('recipient'),
});

/** The message of ours a provider knows by `providerMessageId` on this channel: of one shop, or of any (null). */
export function sentMessageOf(
  db: Queryable,
  channel: MessageChannel,
  providerMessageId: string,
  shopId: number | null,
): Promise<SentMessageRef | null> {
  const ofShop = shopId === null ? '' : ' AND shop_id = ?';
  return selectOne(
    db,
    `SELECT id, shop_id, enrollment_id, step, recipient FROM outbox WHERE provider_message_id = ? AND channel = ?${ofShop} LIMIT 1`,
    shopId === null ? [providerMessageId, channel] : [providerMessageId, channel, shopId],
    sentMessageRef,
  );
}

/**
 * Records a provider's status for the message it sent as `providerMessageId`: see recordStatusOf.
 * Answers null when no message of ours has that id.
 */
export async function recordDeliveryStatus(db: Queryable, update: DeliveryUpdate): Promise<DeliveredRow | null> {
  const row = await sentMessageOf(db, update.channel, update.providerMessageId, null);
  return row ? recordStatusOf(db, row, update) : null;
}

/**
 * Records a status of a message: once per status in message_statuses, and on the outbox row
 * unless a later status is already there. Answers the row with `firstTime` false for a repeat.
 */
export async function recordStatusOf(db: Queryable, row: SentMessageRef, report: DeliveryReport): Promise<DeliveredRow> {
  const status = report.status.toLowerCase().slice(0, 16);
  const inserted = await execute(db, 'INSERT IGNORE INTO message_statuses (outbox_id, status, error_code, at) VALUES (?, ?, ?, ?)', [
    row.outboxId,
    status,
    report.errorCode?.slice(0, 32) ?? null,
    report.at,
  ]);
  const rank = RANK[status];
  if (rank !== undefined) {
    await execute(
      db,
      `UPDATE outbox SET delivery_status = ?, delivery_error = ?, delivery_at = ?
       WHERE id = ? AND (delivery_status IS NULL OR ${RANK_SQL} < ?)`,
      [status, report.error?.slice(0, 255) ?? null, report.at, row.outboxId, rank],
    );
  }
  return { ...row, firstTime: inserted.affectedRows > 0 };
}

// ─── Conversations with customers' numbers ─────────────────────────────────────────────────────

export type ConversationChannel = 'sms' | 'whatsapp';

/** A shop's conversation with a number, if there is one: when the customer last wrote (null if never). */
export function conversationOf(
  db: Queryable,
  shopId: number,
  channel: ConversationChannel,
  address: string,
): Promise<{ lastInboundAt: Date | null } | null> {
  return selectOne(
    db,
    'SELECT last_inbound_at FROM conversations WHERE shop_id = ? AND channel = ? AND address = ?',
    [shopId, channel, address],
    (r) => ({
      lastInboundAt: r.dateOrNull('last_inbound_at'),
    }),
  );
}

export async function insertConversation(db: Queryable, shopId: number, channel: ConversationChannel, address: string): Promise<void> {
  await execute(db, 'INSERT IGNORE INTO conversations (shop_id, channel, address) VALUES (?, ?, ?)', [shopId, channel, address]);
}

/** The shops in conversation with `address` on this channel, by id. */
export function shopsInConversation(db: Queryable, channel: ConversationChannel, address: string): Promise<number[]> {
  // From shops (a handful) into conversations' unique (shop_id, channel, address): one lookup per shop.
  return selectRows(
    db,
    'SELECT s.id FROM shops s JOIN conversations c ON c.shop_id = s.id AND c.channel = ? AND c.address = ? ORDER BY s.id',
    [channel, address],
    (r) => r.num('id'),
  );
}

/** The first `limit` shops by id. */
export function firstShops(db: Queryable, limit: number): Promise<number[]> {
  return selectRows(db, 'SELECT id FROM shops ORDER BY id LIMIT ?', [limit], (r) => r.num('id'));
}

/** Creates the conversation or moves its last inbound time forward to `at` (never back); answers its id. */
export async function touchConversation(
  db: Queryable,
  shopId: number,
  channel: ConversationChannel,
  address: string,
  at: Date,
): Promise<number> {
  const result = await execute(
    db,
    `INSERT INTO conversations (shop_id, channel, address, last_inbound_at) VALUES (?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id), last_inbound_at = GREATEST(COALESCE(last_inbound_at, VALUES(last_inbound_at)), VALUES(last_inbound_at))`,
    [shopId, channel, address, at],
  );
  return result.insertId;
}

/** Stores an inbound message unless its provider id is stored already; answers whether it was new. */
export async function insertInboundMessage(
  db: Queryable,
  conversationId: number,
  message: { providerMessageId: string; body: string | null; kind: string; at: Date },
): Promise<boolean> {
  const stored = await execute(
    db,
    'INSERT IGNORE INTO inbound_messages (conversation_id, provider_message_id, body, kind, received_at) VALUES (?, ?, ?, ?, ?)',
    [conversationId, message.providerMessageId.slice(0, 255), message.body, message.kind.slice(0, 16), message.at],
  );
  return stored.affectedRows > 0;
}

/**
 * Moves the lease (next_attempt_at of a 'sending' row) of claimed rows still carrying one of our
 * stamps to `next`; rows whose outcome was written are no longer 'sending' and are left alone.
 */
export async function renewOutboxLeases(db: Queryable, ids: number[], next: Date, ours: Date[]): Promise<void> {
  await execute(db, `UPDATE outbox SET next_attempt_at = ? WHERE id IN (?) AND status = 'sending' AND next_attempt_at IN (?)`, [
    next,
    ids,
    ours,
  ]);
}
