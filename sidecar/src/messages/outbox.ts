import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import pMap from 'p-map';
import { derivedTable, insertOnce } from '../db/batch-sql.ts';
import { GroupCommit } from '../db/group-commit.ts';
import { ChannelError, type EmailChannel, type EmailMessage } from '../channels/channel.ts';
import { jsonColumn } from '../db/json-column.ts';
import { keepLease, type Lease } from '../scheduler/lease-keeper.ts';

/**
 * A message to send: the email as a channel will send it, plus where it belongs. From and
 * Reply-To are stored among the headers: the row is the whole message.
 */
export type OutboxMessage = Omit<EmailMessage, 'headers'> & {
  shopId: number;
  enrollmentId?: number | null;
  step?: number | null;
  /** Channel kind (email when absent). SMS and WhatsApp use `to` (E.164) and `text`; subject and html stay empty. */
  channel?: 'email' | 'sms' | 'whatsapp';
  /** What the channel needs besides the text: for WhatsApp, the approved template to use outside the 24-hour window. */
  payload?: Record<string, unknown> | null;
  /** Lower-cased email, else E.164 phone: the frequency cap counts a customer's messages by it. */
  customerKey?: string | null;
  headers?: Record<string, string>;
  /** Not before; now when absent. */
  sendAt?: Date;
  /** The random reference this message's signed links carry (see links/link-token.ts). */
  linkRef?: string;
};

export type OutboxStatus = 'pending' | 'sending' | 'retry' | 'sent' | 'failed' | 'cancelled';

export type OutboxChannelKind = NonNullable<OutboxMessage['channel']>;

/** A claimed row as a sender gets it: the stored message plus where it belongs. */
export type OutboxRow = {
  id: number;
  shopId: number;
  enrollmentId: number | null;
  step: number | null;
  channel: OutboxChannelKind;
  /** Claims so far, this one included. */
  attempts: number;
  /** For SMS and WhatsApp `to` is the E.164 number and `text` the rendered text. */
  message: EmailMessage;
  payload: Record<string, unknown> | null;
};

/**
 * What a send did: accepted by the provider (optionally replacing the row's payload, e.g. with how
 * a WhatsApp message went out), or not attempted now and back to 'pending' until `postponeUntil`
 * (a per-recipient rate): that claim does not count as an attempt.
 */
export type SendOutcome = { providerMessageId: string; payload?: Record<string, unknown> } | { postponeUntil: Date; reason: string };

/** Sends one claimed row; throws ChannelError (permanent or retryable) when it did not go. */
export type RowSender = (row: OutboxRow) => Promise<SendOutcome>;

/** A sender per channel kind; rows of a kind without one are left for a dispatcher that has it. */
export type OutboxSenders = Partial<Record<OutboxChannelKind, RowSender>>;

/** A retryable failure the provider says must wait at least `waitMs` (WhatsApp's pair rate). */
export class RetryLaterError extends ChannelError {
  constructor(
    message: string,
    code: string,
    readonly waitMs: number,
    cause?: unknown,
  ) {
    super(message, false, code, { cause });
  }
}

export type DispatchOptions = {
  now?: Date;
  limit?: number;
  /** How long a claimed row stays 'sending' unrenewed before another dispatcher may take it (renewed every third of it while its batch is sent). */
  leaseMs?: number;
  /** Attempts (claims) before a retryable error ends the row as 'failed'. */
  maxAttempts?: number;
  /** Delay before attempt `attempts + 1`, given the attempts made so far. */
  backoff?: (attempts: number) => number;
  /** Sends in flight at once (keep near the channel's connection count). */
  concurrency?: number;
  /**
   * Told about each row this dispatcher ended as 'failed' (permanent error or attempts used up),
   * after the row was written; `reason` is its last_error. Must not throw.
   */
  onFailed?: (row: OutboxRow, reason: string, error: ChannelError) => Promise<void>;
};

export type DispatchResult = { claimed: number; sent: number; retried: number; failed: number };

