import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { toE164 } from '../customers/phone.ts';
import { retryOnDeadlock } from '../db/deadlock-retry.ts';
import { inTransaction } from '../db/transaction.ts';
import { customerKeyOf } from '../customers/customer-key.ts';
import {
  commonColumnsSaidLater,
  insertLoyaltyEventOnce,
  laterEventOfType,
  loyaltyEventBySourceId,
  upsertProfile,
  type ProfileColumn,
  type ProfileFields,
} from './loyalty-store.ts';

// What a loyalty program outside WooCommerce tells us about a customer (POST /api/events).
// Objects are strict: a misspelt field is refused at integration time instead of silently ignored.

/** Text of at most `max` characters that Intl can spell its own way (stored so); `message` when Intl refuses it. */
function intlSpelling(max: number, spell: (text: string) => string, message: string) {
  return z
    .string()
    .max(max)
    .transform((text, ctx) => {
      try {
        return spell(text);
      } catch {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
    });
}

/** BCP 47, stored in its canonical case ("de-at" → "de-AT"). */
const languageTag = intlSpelling(16, (tag) => Intl.getCanonicalLocales(tag)[0]!, 'not a BCP 47 language tag (e.g. "pl" or "de-AT")');

/** An IANA zone name Intl knows, stored as Intl spells it; offsets ("+01:00") are not zones. */
const ianaZone = intlSpelling(
  64,
  (zone) => {
    if (!/^[A-Za-z]/.test(zone)) throw new RangeError(zone);
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  },
  'not an IANA time zone (e.g. "Europe/Warsaw")',
);

const isoTime = z.iso.datetime({ offset: true, message: 'an ISO 8601 time with its offset, e.g. 2027-01-01T00:00:00Z' });
const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code, e.g. "PLN"')
  .transform((c) => c.toUpperCase());
const balance = z.number().min(0).max(999_999_999_999);

/** "MM-DD" or "YYYY-MM-DD" as month and day, or null when it is no real date (02-29 is, without a year). */
export function birthdayOf(text: string): { month: number; day: number } | null {
  const m = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  // Without a year, a leap year: a birthday on 29 February is real.
  const [year, month, day] = [m[1] ? Number(m[1]) : 2000, Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return { month, day };
}

/** Fields any event may carry: who it is about, when it happened, and what it says about them. */
const common = {
  id: z.string().min(1).max(128),
  email: z.email().max(255).optional(),
  phone: z.string().trim().min(3).max(32).optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'an ISO 3166 country code, e.g. "PL"')
    .transform((c) => c.toUpperCase())
    .optional(),
  occurredAt: isoTime.optional(),
  firstName: z.string().trim().min(1).max(120).optional(),
  language: languageTag.optional(),
  timeZone: ianaZone.optional(),
};

const variants = [
  z.strictObject({ ...common, type: z.literal('points.balance'), points: balance, currency: currency.optional() }),
  z.strictObject({ ...common, type: z.literal('cashback.balance'), cashback: balance, currency }),
  z.strictObject({
    ...common,
    type: z.literal('voucher.issued'),
    voucher: z
      .strictObject({
        code: z.string().trim().min(1).max(64),
        value: z.number().positive().max(999_999_999_999),
        currency: currency.optional(),
        kind: z.enum(['amount', 'percent']).default('amount'),
        expiresAt: isoTime,
      })
      .refine((v) => v.kind !== 'percent' || v.value <= 100, { message: 'a percent voucher is worth at most 100', path: ['value'] }),
  }),
  z.strictObject({ ...common, type: z.literal('voucher.redeemed'), voucher: z.strictObject({ code: z.string().trim().min(1).max(64) }) }),
  z.strictObject({
    ...common,
    type: z.literal('birthday'),
    birthday: z.string().refine((b) => birthdayOf(b) !== null, 'a real date as MM-DD or YYYY-MM-DD'),
  }),
  z.strictObject({ ...common, type: z.literal('nps.request') }),
  z.strictObject({
    ...common,
    type: z.literal('portal.link'),
    url: z.url({ protocol: /^https$/, hostname: z.regexes.domain, message: 'an https:// address' }).max(1024),
  }),
  z.strictObject({ ...common, type: z.literal('profile') }),
] as const;

export const loyaltyEventSchema = z.discriminatedUnion('type', [...variants]).superRefine(
  (event, ctx) => {
    // Runs also when a field failed (below), so a field may still hold whatever was sent: a phone given as a number is
    // refused by its own check, not read here as a string.
    const country = typeof event.country === 'string' ? event.country : undefined;
    if (typeof event.phone !== 'string' && event.phone !== undefined) return;
    if (event.phone !== undefined && toE164(event.phone, country) === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['phone'],
        message: 'not a phone number that can get messages (give it with its +country prefix, or a country)',
      });
    } else if (event.email === undefined && event.phone === undefined) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'name the customer by email or phone' });
    }
  },
  // Also when a field failed: one answer names every problem.
  { when: (p) => typeof p.value === 'object' && p.value !== null },
);

