import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { jsonColumn } from '../db/json-column.ts';
import type { Queryable } from '../db/queryable.ts';


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
  language: string | null;
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
export const voucherOf = (event: { payload: object } | null): Voucher | null => ((event?.payload as { voucher?: Voucher } | undefined)?.voucher) ?? null;

/**
 * The customers (by key) and loyalty events (by id) of a batch of steps, in one query per table:
 * customers, their profiles, their latest orders, the events and the redemptions of their vouchers.
 */
export async function loadCustomerSubjects(db: Queryable, shopId: number, wanted: { keys: string[]; eventIds: number[] }): Promise<{ customers: Map<string, CustomerFacts>; events: Map<number, LoyaltyFacts> }> {
  const customers = new Map<string, CustomerFacts>();
  const events = new Map<number, LoyaltyFacts>();
  const keys = [...new Set(wanted.keys)];
  if (keys.length) {
    const [rows] = await db.query<RowDataPacket[]>(
      `SELECT k.customer_key, c.email, c.phone, c.orders_count, c.last_purchase_at, c.avg_gap_days,
              p.email AS p_email, p.phone AS p_phone, p.first_name AS p_first_name, p.language, p.time_zone, p.points, p.cashback, p.cashback_currency, p.currency AS p_currency, p.portal_url,
              o.currency AS o_currency, JSON_VALUE(o.snapshot, '$.billing.first_name') AS first_name, JSON_VALUE(o.snapshot, '$.billing.last_name') AS last_name,
              JSON_VALUE(o.snapshot, '$.billing.country') AS country
         FROM (SELECT DISTINCT customer_key FROM customers WHERE shop_id = ? AND customer_key IN (?)
               UNION SELECT customer_key FROM customer_profiles WHERE shop_id = ? AND customer_key IN (?)) k
         LEFT JOIN customers c ON c.shop_id = ? AND c.customer_key = k.customer_key
         LEFT JOIN customer_profiles p ON p.shop_id = ? AND p.customer_key = k.customer_key
         LEFT JOIN orders o ON o.shop_id = ? AND o.order_id = c.last_order_id`,
      [shopId, keys, shopId, keys, shopId, shopId, shopId],
    );
    for (const r of rows) {
      customers.set(String(r.customer_key), {
        key: String(r.customer_key),
        email: r.email ?? r.p_email ?? (String(r.customer_key).includes('@') ? String(r.customer_key) : null),
        phone: r.phone ?? r.p_phone ?? (String(r.customer_key).startsWith('+') ? String(r.customer_key) : null),
        country: r.country || null,
        firstName: r.p_first_name ?? r.first_name ?? '',
        lastName: r.last_name ?? '',
        timeZone: r.time_zone ?? null,
        language: r.language ?? null,
        lastPurchaseAt: r.last_purchase_at ?? null,
        avgGapDays: r.avg_gap_days === null || r.avg_gap_days === undefined ? null : Number(r.avg_gap_days),
        ordersCount: Number(r.orders_count ?? 0),
        currency: r.o_currency ?? r.p_currency ?? null,
        points: r.points === null ? null : String(r.points),
        cashback: r.cashback === null ? null : String(r.cashback),
        cashbackCurrency: r.cashback_currency ?? null,
        portalUrl: r.portal_url ?? null,
      });
    }
  }
  if (wanted.eventIds.length) {
    const [rows] = await db.query<RowDataPacket[]>(
      `SELECT e.id, e.type, e.payload, e.occurred_at,
              EXISTS (SELECT 1 FROM loyalty_events r WHERE r.shop_id = e.shop_id AND r.customer_key = e.customer_key AND r.type = 'voucher.redeemed'
                        AND JSON_VALUE(r.payload, '$.voucher.code') = JSON_VALUE(e.payload, '$.voucher.code')) AS redeemed
         FROM loyalty_events e WHERE e.shop_id = ? AND e.id IN (?)`,
      [shopId, wanted.eventIds],
    );
    for (const r of rows) {
      events.set(Number(r.id), { id: Number(r.id), type: String(r.type), payload: jsonColumn<Record<string, unknown>>(r.payload) ?? {}, occurredAt: r.occurred_at, voucherRedeemed: Boolean(r.redeemed) });
    }
  }
  return { customers, events };
}

/** A win-back entry names the lapse: the customer and the last purchase they lapsed after (unix seconds). */
export const lapseSubjectId = (customerId: number, lastPurchaseAt: Date) => `${customerId}:${Math.floor(lastPurchaseAt.getTime() / 1000)}`;
/** When the lapse a win-back entry names began (its last purchase), in ms. */
export const lapsedAfter = (subjectId: string) => Number(subjectId.split(':')[1] ?? 0) * 1000;