type Enqueued = { id: number; created: boolean };

function outboxRow(message: OutboxMessage): unknown[] {
  const headers = { ...message.headers, From: message.from, ...(message.replyTo ? { 'Reply-To': message.replyTo } : {}) };
  return [
    message.idempotencyKey,
    message.shopId,
    message.enrollmentId ?? null,
    message.step ?? null,
    message.channel ?? 'email',
    message.to,
    message.subject,
    message.html,
    message.text,
    JSON.stringify(headers),
    'pending',
    message.sendAt ?? new Date(),
    message.linkRef ?? null,
    message.payload ? JSON.stringify(message.payload) : null,
    message.customerKey ?? null,
  ];
}

const OUTBOX_COLUMNS = ['idempotency_key', 'shop_id', 'enrollment_id', 'step', 'channel', 'recipient', 'subject', 'body_html', 'body_text', 'headers', 'status', 'next_attempt_at', 'link_ref', 'payload', 'customer_key'];

/** Inserts messages unless their idempotency key is already there: one INSERT for the batch. */
function insertMessages(pool: Pool, messages: OutboxMessage[]): Promise<Enqueued[]> {
  return insertOnce(pool, 'outbox', 'idempotency_key', OUTBOX_COLUMNS, messages.map((m) => ({ key: m.idempotencyKey, values: outboxRow(m) })));
}

/** Inserts the message unless its idempotency key is already there; `created` says which. */
export async function enqueueMessage(pool: Pool, message: OutboxMessage): Promise<Enqueued> {
  return (await insertMessages(pool, [message]))[0]!;
}

/**
 * The outbox for a busy producer (a run of reminder steps): messages queued together are one
 * INSERT and one log flush (db/group-commit.ts); each caller resumes after its row committed.
 */
export function createOutboxWriter(pool: Pool): { enqueue(message: OutboxMessage): Promise<Enqueued> } {
  const commits = new GroupCommit<OutboxMessage, Enqueued>(async (batch) => {
    const results = await insertMessages(pool, batch.map((e) => e.item));
    batch.forEach((entry, i) => entry.resolve(results[i]!));
  }, 200);
  return { enqueue: (message) => commits.submit(message) };
}

/** 1 min, 2, 4, … capped at 6 h. */
export function defaultBackoff(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60_000);
}

/**
 * Due rows of one status, oldest first: one ordered range scan of outbox_status
 * (status, next_attempt_at) that stops at LIMIT. An IN list over statuses would make the
 * server read (and lock) every due row to sort them. For 'sending' rows next_attempt_at holds
 * the lease deadline, so the same query finds rows whose dispatcher died mid-send.
 */
export const DUE_SQL = `SELECT id, idempotency_key, shop_id, enrollment_id, step, channel, recipient, subject, body_html, body_text, headers, payload, attempts
  FROM outbox FORCE INDEX (outbox_status)
  WHERE status = ? AND next_attempt_at <= ? AND channel IN (?)
  ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED`;

/** Expired leases first (oldest work), then retries, then new messages. */
const CLAIM_ORDER = ['sending', 'retry', 'pending'] as const;

/**
 * Claims due rows in a short transaction (lease: status 'sending', attempts + 1), then sends
 * each outside it and records the outcome: 'sent', 'retry' with backoff, or 'failed' with the
 * reason (permanent error, or attempts used up). Safe to run concurrently: SKIP LOCKED gives
 * each row to one dispatcher. Given one email channel it sends email rows only; given senders,
 * the rows of every kind that has one (one claim, oldest first across kinds). A postponed row
 * (SendOutcome.postponeUntil) is counted with the retried ones.
 */
