import type { Queryable } from '../db/queryable.ts';
import { customerFactsByKey, loyaltyFactsById } from './customer-subject-store.ts';

/**
 * A customer as a message to them needs them: where to reach them (their latest paid order's
 * billing details, else what a loyalty program told us), their rhythm, and their loyalty profile.
 * A loyalty program may know people who never paid an order in the shop: they have a profile only.
 */
export type CustomerFacts = {
  key: string;
  email: string | null;
  phone: string | null;
  country: string | null;
  firstName: string;
  lastName: string;
  /** IANA zone the customer told us (profile); null: guessed from the country at send time. */
  timeZone: string | null;
  /** The profile's language (loyalty events): a BCP 47 tag such as "pl". */
  language: string | null;
  /** Their own WordPress user locale, as their latest order reported it. */
  userLocale?: string | null;
  /** Null for someone known only to a loyalty program. */
  lastPurchaseAt: Date | null;
  avgGapDays: number | null;
  ordersCount: number;
  /** ISO 4217 of their latest order (or the profile's): what a money-off coupon is shown in. */
  currency: string | null;
  points: string | null;
  cashback: string | null;
  cashbackCurrency: string | null;
  portalUrl: string | null;
};

/** The loyalty event a message is about (voucher issued, NPS request…), as POST /api/events stored it. */
export type LoyaltyFacts = {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
  /** For a voucher: a voucher.redeemed event with its code arrived since. */
  voucherRedeemed: boolean;
};

export type CustomerSubject = { customer: CustomerFacts; event: LoyaltyFacts | null };

/** A voucher as an event carries it. */
export type Voucher = { code: string; value: number; currency?: string; kind?: 'amount' | 'percent'; expiresAt?: string };
export const voucherOf = (event: { payload: object } | null): Voucher | null =>
  (event?.payload as { voucher?: Voucher } | undefined)?.voucher ?? null;

/**
 * The customers (by key) and loyalty events (by id) of a batch of steps, in one query per table:
 * customers, their profiles, their latest orders, the events and the redemptions of their vouchers.
 */
export async function loadCustomerSubjects(
  db: Queryable,
  shopId: number,
  wanted: { keys: string[]; eventIds: number[] },
): Promise<CustomerSubjects> {
  const keys = [...new Set(wanted.keys)];
  return {
    customers: keys.length ? await customerFactsByKey(db, shopId, keys) : new Map(),
    events: wanted.eventIds.length ? await loyaltyFactsById(db, shopId, wanted.eventIds) : new Map(),
  };
}

export type CustomerSubjects = { customers: Map<string, CustomerFacts>; events: Map<number, LoyaltyFacts> };

/**
 * Who a customer or event enrollment speaks to, among those loaded: the customer, and for an
 * event enrollment the loyalty event it is about. Null when either is unknown.
 */
export function customerSubjectOf(
  loaded: CustomerSubjects,
  enrollment: { subjectType: string; subjectId: string; customerKey: string | null },
): CustomerSubject | null {
  const customer = enrollment.customerKey ? loaded.customers.get(enrollment.customerKey) : undefined;
  if (!customer) return null;
  if (enrollment.subjectType !== 'event') return { customer, event: null };
  const event = loaded.events.get(Number(enrollment.subjectId));
  return event ? { customer, event } : null;
}

/** A win-back entry names the lapse: the customer and the last purchase they lapsed after (unix seconds). */
export const lapseSubjectId = (customerId: number, lastPurchaseAt: Date) => `${customerId}:${Math.floor(lastPurchaseAt.getTime() / 1000)}`;
/** When the lapse a win-back entry names began (its last purchase), in ms. */
export const lapsedAfter = (subjectId: string) => Number(subjectId.split(':')[1] ?? 0) * 1000;
