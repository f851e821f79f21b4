/**
 * The rules of consent, pure: what a change received does to the current consent of one
 * (purpose, channel, address). Everything is ordered by the time the sidecar received it, so a
 * change never loses to an older one; what decides is who asks:
 *
 * - a withdrawal always applies (a second one changes nothing: the first, the customer's, stays);
 * - a withdrawal is lifted only by a verified act of the same person: a double opt-in click, the
 *   logged-in customer's My Account, START from the number that sent the STOP, or the shop lifting
 *   a withdrawal the shop itself made; a checkout capture, an import or an admin edit never lifts
 *   the customer's own;
 * - START (keyword) lifts its number's STOP and grants nothing without one;
 * - a marketing email grant from checkout, My Account or an admin waits for the customer's
 *   double opt-in click while the shop keeps double opt-in on (the default).
 */

export const PURPOSES = ['order', 'cart', 'marketing'] as const;
export type Purpose = (typeof PURPOSES)[number];

/** What each purpose covers, in the words customers and merchants read. */
export const PURPOSE_WORDS: Record<Purpose, string> = {
  order: 'messages about their orders',
  cart: 'cart reminders',
  marketing: 'offers and news',
};

export const CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * bounced: mail to the address failed for good (no such mailbox, no such domain); it takes no
 * cart or marketing mail until the customer grants consent again, and still gets mail about their
 * order. pending: a marketing email grant waiting for its double opt-in click (no consent yet).
 */
export type ConsentStatus = 'granted' | 'withdrawn' | 'bounced' | 'pending';

/** Where a change came from: shown to the merchant beside it, and the proof if it is ever asked for. */
export const CONSENT_SOURCES = [
  'checkout',
  'my-account',
  'import',
  'admin',
  'double-opt-in',
  'keyword',
  'unsubscribe',
  'provider-opt-out',
  'bounce',
] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** Sources that are the customer's own act: a withdrawal by one of them only the customer can lift. */
const CUSTOMER_SOURCES: ReadonlySet<string> = new Set(['my-account', 'double-opt-in', 'keyword', 'unsubscribe', 'provider-opt-out']);

/** Sources whose marketing email grant waits for a double opt-in click (an import carries its own proof: date and source). */
const NEEDS_CONFIRMATION: ReadonlySet<string> = new Set(['checkout', 'my-account', 'admin']);

export type CurrentConsent = { status: ConsentStatus; source: string; changedAt: Date; reason?: string | null };

export type ConsentRequest = {
  purpose: Purpose;
  channel: Channel;
  status: 'granted' | 'withdrawn' | 'bounced';
  source: ConsentSource;
  /** A My Account change names the WordPress user whose own address it is. */
  userId?: number | null;
};

export type ConsentDecision =
  /** The current consent becomes this. */
  | { kind: 'apply'; status: 'granted' | 'withdrawn' | 'bounced' }
  /** A confirmation email goes; the current consent shows pending unless it holds a withdrawal or a grant. */
  | { kind: 'pending'; showPending: boolean }
  /** Logged; the current consent already says so. */
  | { kind: 'keep' }
  /** Logged as refused, with why in plain words. */
  | { kind: 'refuse'; reason: string };

const day = (at: Date) => at.toISOString().slice(0, 10);

/** Why a withdrawal stands, in the words the merchant and the plugin show. */
export function withdrawnBecause(current: CurrentConsent): string {
  return CUSTOMER_SOURCES.has(current.source)
    ? `withdrawn by the customer on ${day(current.changedAt)}; only the customer can opt in again`
    : `withdrawn by the shop on ${day(current.changedAt)}${current.reason ? ` (${current.reason})` : ''}`;
}

/** Whether this grant may lift the current withdrawal: only the same person's verified act (or the shop undoing its own). */
function liftsWithdrawal(current: CurrentConsent, change: ConsentRequest): boolean {
  if (change.source === 'double-opt-in') return true;
  if (change.source === 'my-account') return change.userId != null;
  if (change.source === 'keyword') return current.source === 'keyword' || current.source === 'provider-opt-out';
  if (change.source === 'admin') return !CUSTOMER_SOURCES.has(current.source);
  return false;
}

/** What a change does to the current consent of its key (undefined: never asked). */
export function decideConsent(
  current: CurrentConsent | undefined,
  change: ConsentRequest,
  options: { doubleOptIn: boolean },
): ConsentDecision {
  if (change.status === 'withdrawn') return current?.status === 'withdrawn' ? { kind: 'keep' } : { kind: 'apply', status: 'withdrawn' };
  if (change.status === 'bounced') {
    if (current?.status === 'withdrawn' || current?.status === 'bounced') return { kind: 'keep' };
    return { kind: 'apply', status: 'bounced' };
  }
  if (change.source === 'my-account' && change.userId == null)
    return { kind: 'refuse', reason: 'a My Account change names the signed-in customer (userId)' };
  if (current?.status === 'withdrawn') {
    if (!liftsWithdrawal(current, change)) return { kind: 'refuse', reason: withdrawnBecause(current) };
  } else if (change.source === 'keyword') {
    return { kind: 'refuse', reason: 'START lifts only an earlier STOP from the same number; there is none' };
  } else if (current?.status === 'granted') {
    return { kind: 'keep' };
  }
  const confirm =
    options.doubleOptIn && change.purpose === 'marketing' && change.channel === 'email' && NEEDS_CONFIRMATION.has(change.source);
  if (!confirm) return { kind: 'apply', status: 'granted' };
  // A pending grant never hides a withdrawal from the merchant: the withdrawal stays until the click.
  return { kind: 'pending', showPending: current?.status !== 'withdrawn' };
}

/**
 * Whether a message of this purpose may go: a withdrawal always stops it, a bounced address takes
 * only mail about the customer's order. Email about the customer's own order needs no opt-in;
 * cart reminders and marketing need a grant for that purpose on that channel; SMS and WhatsApp
 * always need one (carriers' and Meta's rules). A customer writing to us is not an opt-in.
 */
export function mayContact(
  channel: Channel,
  purpose: Purpose,
  consent: CurrentConsent | undefined,
): { ok: true } | { ok: false; reason: 'withdrawn' | 'no_consent' | 'bounced' } {
  if (consent?.status === 'withdrawn') return { ok: false, reason: 'withdrawn' };
  if (consent?.status === 'bounced' && purpose !== 'order') return { ok: false, reason: 'bounced' };
  if (consent?.status === 'granted') return { ok: true };
  if (channel === 'email' && purpose === 'order') return { ok: true };
  return { ok: false, reason: 'no_consent' };
}
