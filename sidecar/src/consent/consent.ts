import { createHash } from 'node:crypto';
import type { PoolConnection } from 'mysql2/promise';
import { isSuppressed, suppressedAmong } from '../privacy/suppression-store.ts';
import { toE164 } from '../customers/phone.ts';
import type { Queryable } from '../db/queryable.ts';
import { inTransaction } from '../db/transaction.ts';
import { decideConsent, PURPOSES, type Channel, type ConsentSource, type CurrentConsent, type Purpose } from './consent-rules.ts';
import {
  appendConsentLog,
  consentsByAddress,
  lockCurrentConsent,
  setCurrentConsent,
  statusBefore,
  type ConsentEntry,
} from './consent-store.ts';

export * from './consent-rules.ts';

export type ConsentChange = {
  shopId: number;
  purpose: Purpose;
  channel: Channel;
  /** An email or a phone number as typed; stored normalised (see consentAddress). */
  address: string;
  /** The customer's country, for a phone number typed without its country code. */
  country?: string | null;
  status: 'granted' | 'withdrawn' | 'bounced';
  source: ConsentSource;
  /** The wording the customer was shown. */
  text?: string | null;
  /** sha256 of the shop's secret and the customer's IP (hashIp): never the IP itself. */
  ipHash?: string | null;
  userId?: number | null;
  importBatch?: string | null;
  outboxId?: number | null;
  /** Why the shop changed it (an admin edit), or what an import's row said. */
  reason?: string | null;
  /** When the caller says it happened: kept for display; the order is the sidecar's receipt time. */
  claimedAt?: Date | null;
};

/** `changed`: the current consent changed (a repeat of what it says is logged, and changes nothing). */
export type ConsentOutcome = {
  outcome: 'recorded' | 'pending-confirmation' | 'refused';
  reason?: string;
  logId: number | null;
  changed: boolean;
};

/** Options a shop's settings decide: double opt-in for marketing email (on unless the merchant turned it off). */
export type ConsentOptions = { doubleOptIn?: boolean; now?: Date };

/**
 * SQL for the consent address of `customers c`'s phone: as typed in the order, spaces and dashes
 * dropped, which is its E.164 form when typed with its country code (a national number is not).
 */
export const CUSTOMER_PHONE_ADDRESS_SQL = "REGEXP_REPLACE(COALESCE(c.phone, ''), '[^0-9+]', '')";

/** The address a consent is kept under: emails lower-cased, phones in E.164 (null when not a number). */
export function consentAddress(channel: Channel, raw: string, country?: string | null): string | null {
  if (channel === 'email') {
    const email = raw.trim().toLowerCase();
    return email.includes('@') ? email : null;
  }
  return toE164(raw, country);
}

/** A customer's IP as kept for proof: sha256 salted with the shop's secret, so it proves a match and reveals nothing. */
export function hashIp(shopSecret: string, ip: string): string {
  return createHash('sha256').update(`${shopSecret}:${ip.trim()}`).digest('hex');
}

/**
 * Records a change received now (consent-rules.ts decides): logged in every case, refused ones
 * with why, and the current consent updated when it applies. The caller sends the confirmation
 * email of a 'pending-confirmation' (the log id names it).
 */
export async function recordConsent(db: Queryable, change: ConsentChange, options: ConsentOptions = {}): Promise<ConsentOutcome> {
  const address = consentAddress(change.channel, change.address, change.country);
  if (!address)
    return {
      outcome: 'refused',
      reason: `not a valid ${change.channel === 'email' ? 'email address' : 'phone number'}`,
      logId: null,
      changed: false,
    };
  // A person erased on request is never granted anything again (privacy/suppression-store.ts).
  if (change.status === 'granted' && (await isSuppressed(db, change.shopId, [address])))
    return { outcome: 'refused', reason: 'this address was erased on request and takes no messages', logId: null, changed: false };
  const entry: ConsentEntry = {
    shopId: change.shopId,
    purpose: change.purpose,
    channel: change.channel,
    address,
    status: change.status,
    source: change.source,
    text: change.text?.slice(0, 1000) ?? null,
    ipHash: change.ipHash ?? null,
    userId: change.userId ?? null,
    importBatch: change.importBatch ?? null,
    outboxId: change.outboxId ?? null,
    reason: change.reason?.slice(0, 500) ?? null,
    claimedAt: change.claimedAt ?? null,
    changedAt: options.now ?? new Date(),
  };
  const work = (conn: Queryable) => applyChange(conn, entry, change, options.doubleOptIn ?? true);
  return 'release' in db ? work(db) : inTransaction(db, (conn: PoolConnection) => work(conn));
}

async function applyChange(db: Queryable, entry: ConsentEntry, change: ConsentChange, doubleOptIn: boolean): Promise<ConsentOutcome> {
  const current = await lockCurrentConsent(db, entry);
  let decision = decideConsent(current, change, { doubleOptIn });
  // START gives back what the STOP took: a purpose granted before it, nothing more.
  if (decision.kind === 'apply' && change.source === 'keyword' && entry.status === 'granted' && current) {
    if ((await statusBefore(db, entry, current.changedAt)) !== 'granted')
      decision = { kind: 'refuse', reason: `no ${entry.purpose} consent was granted before the STOP` };
  }
  if (decision.kind === 'refuse') {
    const logId = await appendConsentLog(db, entry, false, decision.reason);
    return { outcome: 'refused', reason: decision.reason, logId, changed: false };
  }
  if (decision.kind === 'keep') {
    const logId = await appendConsentLog(db, entry, false, null);
    return { outcome: 'recorded', logId, changed: false };
  }
  if (decision.kind === 'pending') {
    const pending = { ...entry, status: 'pending' as const };
    const logId = await appendConsentLog(db, pending, true, null);
    if (decision.showPending) await setCurrentConsent(db, pending, logId);
    return { outcome: 'pending-confirmation', logId, changed: decision.showPending };
  }
  const logId = await appendConsentLog(db, entry, true, null);
  await setCurrentConsent(db, entry, logId);
  return { outcome: 'recorded', logId, changed: true };
}

/** Records the same change for every purpose (a STOP, a provider's opt-out, "unsubscribe from all"). */
export async function recordForEveryPurpose(db: Queryable, change: Omit<ConsentChange, 'purpose'>, options: ConsentOptions = {}) {
  const outcomes: ConsentOutcome[] = [];
  for (const purpose of PURPOSES) outcomes.push(await recordConsent(db, { ...change, purpose }, options));
  return outcomes;
}

/** The current consents of these addresses for one purpose on one channel, in one query (keys normalised as stored). */
export async function consentsAmong(
  db: Queryable,
  shopId: number,
  purpose: Purpose,
  channel: Channel,
  addresses: string[],
): Promise<Map<string, CurrentConsent>> {
  const keys = [...new Set(addresses.map((a) => consentAddress(channel, a)).filter((a): a is string => a !== null))];
  if (keys.length === 0) return new Map();
  const rows = await consentsByAddress(db, shopId, purpose, channel, keys);
  const found = new Map<string, CurrentConsent>(rows.map(({ address, ...consent }) => [address, consent]));
  // An address erased on request reads as withdrawn: no flow, channel or fallback messages it again.
  for (const address of await suppressedAmong(db, shopId, keys))
    found.set(address, { status: 'withdrawn', source: 'erased', changedAt: new Date(0) });
  return found;
}

export type ConsentRecord = CurrentConsent;
