import type { Queryable } from '../db/queryable.ts';
import {
  CHANNELS,
  consentAddress,
  decideConsent,
  PURPOSES,
  PURPOSE_WORDS,
  withdrawnBecause,
  type Channel,
  type Purpose,
} from './consent.ts';
import { consentHistoryOf, currentConsentsOf, type ConsentEntry } from './consent-store.ts';

/** A customer's consent for one purpose on one channel, as the Customers screen and My Account show it. */
export type ConsentState = {
  purpose: Purpose;
  channel: Channel;
  address: string;
  state: 'granted' | 'withdrawn' | 'pending' | 'bounced' | 'none';
  source: string | null;
  /** When the sidecar received it (ISO). */
  at: string | null;
  /** When the caller said it happened (an import's date, the shop's clock), if it said. */
  claimedAt: string | null;
  text: string | null;
  reason: string | null;
  /** Whether the shop (an admin edit, an import, a checkout) may grant it now; why not otherwise. */
  canGrant: boolean;
  why?: string;
  /** The state in plain words. */
  words: string;
};

export type ConsentHistoryEntry = {
  purpose: Purpose;
  channel: Channel;
  address: string;
  state: ConsentEntry['status'];
  source: string;
  at: string;
  claimedAt: string | null;
  applied: boolean;
  refusal: string | null;
  reason: string | null;
  importBatch: string | null;
  /** Whether proof of the customer's act is kept: a hashed IP, a WordPress user. */
  proof: { ipHash: boolean; userId: number | null; outboxId: number | null };
  words: string;
};

const CHANNEL_WORDS: Record<Channel, string> = { email: 'by email', sms: 'by SMS', whatsapp: 'on WhatsApp' };
const SOURCE_WORDS: Record<string, string> = {
  checkout: 'at checkout',
  'my-account': 'in My Account',
  import: 'by import',
  admin: 'by the shop',
  'double-opt-in': 'by the confirmation link',
  keyword: 'by a keyword reply',
  unsubscribe: 'by the unsubscribe link',
  'provider-opt-out': 'with the SMS provider',
  bounce: 'the address bounced',
};

const STATE_WORDS = { granted: 'Agreed', withdrawn: 'Withdrew', pending: 'Asked, waiting for the confirmation click', bounced: 'Bounced' };

function words(e: { status: ConsentEntry['status']; purpose: Purpose; channel: Channel; source: string }): string {
  const how = e.status === 'bounced' ? '' : ` ${SOURCE_WORDS[e.source] ?? e.source}`;
  return `${STATE_WORDS[e.status]}: ${PURPOSE_WORDS[e.purpose]} ${CHANNEL_WORDS[e.channel]}${how}`;
}

/** Every purpose on every channel the customer has an address for, with its state; and their history, newest first. */
export async function consentView(
  db: Queryable,
  shopId: number,
  contact: { email?: string | null; phone?: string | null; country?: string | null },
): Promise<{ current: ConsentState[]; history: ConsentHistoryEntry[] }> {
  const addresses: Array<[Channel, string]> = [];
  for (const channel of CHANNELS) {
    const raw = channel === 'email' ? contact.email : contact.phone;
    const address = raw ? consentAddress(channel, raw, contact.country) : null;
    if (address) addresses.push([channel, address]);
  }
  const keys = [...new Set(addresses.map(([, a]) => a))];
  const [rows, history] = await Promise.all([currentConsentsOf(db, shopId, keys), consentHistoryOf(db, shopId, keys)]);
  const current = addresses.flatMap(([channel, address]) =>
    PURPOSES.map((purpose): ConsentState => {
      const row = rows.find((r) => r.channel === channel && r.purpose === purpose && r.address === address);
      const decision = decideConsent(row, { purpose, channel, status: 'granted', source: 'admin' }, { doubleOptIn: false });
      const why = decision.kind === 'refuse' ? decision.reason : row?.status === 'withdrawn' ? withdrawnBecause(row) : undefined;
      return {
        purpose,
        channel,
        address,
        state: row?.status ?? 'none',
        source: row?.source ?? null,
        at: row?.changedAt.toISOString() ?? null,
        claimedAt: row?.claimedAt?.toISOString() ?? null,
        text: row?.text ?? null,
        reason: row?.reason ?? null,
        canGrant: decision.kind !== 'refuse',
        ...(why ? { why } : {}),
        words: row
          ? words(row)
          : channel === 'email' && purpose === 'order'
            ? 'Never asked: email about their orders needs no opt-in'
            : `Never asked: no ${PURPOSE_WORDS[purpose]} ${CHANNEL_WORDS[channel]}`,
      };
    }),
  );
  return {
    current,
    history: history.map((e) => ({
      purpose: e.purpose,
      channel: e.channel,
      address: e.address,
      state: e.status,
      source: e.source,
      at: e.changedAt.toISOString(),
      claimedAt: e.claimedAt?.toISOString() ?? null,
      applied: e.applied,
      refusal: e.refusal,
      reason: e.reason,
      importBatch: e.importBatch,
      proof: { ipHash: e.ipHash !== null, userId: e.userId, outboxId: e.outboxId },
      words: e.refusal ? `Refused (${e.refusal}) — ${words(e)}` : words(e),
    })),
  };
}