export async function dispatchDue(pool: Pool, channel: EmailChannel | OutboxSenders, options: DispatchOptions = {}): Promise<DispatchResult> {
  const senders: OutboxSenders = isEmailChannel(channel) ? { email: emailSender(channel) } : channel;
  const kinds = (Object.keys(senders) as OutboxChannelKind[]).filter((k) => senders[k]);
  if (kinds.length === 0) return { claimed: 0, sent: 0, retried: 0, failed: 0 };
  const now = options.now ?? new Date();
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = options.backoff ?? defaultBackoff;
  const claimed = await claimDue(pool, now, options.limit ?? 50, leaseMs, kinds);
  const result: DispatchResult = { claimed: claimed.length, sent: 0, retried: 0, failed: 0 };
  if (claimed.length === 0) return result;
  // The lease (next_attempt_at of a 'sending' row) is renewed while the batch is sent; rows whose
  // outcome was written are no longer 'sending' and are left alone.
  const ids = claimed.map((row) => row.id);
  const lease = keepLease({
    leaseMs,
    stamp: new Date(now.getTime() + leaseMs),
    renew: (next, ours) => pool.query(`UPDATE outbox SET next_attempt_at = ? WHERE id IN (?) AND status = 'sending' AND next_attempt_at IN (?)`, [next, ids, ours]),
  });
  try {
    await sendClaimed(pool, senders, claimed, result, { ...options, now, leaseMs, maxAttempts, backoff, lease });
  } finally {
    await lease.stop();
  }
  return result;
}

async function sendClaimed(
  pool: Pool,
  senders: OutboxSenders,
  claimed: OutboxRow[],
  result: DispatchResult,
  options: DispatchOptions & { now: Date; leaseMs: number; maxAttempts: number; backoff: (attempts: number) => number; lease: Lease },
): Promise<void> {
  const { now, leaseMs, maxAttempts, backoff, lease } = options;
  // Sends finishing together are recorded in one statement, each right after its send (a crash
  // between the two is what could send twice, so the gap stays a tick, never a whole batch).
  // Fenced on status only: a delivered message is a fact even if our lease had run out.
  const markSent = new GroupCommit<{ id: number; providerMessageId: string; sentAt: Date; payload: string | null }, void>(async (batch) => {
    const sent = derivedTable(
      ['id', 'provider_message_id', 'sent_at', 'payload'],
      batch.map(({ item }) => [item.id, item.providerMessageId, item.sentAt, item.payload]),
    );
    await pool.query(
      `UPDATE outbox o JOIN (${sent.sql}) v ON o.id = v.id
       SET o.status = 'sent', o.sent_at = v.sent_at, o.provider_message_id = v.provider_message_id, o.last_error = NULL, o.next_attempt_at = NULL,
           o.payload = COALESCE(v.payload, o.payload)
       WHERE o.status = 'sending'`,
      sent.params,
    );
    for (const entry of batch) entry.resolve();
  });
  // Sends overlap up to the channel's connection pool; each row's outcome is written on its own.
  await pMap(claimed, async (row) => {
    // The lease could not be renewed for most of its length (database unreachable): leave the rest
    // to be re-claimed rather than risk sending twice.
    if (lease.age() > leaseMs * 0.8) return;
    let error: ChannelError;
    try {
      const outcome = await senders[row.channel]!(row);
      if ('postponeUntil' in outcome) {
        // Not tried: the claim gives its attempt back. Fenced like a failure.
        await pool.query(
          `UPDATE outbox SET status = 'pending', attempts = attempts - 1, last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'sending' AND attempts = ?`,
          [outcome.reason.slice(0, 2000), outcome.postponeUntil, row.id, row.attempts],
        );
        result.retried++;
        return;
      }
      await markSent.submit({ id: row.id, providerMessageId: outcome.providerMessageId, sentAt: new Date(), payload: outcome.payload ? JSON.stringify(outcome.payload) : null });
      result.sent++;
      return;
    } catch (caught) {
      error = caught instanceof ChannelError ? caught : ChannelError.retryable(String((caught as Error)?.message ?? caught), 'unknown', caught);
    }
    const reason = `${error.permanent ? 'permanent' : 'retryable'}${error.code ? ` ${error.code}` : ''}: ${error.message}`.slice(0, 2000);
    const giveUp = error.permanent || row.attempts >= maxAttempts;
    // Fenced on attempts: if our lease expired and another dispatcher re-claimed the row, its outcome wins.
    if (giveUp) {
      const lastError = error.permanent ? reason : `gave up after ${row.attempts} attempts; ${reason}`;
      const [written] = await pool.query<ResultSetHeader>(
        `UPDATE outbox SET status = 'failed', last_error = ?, next_attempt_at = NULL WHERE id = ? AND status = 'sending' AND attempts = ?`,
        [lastError, row.id, row.attempts],
      );
      result.failed++;
      if (written.affectedRows > 0) await options.onFailed?.(row, lastError, error);
    } else {
      const wait = Math.max(backoff(row.attempts), error instanceof RetryLaterError ? error.waitMs : 0);
      await pool.query(
        `UPDATE outbox SET status = 'retry', last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'sending' AND attempts = ?`,
        [reason, new Date(now.getTime() + wait), row.id, row.attempts],
      );
      result.retried++;
    }
  }, { concurrency: options.concurrency ?? 20 });
}

