import { selectOne, selectRows, type Queryable, type Row } from '../../db/queryable.ts';
import { gatewayTitle } from '../../messages/display-format.ts';
import { TEST_KEY_PREFIX } from '../../messages/outbox-store.ts';

// What a preview may render against: the shop's own orders, carts and customers (the editor's
// subject picker lists the newest), and the test sends already made (their limit).

/** One subject the editor may pick, labelled as the merchant knows it. */
export type PreviewSubjectOption = { kind: 'order' | 'cart' | 'customer'; id: string; label: string };

export type PreviewOrder = { snapshot: unknown; paymentMethod: string; status: string };

/** The shop's newest stored orders with something to pay, newest first, with their payment method and payload as stored. */
export async function newestOrdersToPay(db: Queryable, shopId: number, limit: number): Promise<PreviewOrder[]> {
  return selectRows(
    db,
    'SELECT snapshot, payment_method, status FROM orders WHERE shop_id = ? AND total > 0 ORDER BY date_created DESC LIMIT ?',
    [shopId, limit],
    (r) => ({ snapshot: r.json('snapshot'), paymentMethod: r.str('payment_method'), status: r.str('status') }),
  );
}

/** The newest orders, "#1042 · Anna Schmidt · pending · Direct bank transfer" (how each was paid as its customer saw it). */
export async function orderOptions(db: Queryable, shopId: number, limit: number): Promise<PreviewSubjectOption[]> {
  return selectRows(
    db,
    `SELECT order_id, status, payment_method, JSON_VALUE(snapshot, '$.number') AS number,
            JSON_VALUE(snapshot, '$.payment_method_title') AS payment_title,
            CONCAT_WS(' ', JSON_VALUE(snapshot, '$.billing.first_name'), JSON_VALUE(snapshot, '$.billing.last_name')) AS name
       FROM orders WHERE shop_id = ? ORDER BY date_created DESC LIMIT ?`,
    [shopId, limit],
    (r) => ({
      kind: 'order' as const,
      id: String(r.num('order_id')),
      label: [`#${r.strOrNull('number') ?? r.num('order_id')}`, r.str('name').trim(), r.str('status'), paymentTitle(r)]
        .filter(Boolean)
        .join(' · '),
    }),
  );
}

const paymentTitle = (r: Row) =>
  r.strOrNull('payment_title')?.trim() || (r.str('payment_method') ? gatewayTitle(r.str('payment_method')) : '');

/** The newest captured carts, "Cart 7 · Anna · abandoned · 64.40 EUR". */
export async function cartOptions(db: Queryable, shopId: number, limit: number): Promise<PreviewSubjectOption[]> {
  return selectRows(
    db,
    `SELECT id, COALESCE(first_name, email, phone, '') AS who, status, total, COALESCE(currency, '') AS currency
       FROM carts WHERE shop_id = ? ORDER BY last_activity_at DESC LIMIT ?`,
    [shopId, limit],
    (r) => ({
      kind: 'cart' as const,
      id: String(r.num('id')),
      label: [`Cart ${r.num('id')}`, r.str('who'), r.str('status'), `${r.str('total')} ${r.str('currency')}`.trim()]
        .filter(Boolean)
        .join(' · '),
    }),
  );
}

/** The latest buyers, then people only a loyalty program told us of: "Anna Schmidt · anna@example.com". */
export async function customerOptions(db: Queryable, shopId: number, limit: number): Promise<PreviewSubjectOption[]> {
  return selectRows(
    db,
    `SELECT customer_key, name FROM (
       SELECT c.customer_key, c.last_purchase_at AS at,
              CONCAT_WS(' ', JSON_VALUE(o.snapshot, '$.billing.first_name'), JSON_VALUE(o.snapshot, '$.billing.last_name')) AS name
         FROM customers c LEFT JOIN orders o ON o.shop_id = c.shop_id AND o.order_id = c.last_order_id WHERE c.shop_id = ?
       UNION ALL
       SELECT p.customer_key, p.updated_at, COALESCE(p.first_name, '') FROM customer_profiles p
        WHERE p.shop_id = ? AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.shop_id = p.shop_id AND c.customer_key = p.customer_key)
     ) known ORDER BY at DESC LIMIT ?`,
    [shopId, shopId, limit],
    (r) => ({
      kind: 'customer' as const,
      id: r.str('customer_key'),
      label: [(r.strOrNull('name') ?? '').trim(), r.str('customer_key')].filter(Boolean).join(' · '),
    }),
  );
}

/** The customer's latest loyalty event of one of these types: what a loyalty notice to them would be about. */
export async function latestLoyaltyEventId(db: Queryable, shopId: number, customerKey: string, types: string[]): Promise<number | null> {
  if (types.length === 0) return null;
  return selectOne(
    db,
    'SELECT id FROM loyalty_events WHERE shop_id = ? AND customer_key = ? AND type IN (?) ORDER BY occurred_at DESC, id DESC LIMIT 1',
    [shopId, customerKey, types],
    (r) => r.num('id'),
  );
}

/**
 * How many test messages (or, by `prefix`, other messages whose outbox key starts so: a test
 * recipient's confirmations) the shop sent since `since`, and the oldest of them: both are limited per shop.
 */
export async function testSendsSince(
  db: Queryable,
  shopId: number,
  since: Date,
  prefix: string = TEST_KEY_PREFIX,
): Promise<{ count: number; oldest: Date | null }> {
  return (
    (await selectOne(
      db,
      "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE shop_id = ? AND created_at >= ? AND idempotency_key LIKE CONCAT(?, '%')",
      [shopId, since, prefix],
      (r) => ({ count: r.num('n'), oldest: r.dateOrNull('oldest') }),
    )) ?? { count: 0, oldest: null }
  );
}
