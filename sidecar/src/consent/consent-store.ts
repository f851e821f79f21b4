import { execute, selectOne, selectRows, type Queryable, type Row } from '../db/queryable.ts';
import type { Channel, ConsentStatus, CurrentConsent, Purpose } from './consent-rules.ts';

// Customers' consents: every change received (consent_log, append-only) and the current state per
// (shop, address, channel, purpose) it left (consents).

export type ConsentKey = { shopId: number; purpose: Purpose; channel: Channel; address: string };

/** A change as logged, with its proof. */
export type ConsentEntry = ConsentKey & {
  status: ConsentStatus;
  source: string;
  text: string | null;
  ipHash: string | null;
  userId: number | null;
  importBatch: string | null;
  outboxId: number | null;
  reason: string | null;
  claimedAt: Date | null;
  changedAt: Date;
};

const COLUMNS =
  'shop_id, purpose, channel, address, status, source, text, ip_hash, user_id, import_batch, outbox_id, reason, claimed_at, changed_at';

const values = (e: ConsentEntry) => [
  e.shopId,
  e.purpose,
  e.channel,
  e.address,
  e.status,
  e.source,
  e.text,
  e.ipHash,
  e.userId,
  e.importBatch,
  e.outboxId,
  e.reason,
  e.claimedAt,
  e.changedAt,
];

const entryOf = (r: Row): ConsentEntry => ({
  shopId: r.num('shop_id'),
  purpose: r.str('purpose') as Purpose,
  channel: r.str('channel') as Channel,
  address: r.str('address'),
  status: r.str('status') as ConsentStatus,
  source: r.str('source'),
  text: r.strOrNull('text'),
  ipHash: r.strOrNull('ip_hash'),
  userId: r.numOrNull('user_id'),
  importBatch: r.strOrNull('import_batch'),
  outboxId: r.numOrNull('outbox_id'),
  reason: r.strOrNull('reason'),
  claimedAt: r.dateOrNull('claimed_at'),
  changedAt: r.date('changed_at'),
});

/** The current consent of one key, locked until the transaction ends (changes to one key queue up). */
export async function lockCurrentConsent(db: Queryable, key: ConsentKey): Promise<CurrentConsent | undefined> {
  const found = await selectOne(
    db,
    'SELECT status, source, changed_at, reason FROM consents WHERE shop_id = ? AND address = ? AND channel = ? AND purpose = ? FOR UPDATE',
    [key.shopId, key.address, key.channel, key.purpose],
    (r) => ({
      status: r.str('status') as ConsentStatus,
      source: r.str('source'),
      changedAt: r.date('changed_at'),
      reason: r.strOrNull('reason'),
    }),
  );
  return found ?? undefined;
}

/** Appends a change to the log; `refusal` set when it was refused, `applied` false when it changed nothing. Answers its id. */
export async function appendConsentLog(db: Queryable, entry: ConsentEntry, applied: boolean, refusal: string | null): Promise<number> {
  const result = await execute(
    db,
    `INSERT INTO consent_log (${COLUMNS}, applied, refusal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [...values(entry), applied, refusal],
  );
  return result.insertId;
}

/** Makes a logged change the current consent of its key. */
export async function setCurrentConsent(db: Queryable, entry: ConsentEntry, logId: number): Promise<void> {
  await execute(
    db,
    `INSERT INTO consents (${COLUMNS}, log_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE status = VALUES(status), source = VALUES(source), text = VALUES(text), ip_hash = VALUES(ip_hash),
       user_id = VALUES(user_id), import_batch = VALUES(import_batch), outbox_id = VALUES(outbox_id), reason = VALUES(reason),
       claimed_at = VALUES(claimed_at), changed_at = VALUES(changed_at), log_id = VALUES(log_id)`,
    [...values(entry), logId],
  );
}

/** The status the key had just before `before` (the last applied change earlier than it): what a STOP took away. */
export async function statusBefore(db: Queryable, key: ConsentKey, before: Date): Promise<ConsentStatus | null> {
  return selectOne(
    db,
    `SELECT status FROM consent_log WHERE shop_id = ? AND address = ? AND channel = ? AND purpose = ? AND applied AND changed_at < ?
     ORDER BY changed_at DESC, id DESC LIMIT 1`,
    [key.shopId, key.address, key.channel, key.purpose, before],
    (r) => r.str('status') as ConsentStatus,
  );
}

/** One logged change by id (a double opt-in link names it). */
export async function consentLogEntry(db: Queryable, shopId: number, id: number): Promise<(ConsentEntry & { applied: boolean }) | null> {
  return selectOne(db, `SELECT ${COLUMNS}, applied FROM consent_log WHERE shop_id = ? AND id = ?`, [shopId, id], (r) => ({
    ...entryOf(r),
    applied: r.bool('applied'),
  }));
}

/** The current consents of these (normalised) addresses on one channel and purpose. */
export async function consentsByAddress(db: Queryable, shopId: number, purpose: Purpose, channel: Channel, addresses: string[]) {
  return selectRows(
    db,
    'SELECT address, status, source, changed_at, reason FROM consents WHERE shop_id = ? AND address IN (?) AND channel = ? AND purpose = ?',
    [shopId, addresses, channel, purpose],
    (r) => ({
      address: r.str('address'),
      status: r.str('status') as ConsentStatus,
      source: r.str('source'),
      changedAt: r.date('changed_at'),
      reason: r.strOrNull('reason'),
    }),
  );
}

/** Every current consent of these addresses, any channel and purpose. */
export async function currentConsentsOf(db: Queryable, shopId: number, addresses: string[]): Promise<ConsentEntry[]> {
  if (addresses.length === 0) return [];
  return selectRows(db, `SELECT ${COLUMNS} FROM consents WHERE shop_id = ? AND address IN (?)`, [shopId, addresses], entryOf);
}

/** The logged changes of these addresses, newest first (refused ones with why). */
export async function consentHistoryOf(
  db: Queryable,
  shopId: number,
  addresses: string[],
  limit = 200,
): Promise<Array<ConsentEntry & { applied: boolean; refusal: string | null }>> {
  if (addresses.length === 0) return [];
  return selectRows(
    db,
    `SELECT ${COLUMNS}, applied, refusal FROM consent_log WHERE shop_id = ? AND address IN (?) ORDER BY changed_at DESC, id DESC LIMIT ?`,
    [shopId, addresses, limit],
    (r) => ({ ...entryOf(r), applied: r.bool('applied'), refusal: r.strOrNull('refusal') }),
  );
}
