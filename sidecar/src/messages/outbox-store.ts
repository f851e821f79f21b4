import type { MessageChannel } from './message-channel.ts';
import type { MessageLanguage } from './message-templates.ts';
import { insertOnce } from '../db/batch-sql.ts';
import { execute, selectOne, selectRows, type Queryable, type Row } from '../db/queryable.ts';

/**
 * The outbox queue's queries: queueing messages, cancelling what waits, and reading messages back
 * for the admin API and the dev outbox pages. Claiming and sending rows is the channels room's
 * (channels/channel-store.ts), which reads the rows as written here: From and Reply-To among the
 * headers, so that the row is the whole message.
 */

/**
 * The message as its outbox row holds it. Email uses every field; SMS and WhatsApp use `to` (the
 * number as queued) and `text`, and leave subject and html empty.
 */
export type StoredMessage = {
  to: string;
  from: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  /** Extra email headers (List-Unsubscribe, …); From and Reply-To are the fields above. */
  headers: Record<string, string>;
  /** Stable per message; a resend after a crash carries the same key (and so the same Message-ID). */
  idempotencyKey: string;
};

/**
 * A message to queue, whatever its channel. Email uses every field; SMS and WhatsApp use `to`
 * (E.164) and `text` and leave subject and html empty.
 */
export type OutboxMessage = Omit<StoredMessage, 'headers'> & {
  shopId: number;
  enrollmentId?: number | null;
  step?: number | null;
  /** Email when absent. */
  channel?: MessageChannel;
  /** Extra email headers (List-Unsubscribe, …). */
  headers?: Record<string, string>;
  /** What the channel needs besides the text: for WhatsApp, the approved template to use outside the 24-hour window. */
  payload?: Record<string, unknown> | null;
  /** Lower-cased email, else E.164 phone: the frequency cap counts a customer's messages by it. */
  customerKey?: string | null;
  /** Not before; now when absent. */
  sendAt?: Date;
  /** The random reference this message's signed links carry (see links/link-token.ts). */
  linkRef?: string;
  /** The customer's language for this message (a WordPress locale) and what chose it; absent: not chosen. */
  language?: MessageLanguage | null;
  /** The translation the text was written from (its locale); null or absent: the step's default text. */
  textLanguage?: string | null;
};

export type OutboxStatus = 'pending' | 'sending' | 'retry' | 'sent' | 'failed' | 'cancelled';

const OUTBOX_COLUMNS = [
  'idempotency_key',
  'shop_id',
  'enrollment_id',
  'step',
  'channel',
  'recipient',
  'subject',
  'body_html',
  'body_text',
  'headers',
  'status',
  'next_attempt_at',
  'link_ref',
  'payload',
  'customer_key',
  'language',
  'language_source',
  'text_language',
];

function outboxValues(message: OutboxMessage): unknown[] {
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
    message.language?.locale ?? null,
    message.language?.source ?? null,
    message.textLanguage ?? null,
  ];
}

/** Inserts messages unless their idempotency key is already there: one INSERT for the batch. */
export function insertMessages(db: Queryable, messages: OutboxMessage[]): Promise<Array<{ id: number; created: boolean }>> {
  return insertOnce(
    db,
    'outbox',
    'idempotency_key',
    OUTBOX_COLUMNS,
    messages.map((m) => ({ key: m.idempotencyKey, values: outboxValues(m) })),
  );
}

/** A test send's idempotency key starts so: a message the merchant sent themselves, not a customer's. */
export const TEST_KEY_PREFIX = 'test:';

/** Whether the shop's merchant has had a test message actually sent to them. */
export async function hasSentTest(db: Queryable, shopId: number): Promise<boolean> {
  const found = await selectOne(
    db,
    `SELECT 1 AS found FROM outbox WHERE shop_id = ? AND status = 'sent' AND idempotency_key LIKE CONCAT(?, '%') LIMIT 1`,
    [shopId, TEST_KEY_PREFIX],
    (r) => r.num('found'),
  );
  return found !== null;
}

/** Cancels what an enrollment still has waiting (pending or retry); returns how many. */
export async function cancelPending(db: Queryable, enrollmentId: number): Promise<number> {
  const result = await execute(
    db,
    `UPDATE outbox SET status = 'cancelled', next_attempt_at = NULL WHERE enrollment_id = ? AND status IN ('pending', 'retry')`,
    [enrollmentId],
  );
  return result.affectedRows;
}

/**
 * Cancels up to `limit` of the shop's messages still waiting (pending, retry), with the reason the
 * queue shows; answers how many. A message being sent right now finishes.
 */
export async function cancelShopMessages(db: Queryable, shopId: number, reason: string, limit: number): Promise<number> {
  const result = await execute(
    db,
    `UPDATE outbox SET status = 'cancelled', next_attempt_at = NULL, last_error = ? WHERE shop_id = ? AND status IN ('pending', 'retry') LIMIT ?`,
    [reason, shopId, limit],
  );
  return result.affectedRows;
}

