import { CUSTOMER_PHONE_ADDRESS_SQL } from '../consent/consent.ts';
import { execute, selectOne, selectRows, type Queryable, type Row } from '../db/queryable.ts';
import { PAID_STATUSES } from '../events/order-status.ts';
import type { ConsentStatus } from '../consent/consent.ts';

/** The `customers` table: each shop's buyers as rebuilt from their paid orders, and the customer list the merchant reads. */

const DAY_SECONDS = 86_400;

/** A customer as the admin UI lists them: stats, tags, what their latest order and loyalty programs tell, consent per channel. */
export type CustomerView = {
  email: string;
  phone: string | null;
  orders: number;
  /** DECIMAL, as the database writes it. */
  totalSpent: string;
  firstPurchaseAt: Date | null;
  lastPurchaseAt: Date | null;
  averageDaysBetweenPurchases: number | null;
  expectedNextPurchaseAt: Date | null;
  tags: string[];
  firstName: string | null;
  lastName: string | null;
  country: string | null;
  language: string | null;
  timeZone: string | null;
  /** MM-DD. */
  birthday: string | null;
  points: string | null;
  cashback: string | null;
  consent: { email: ConsentStatus | null; sms: ConsentStatus | null; whatsapp: ConsentStatus | null };
};

/**
 * Writes a shop's customers (or one of them, by `customerKey`) from its paid orders in one
 * INSERT … SELECT, so a million customers never pass through Node; every row written is stamped
 * `now`. A purchase counts at its payment time (its creation when WooCommerce recorded none, as
 * for cash on delivery). The average gap is the span between the first and the last purchase over
 * the gaps in it, which equals the mean of the gaps.
 */
export async function upsertCustomersFromPaidOrders(
  db: Queryable,
  shopId: number,
  options: { now: Date; defaultIntervalDays: number; customerKey?: string },
): Promise<void> {
  const purchasedAt = 'COALESCE(date_paid, date_created, date_modified)';
  const avgGap = `IF(COUNT(*) > 1, TIMESTAMPDIFF(SECOND, MIN(${purchasedAt}), MAX(${purchasedAt})) / ${DAY_SECONDS} / (COUNT(*) - 1), NULL)`;
  await execute(
    db,
    `INSERT INTO customers (shop_id, customer_key, email, phone, last_order_id, orders_count, total_spent, first_purchase_at, last_purchase_at, avg_gap_days, expected_next_at, updated_at)
     SELECT shop_id, LOWER(TRIM(email)), MAX(email),
            NULLIF(SUBSTRING_INDEX(GROUP_CONCAT(COALESCE(phone, '') ORDER BY ${purchasedAt} DESC SEPARATOR '\\n'), '\\n', 1), ''),
            MAX(order_id), COUNT(*), SUM(total), MIN(${purchasedAt}), MAX(${purchasedAt}), ${avgGap},
            MAX(${purchasedAt}) + INTERVAL ROUND(COALESCE(${avgGap}, ?) * ${DAY_SECONDS}) SECOND,
            ?
       FROM orders
      WHERE shop_id = ? AND status IN (?) AND email IS NOT NULL AND TRIM(email) <> ''${options.customerKey ? ' AND email = ? AND LOWER(TRIM(email)) = ?' : ''}
      GROUP BY shop_id, LOWER(TRIM(email))
     ON DUPLICATE KEY UPDATE email = VALUES(email), phone = VALUES(phone), last_order_id = VALUES(last_order_id), orders_count = VALUES(orders_count),
       total_spent = VALUES(total_spent), first_purchase_at = VALUES(first_purchase_at), last_purchase_at = VALUES(last_purchase_at),
       avg_gap_days = VALUES(avg_gap_days), expected_next_at = VALUES(expected_next_at), updated_at = VALUES(updated_at)`,
    [
      options.defaultIntervalDays,
      options.now,
      shopId,
      [...PAID_STATUSES],
      ...(options.customerKey ? [options.customerKey, options.customerKey] : []),
    ],
  );
}

/** Removes the shop's customers (or the one named) stamped strictly before `stamp`: a later stamp is a refresh made meanwhile. */
export async function deleteCustomersStampedBefore(db: Queryable, shopId: number, stamp: Date, customerKey?: string): Promise<void> {
  if (customerKey)
    await execute(db, 'DELETE FROM customers WHERE shop_id = ? AND customer_key = ? AND updated_at < ?', [shopId, customerKey, stamp]);
  else await execute(db, 'DELETE FROM customers WHERE shop_id = ? AND updated_at < ?', [shopId, stamp]);
}

/** Removes the tags, manual ones too, of those who are no longer customers of the shop. */
export async function deleteTagsOfFormerCustomers(db: Queryable, shopId: number): Promise<void> {
  await execute(
    db,
    'DELETE FROM customer_tags WHERE shop_id = ? AND customer_key NOT IN (SELECT customer_key FROM customers WHERE shop_id = ?)',
    [shopId, shopId],
  );
}

/** How many customers the shop has, or how many carry `tag`. */
export async function countCustomers(db: Queryable, shopId: number, tag?: string): Promise<number> {
  const { where, params } = tagFilter(shopId, tag);
  return (await selectOne(db, `SELECT COUNT(*) AS n FROM customers c WHERE c.shop_id = ?${where}`, params, (r) => r.num('n'))) ?? 0;
}