export type LoyaltyEvent = z.output<typeof loyaltyEventSchema>;
export type LoyaltyEventType = LoyaltyEvent['type'];
export const LOYALTY_EVENT_TYPES = variants.map((v) => v.shape.type.value);

/** The variant of one type, for tools that build an event field by field (the CLI). */
export function loyaltyEventVariant(type: string) {
  return variants.find((v) => v.shape.type.value === type);
}

/** An event as stored: what onEvent hears. `payload` is the validated event with its time filled in. */
export type StoredLoyaltyEvent = {
  id: number;
  shopId: number;
  type: LoyaltyEventType;
  customerKey: string;
  payload: LoyaltyEvent;
  occurredAt: Date;
};
export type RecordedLoyaltyEvent = { id: number; created: boolean; type: LoyaltyEventType; customerKey: string; event: StoredLoyaltyEvent };

/**
 * Stores an event once per (shop, program's id) — a repeat is `duplicate` and the first one wins,
 * whatever the repeat says — and writes what it says into the customer's profile, never clearing
 * what it does not mention. One transaction: an event is never stored without its profile change.
 */
export async function recordLoyaltyEvent(db: Pool, shopId: number, event: LoyaltyEvent, now: Date): Promise<RecordedLoyaltyEvent> {
  const customerKey = customerKeyOf(event.email, event.phone, event.country)!;
  const payload: LoyaltyEvent = { ...event, occurredAt: event.occurredAt ?? now.toISOString() };
  // Nothing happened after we heard of it: a program's clock running ahead (or a year typo) must
  // not make its event "newer" than every balance still to come.
  const occurredAt = new Date(Math.min(Date.parse(payload.occurredAt!), now.getTime()));
  // Two first events about one customer both create the profile row: InnoDB may pick one to roll back.
  return retryOnDeadlock(() =>
    inTransaction(db, async (conn) => {
      const insertedId = await insertLoyaltyEventOnce(conn, {
        shopId,
        sourceId: event.id,
        type: event.type,
        customerKey,
        payload,
        occurredAt,
      });
      if (insertedId === null) {
        const first = (await loyaltyEventBySourceId<LoyaltyEvent>(conn, shopId, event.id))!;
        const stored = { ...first, shopId, type: first.type as LoyaltyEventType };
        return { id: stored.id, created: false, type: stored.type, customerKey: stored.customerKey, event: stored };
      }
      // The profile row first: its lock orders concurrent events about the same customer, so the
      // staleness checks below see any event that committed before us.
      await upsertProfile(conn, shopId, customerKey, {}, now);
      // Name, language, zone, email and phone: what a later event (of any type) also gave is left as it says.
      const given = commonFields(event);
      const saidLater = await commonColumnsSaidLater(
        conn,
        shopId,
        customerKey,
        Object.keys(given) as ProfileColumn[],
        occurredAt,
        insertedId,
      );
      const common = Object.fromEntries(Object.entries(given).filter(([c]) => !saidLater.has(c as ProfileColumn))) as ProfileFields;
      if (Object.keys(common).length > 0) await upsertProfile(conn, shopId, customerKey, common, now);
      const own = typedFields(event);
      // Deliveries arrive out of order: a later event of the same type already set these fields.
      if (Object.keys(own).length > 0 && !(await laterEventOfType(conn, shopId, customerKey, event.type, occurredAt, insertedId))) {
        await upsertProfile(conn, shopId, customerKey, own, now);
      }
      const stored = { id: insertedId, shopId, type: event.type, customerKey, payload, occurredAt };
      return { id: stored.id, created: true, type: event.type, customerKey, event: stored };
    }),
  );
}

function commonFields(event: LoyaltyEvent): ProfileFields {
  const phone = event.phone === undefined ? null : toE164(event.phone, event.country);
  return defined({
    email: event.email,
    phone: phone ?? undefined,
    first_name: event.firstName,
    language: event.language,
    time_zone: event.timeZone,
  });
}

/** What only this type of event says: a balance or a birthday from an older event must not overwrite a newer one. */
function typedFields(event: LoyaltyEvent): ProfileFields {
  switch (event.type) {
    case 'points.balance':
      return defined({ points: event.points, currency: event.currency });
    case 'cashback.balance':
      return { cashback: event.cashback, cashback_currency: event.currency };
    case 'birthday': {
      const { month, day } = birthdayOf(event.birthday)!;
      return { birth_month: month, birth_day: day };
    }
    case 'portal.link':
      return { portal_url: event.url };
    default:
      return {};
  }
}

function defined(fields: Record<string, string | number | undefined>): ProfileFields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