/** One message as lists show it. */
export type OutboxEntry = {
  id: number;
  enrollmentId: number | null;
  step: number | null;
  channel: string;
  to: string;
  subject: string | null;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  /**
   * What the provider last reported about the sent message (SMS and WhatsApp: sent, delivered,
   * read, undelivered, failed…; see channels/channel-store.ts recordDeliveryStatus), its error
   * text and when; null until a provider reports.
   */
  deliveryStatus: string | null;
  deliveryError: string | null;
  deliveryAt: Date | null;
};

/** One message as the customer got it. */
export type OutboxDetail = OutboxEntry & {
  headers: Record<string, unknown>;
  html: string | null;
  text: string | null;
  providerMessageId: string | null;
  /**
   * The customer's language for it (a WordPress locale), what chose it (order, user, profile, cart,
   * shop, test), the translation its text was written from (null: the default text), and for
   * WhatsApp the language that had no approved template of its own (the default one went); null
   * where none was chosen.
   */
  language: { locale: string; source: string | null; text: string | null; templateFallback: string | null } | null;
};

const ENTRY_COLUMNS =
  'id, enrollment_id, step, channel, recipient, subject, status, attempts, last_error, created_at, sent_at, delivery_status, delivery_error, delivery_at';

const entry = (r: Row): OutboxEntry => ({
  id: r.num('id'),
  enrollmentId: r.numOrNull('enrollment_id'),
  step: r.numOrNull('step'),
  channel: r.str('channel'),
  to: r.str('recipient'),
  subject: r.strOrNull('subject'),
  status: r.str('status'),
  attempts: r.num('attempts'),
  lastError: r.strOrNull('last_error'),
  createdAt: r.date('created_at'),
  sentAt: r.dateOrNull('sent_at'),
  deliveryStatus: r.strOrNull('delivery_status'),
  deliveryError: r.strOrNull('delivery_error'),
  deliveryAt: r.dateOrNull('delivery_at'),
});

const detail = (r: Row): OutboxDetail => ({
  ...entry(r),
  headers: r.json<Record<string, unknown>>('headers') ?? {},
  html: r.strOrNull('body_html'),
  text: r.strOrNull('body_text'),
  providerMessageId: r.strOrNull('provider_message_id'),
  language: languageOf(r),
});

function languageOf(r: Row): OutboxDetail['language'] {
  const locale = r.strOrNull('language');
  if (locale === null) return null;
  const payload = r.json<{ templateFallback?: boolean; languageAsked?: string }>('payload');
  return {
    locale,
    source: r.strOrNull('language_source'),
    text: r.strOrNull('text_language'),
    templateFallback: payload?.templateFallback ? (payload.languageAsked ?? locale) : null,
  };
}

/** A shop's messages, newest first, of one status or all, a page at a time; with how many there are. */
export async function shopMessages(
  db: Queryable,
  shopId: number,
  page: { status?: OutboxStatus; limit: number; offset: number },
): Promise<{ items: OutboxEntry[]; total: number }> {
  const where = page.status ? 'shop_id = ? AND status = ?' : 'shop_id = ?';
  const params = page.status ? [shopId, page.status] : [shopId];
  const total = await selectOne(db, `SELECT COUNT(*) AS n FROM outbox WHERE ${where}`, params, (r) => r.num('n'));
  const items = await selectRows(
    db,
    `SELECT ${ENTRY_COLUMNS} FROM outbox WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
    [...params, page.limit, page.offset],
    entry,
  );
  return { items, total: total ?? 0 };
}

/** One of a shop's messages by id (decimal digits, kept as text: ids can exceed a double's exact range). */
export function shopMessage(db: Queryable, shopId: number, id: string): Promise<OutboxDetail | null> {
  return selectOne(db, 'SELECT * FROM outbox WHERE id = ? AND shop_id = ?', [id, shopId], detail);
}

/** The latest messages of every shop, newest first (the dev outbox). */
export function latestMessages(db: Queryable, limit: number): Promise<OutboxEntry[]> {
  return selectRows(db, `SELECT ${ENTRY_COLUMNS} FROM outbox ORDER BY id DESC LIMIT ?`, [limit], entry);
}

/** Any shop's message by id (the dev outbox). */
export function messageById(db: Queryable, id: string): Promise<OutboxDetail | null> {
  return selectOne(db, 'SELECT * FROM outbox WHERE id = ?', [id], detail);
}

/** The statuses of messages still to go out: queued, waiting for a retry, claimed by a sender. */
export const BACKLOG_STATUSES = ['pending', 'retry', 'sending'] as const;

/**
 * Messages still to go out, by status, counted over at most `cap` rows (the outbox_status index
 * range, never the table): a scrape costs the same on a backlog of a million.
 */
export async function outboxBacklog(db: Queryable, cap: number): Promise<Record<(typeof BACKLOG_STATUSES)[number], number>> {
  const counts = { pending: 0, retry: 0, sending: 0 };
  const rows = await selectRows(
    db,
    `SELECT status, COUNT(*) AS n FROM (SELECT status FROM outbox FORCE INDEX (outbox_status) WHERE status IN (?) LIMIT ?) capped GROUP BY status`,
    [BACKLOG_STATUSES, cap],
    (r) => ({ status: r.str('status'), n: r.num('n') }),
  );
  for (const { status, n } of rows) if (status in counts) counts[status as keyof typeof counts] = n;
  return counts;
}