/** The total spent by the customer at this place (1 = the top spender), or null past the last. */
export async function totalSpentAtRank(db: Queryable, shopId: number, rank: number): Promise<string | null> {
  return selectOne(
    db,
    'SELECT total_spent FROM customers WHERE shop_id = ? ORDER BY total_spent DESC LIMIT 1 OFFSET ?',
    [shopId, rank - 1],
    (r) => r.str('total_spent'),
  );
}

/** Every shop with at least one order. */
export async function shopsWithOrders(db: Queryable): Promise<number[]> {
  return selectRows(db, 'SELECT id FROM shops WHERE EXISTS (SELECT 1 FROM orders WHERE orders.shop_id = shops.id)', [], (r) => r.num('id'));
}

/** Locks the customer's row until the transaction ends; false when the shop has no such customer. */
export async function lockCustomer(db: Queryable, shopId: number, customerKey: string): Promise<boolean> {
  return (
    (await selectOne(
      db,
      'SELECT customer_key FROM customers WHERE shop_id = ? AND customer_key = ? FOR UPDATE',
      [shopId, customerKey],
      () => true,
    )) ?? false
  );
}

/** A page of the shop's customers (or of those with `tag`), the latest buyers first. */
export async function listCustomers(
  db: Queryable,
  shopId: number,
  page: { tag?: string; limit: number; offset: number },
): Promise<CustomerView[]> {
  const { where, params } = tagFilter(shopId, page.tag);
  return selectRows(
    db,
    `${CUSTOMER_VIEW_SELECT}${where} ORDER BY c.last_purchase_at DESC, c.customer_key LIMIT ? OFFSET ?`,
    [...params, page.limit, page.offset],
    customerView,
  );
}

export async function loadCustomer(db: Queryable, shopId: number, customerKey: string): Promise<CustomerView | null> {
  return selectOne(db, `${CUSTOMER_VIEW_SELECT} AND c.customer_key = ?`, [shopId, customerKey], customerView);
}

function tagFilter(shopId: number, tag: string | undefined): { where: string; params: unknown[] } {
  return tag
    ? {
        where: ' AND c.customer_key IN (SELECT customer_key FROM customer_tags WHERE shop_id = c.shop_id AND tag = ?)',
        params: [shopId, tag],
      }
    : { where: '', params: [shopId] };
}

/** The latest change of the customer's consent on a channel, for their email or their phone. */
const consentOf = (channel: string, address: string) =>
  `(SELECT k.status FROM consents k WHERE k.shop_id = c.shop_id AND k.address = ${address} AND k.channel = '${channel}' AND k.purpose = 'marketing') AS consent_${channel}`;

/**
 * A customer with their tags (one line each: tags are never multi-line), the name and country of
 * their latest paid order, what loyalty programs told us (language, zone, birthday, balances) and
 * their consent per channel. Ends in `WHERE c.shop_id = ?` for the caller's conditions.
 */
const CUSTOMER_VIEW_SELECT = `SELECT c.*, (SELECT GROUP_CONCAT(tag ORDER BY tag SEPARATOR '\\n') FROM customer_tags t
  WHERE t.shop_id = c.shop_id AND t.customer_key = c.customer_key) AS tags,
  JSON_VALUE(o.snapshot, '$.billing.first_name') AS first_name, JSON_VALUE(o.snapshot, '$.billing.last_name') AS last_name,
  JSON_VALUE(o.snapshot, '$.billing.country') AS country,
  p.first_name AS profile_first_name, p.language, p.time_zone, p.birth_month, p.birth_day, p.points, p.cashback,
  ${consentOf('email', 'c.customer_key')}, ${consentOf('sms', CUSTOMER_PHONE_ADDRESS_SQL)}, ${consentOf('whatsapp', CUSTOMER_PHONE_ADDRESS_SQL)}
  FROM customers c LEFT JOIN orders o ON o.shop_id = c.shop_id AND o.order_id = c.last_order_id
  LEFT JOIN customer_profiles p ON p.shop_id = c.shop_id AND p.customer_key = c.customer_key WHERE c.shop_id = ?`;

function customerView(r: Row): CustomerView {
  const tags = r.str('tags');
  const birthMonth = r.numOrNull('birth_month');
  return {
    email: r.strOrNull('email') ?? r.str('customer_key'),
    phone: r.strOrNull('phone'),
    orders: r.num('orders_count'),
    totalSpent: r.str('total_spent'),
    firstPurchaseAt: r.dateOrNull('first_purchase_at'),
    lastPurchaseAt: r.dateOrNull('last_purchase_at'),
    averageDaysBetweenPurchases: r.numOrNull('avg_gap_days'),
    expectedNextPurchaseAt: r.dateOrNull('expected_next_at'),
    tags: tags ? tags.split('\n') : [],
    firstName: r.strOrNull('profile_first_name') ?? r.strOrNull('first_name'),
    lastName: r.strOrNull('last_name'),
    country: r.strOrNull('country'),
    language: r.strOrNull('language'),
    timeZone: r.strOrNull('time_zone'),
    // Loyalty programs write the month and the day together (loyalty-events.ts).
    birthday: birthMonth ? `${String(birthMonth).padStart(2, '0')}-${String(r.num('birth_day')).padStart(2, '0')}` : null,
    points: r.strOrNull('points'),
    cashback: r.strOrNull('cashback'),
    consent: {
      email: consentStatus(r.strOrNull('consent_email')),
      sms: consentStatus(r.strOrNull('consent_sms')),
      whatsapp: consentStatus(r.strOrNull('consent_whatsapp')),
    },
  };
}

const consentStatus = (status: string | null) => status as ConsentStatus | null;
