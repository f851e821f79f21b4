import { selectRows, type Queryable } from '../db/queryable.ts';
import type { CustomerFacts, LoyaltyFacts } from './customer-subjects.ts';

/**
 * What a message to a customer reads about them: customers (the shop's buyers), customer_profiles
 * (what loyalty programs told us), their latest order's billing details, and loyalty_events with
 * whether a voucher was redeemed since. One query per table for a whole batch of steps.
 */

/** The customers among `keys` a shop knows (as a buyer, a loyalty member, or both), by key. */
export async function customerFactsByKey(db: Queryable, shopId: number, keys: string[]): Promise<Map<string, CustomerFacts>> {
  const rows = await selectRows(
    db,
    `SELECT k.customer_key, c.email, c.phone, c.orders_count, c.last_purchase_at, c.avg_gap_days,
            p.email AS p_email, p.phone AS p_phone, p.first_name AS p_first_name, p.language, p.time_zone, p.points, p.cashback, p.cashback_currency, p.currency AS p_currency, p.portal_url,
            o.currency AS o_currency, o.customer_locale AS user_locale, JSON_VALUE(o.snapshot, '$.billing.first_name') AS first_name, JSON_VALUE(o.snapshot, '$.billing.last_name') AS last_name,
            JSON_VALUE(o.snapshot, '$.billing.country') AS country
       FROM (SELECT DISTINCT customer_key FROM customers WHERE shop_id = ? AND customer_key IN (?)
             UNION SELECT customer_key FROM customer_profiles WHERE shop_id = ? AND customer_key IN (?)) k
       LEFT JOIN customers c ON c.shop_id = ? AND c.customer_key = k.customer_key
       LEFT JOIN customer_profiles p ON p.shop_id = ? AND p.customer_key = k.customer_key
       LEFT JOIN orders o ON o.shop_id = ? AND o.order_id = c.last_order_id`,
    [shopId, keys, shopId, keys, shopId, shopId, shopId],
    (r): CustomerFacts => {
      const key = r.str('customer_key');
      return {
        key,
        // The address the shop has, else the program's; a key that is itself an address is one.
        email: r.strOrNull('email') ?? r.strOrNull('p_email') ?? (key.includes('@') ? key : null),
        phone: r.strOrNull('phone') ?? r.strOrNull('p_phone') ?? (key.startsWith('+') ? key : null),
        country: r.strOrNull('country') || null,
        firstName: r.strOrNull('p_first_name') ?? r.strOrNull('first_name') ?? '',
        lastName: r.strOrNull('last_name') ?? '',
        timeZone: r.strOrNull('time_zone'),
        language: r.strOrNull('language'),
        userLocale: r.strOrNull('user_locale'),
        lastPurchaseAt: r.dateOrNull('last_purchase_at'),
        avgGapDays: r.numOrNull('avg_gap_days'),
        ordersCount: r.numOrNull('orders_count') ?? 0,
        currency: r.strOrNull('o_currency') ?? r.strOrNull('p_currency'),
        points: r.strOrNull('points'),
        cashback: r.strOrNull('cashback'),
        cashbackCurrency: r.strOrNull('cashback_currency'),
        portalUrl: r.strOrNull('portal_url'),
      };
    },
  );
  return new Map(rows.map((c) => [c.key, c]));
}

/** The shop's loyalty events among `ids`, by id; a voucher's says whether a redemption of its code arrived since. */
export async function loyaltyFactsById(db: Queryable, shopId: number, ids: number[]): Promise<Map<number, LoyaltyFacts>> {
  const rows = await selectRows(
    db,
    `SELECT e.id, e.type, e.payload, e.occurred_at,
            EXISTS (SELECT 1 FROM loyalty_events r WHERE r.shop_id = e.shop_id AND r.customer_key = e.customer_key AND r.type = 'voucher.redeemed'
                      AND JSON_VALUE(r.payload, '$.voucher.code') = JSON_VALUE(e.payload, '$.voucher.code')) AS redeemed
       FROM loyalty_events e WHERE e.shop_id = ? AND e.id IN (?)`,
    [shopId, ids],
    (r): LoyaltyFacts => ({
      id: r.num('id'),
      type: r.str('type'),
      payload: r.json<Record<string, unknown>>('payload') ?? {},
      occurredAt: r.date('occurred_at'),
      voucherRedeemed: r.bool('redeemed'),
    }),
  );
  return new Map(rows.map((e) => [e.id, e]));
}

/** The languages customer profiles (loyalty events) name for those among `keys` who have one, by key. */
export async function profileLanguagesByKey(db: Queryable, shopId: number, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await selectRows(
    db,
    'SELECT customer_key, language FROM customer_profiles WHERE shop_id = ? AND customer_key IN (?) AND language IS NOT NULL',
    [shopId, [...new Set(keys)]],
    (r) => [r.str('customer_key'), r.str('language')] as const,
  );
  return new Map(rows);
}