function isEmailChannel(value: EmailChannel | OutboxSenders): value is EmailChannel {
  return typeof (value as EmailChannel).send === 'function' && typeof (value as EmailChannel).id === 'string';
}

/** An email channel as a row sender: the row's message as stored. */
export function emailSender(channel: EmailChannel): RowSender {
  return (row) => channel.send(row.message);
}

async function claimDue(pool: Pool, now: Date, limit: number, leaseMs: number, kinds: OutboxChannelKind[]): Promise<OutboxRow[]> {
  const conn: PoolConnection = await pool.getConnection();
  try {
    // READ COMMITTED: rows the scan reads but does not take stay unlocked for other dispatchers.
    await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await conn.beginTransaction();
    const rows: RowDataPacket[] = [];
    for (const status of CLAIM_ORDER) {
      if (rows.length >= limit) break;
      const [found] = await conn.query<RowDataPacket[]>(DUE_SQL, [status, now, kinds, limit - rows.length]);
      rows.push(...found);
    }
    if (rows.length === 0) {
      await conn.commit();
      return [];
    }
    const ids = rows.map((r) => Number(r.id));
    await conn.query(`UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = ? WHERE id IN (?)`, [
      new Date(now.getTime() + leaseMs),
      ids,
    ]);
    await conn.commit();
    return rows.map((r) => ({
      id: Number(r.id),
      shopId: Number(r.shop_id),
      enrollmentId: r.enrollment_id === null ? null : Number(r.enrollment_id),
      step: r.step === null ? null : Number(r.step),
      channel: String(r.channel) as OutboxChannelKind,
      attempts: Number(r.attempts) + 1,
      message: toMessage(r),
      payload: jsonColumn<Record<string, unknown>>(r.payload),
    }));
  } catch (error) {
    await conn.rollback().catch(() => undefined);
    throw error;
  } finally {
    conn.release();
  }
}

function toMessage(row: RowDataPacket): EmailMessage {
  const stored = jsonColumn<Record<string, string>>(row.headers) ?? {};
  const { From: from = '', 'Reply-To': replyTo, ...headers } = stored;
  return {
    to: String(row.recipient),
    from,
    ...(replyTo ? { replyTo } : {}),
    subject: String(row.subject ?? ''),
    html: String(row.body_html ?? ''),
    text: String(row.body_text ?? ''),
    headers,
    idempotencyKey: String(row.idempotency_key),
  };
}

/** Cancels what an enrollment still has waiting (pending or retry); returns how many. */
export async function cancelPending(pool: Pool | PoolConnection, enrollmentId: number): Promise<number> {
  const [result] = await pool.query<ResultSetHeader>(
    `UPDATE outbox SET status = 'cancelled', next_attempt_at = NULL WHERE enrollment_id = ? AND status IN ('pending', 'retry')`,
    [enrollmentId],
  );
  return result.affectedRows;
}
