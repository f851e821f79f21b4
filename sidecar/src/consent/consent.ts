import { isSuppressed, suppressedAmong } from '../privacy/suppression-store.ts';
import { toE164 } from '../customers/phone.ts';
import type { Queryable } from '../db/queryable.ts';
import { consentsByAddress, upsertConsentIfLater } from './consent-store.ts';

export const CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * bounced: mail to the address failed for good (no such mailbox, no such domain); it takes no
 * more marketing until the customer grants consent again, and still gets mail about their order.
 */
export type ConsentStatus = 'granted' | 'withdrawn' | 'bounced';
/** Where a change came from: shown to the merchant beside it, and the proof if it is ever asked for. */
export type ConsentSource =
  'checkout' | 'one-click' | 'page' | 'sms-keyword' | 'provider-opt-out' | 'whatsapp-message' | 'whatsapp-keyword' | 'admin' | 'bounce';

export type ConsentChange = {
  shopId: number;
  channel: Channel;
  /** An email or a phone number as typed; stored normalised (see consentAddress). */
  address: string;
  status: ConsentStatus;
  source: ConsentSource;
  /** The wording the customer agreed to, for a grant. */
  text?: string | null;
  outboxId?: number | null;
  at?: Date;
};

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

/**
 * Records a change unless a later one is already there (a delayed status callback must not undo
 * the STOP that came after it). A withdrawal at the same instant as a grant wins; a bounce never
 * takes a withdrawal's place (it would let mail about orders go again).
 */
export async function recordConsent(db: Queryable, change: ConsentChange): Promise<boolean> {
  const address = consentAddress(change.channel, change.address);
  if (!address) return false;
  // A person erased on request is never granted anything again (privacy/suppression-store.ts).
  if (change.status === 'granted' && (await isSuppressed(db, change.shopId, [address]))) return false;
  return upsertConsentIfLater(db, {
    shopId: change.shopId,
    channel: change.channel,
    address,
    status: change.status,
    source: change.source,
    text: change.text?.slice(0, 1000) ?? null,
    outboxId: change.outboxId ?? null,
    changedAt: change.at ?? new Date(),
  });
}

export type ConsentRecord = { status: ConsentStatus; source: string; changedAt: Date };

/** The consents of these addresses on one channel, in one query (keys normalised as stored). */
export async function consentsAmong(
  db: Queryable,
  shopId: number,
  channel: Channel,
  addresses: string[],
): Promise<Map<string, ConsentRecord>> {
  const keys = [...new Set(addresses.map((a) => consentAddress(channel, a)).filter((a): a is string => a !== null))];
  if (keys.length === 0) return new Map();
  const rows = await consentsByAddress(db, shopId, channel, keys);
  const found = new Map<string, ConsentRecord>(rows.map(({ address, ...consent }) => [address, consent]));
  // An address erased on request reads as withdrawn: no flow, channel or fallback messages it again.
  for (const address of await suppressedAmong(db, shopId, keys))
    found.set(address, { status: 'withdrawn', source: 'erased', changedAt: new Date(0) });
  return found;
}

/** Which of these addresses withdrew from the channel (normalised). */
export async function withdrawnAmong(db: Queryable, shopId: number, channel: Channel, addresses: string[]): Promise<Set<string>> {
  const found = await consentsAmong(db, shopId, channel, addresses);
  return new Set([...found].filter(([, c]) => c.status === 'withdrawn').map(([address]) => address));
}

/**
 * Whether a message may go: a withdrawal always stops it, a bounced address takes no marketing. Email about the customer's own order
 * (transactional) needs no opt-in, marketing email does; SMS and WhatsApp always need one
 * (carriers' and Meta's rules), from the checkout checkbox or a START; a customer writing to us
 * is not an opt-in (it opens WhatsApp's reply window, nothing more).
 */
export function mayContact(
  channel: Channel,
  purpose: 'transactional' | 'marketing',
  consent: ConsentRecord | undefined,
): { ok: true } | { ok: false; reason: 'withdrawn' | 'no_consent' | 'bounced' } {
  if (consent?.status === 'withdrawn') return { ok: false, reason: 'withdrawn' };
  if (consent?.status === 'bounced' && purpose === 'marketing') return { ok: false, reason: 'bounced' };
  if (consent?.status === 'granted') return { ok: true };
  if (channel === 'email' && purpose === 'transactional') return { ok: true };
  return { ok: false, reason: 'no_consent' };
}
