import { execute, selectRows, type Queryable } from '../db/queryable.ts';
import { eventIdsOf } from './export-store.ts';
import type { Person } from './person.ts';
import { orNone, rowsNaming, type PersonRows } from './person-store.ts';

// Erasing one person, table by table, each call touching at most `limit` rows and answering how
// many it changed: the caller goes on while a call filled its limit. Rows the reports count
// (messages sent, clicks, survey scores, enrollments, orders) stay, emptied of what names anyone;
// rows that are only about the person go.

/** Stored deliveries about the person's orders: their bodies emptied; one not processed yet is never processed. */
export async function eraseEvents(db: Queryable, shopId: number, person: Person, found: PersonRows, limit: number): Promise<number> {
  const ids = await eventIdsOf(db, shopId, person, found.orderIds, limit);
  if (ids.length === 0) return 0;
  return (
    await execute(db, "UPDATE events SET body = '', error = NULL, status = IF(status = 'received', 'erased', status) WHERE id IN (?)", [
      ids,
    ])
  ).affectedRows;
}

/** Messages to the person: a waiting one cancelled; address, subject, bodies and errors emptied; channel, step, status and times kept for the reports. */
export async function eraseMessages(db: Queryable, found: PersonRows, limit: number): Promise<number> {
  return (
    await execute(
      db,
      `UPDATE outbox SET status = IF(status IN ('pending', 'retry'), 'cancelled', status), next_attempt_at = IF(status = 'cancelled', NULL, next_attempt_at),
              recipient = '', subject = NULL, body_html = NULL, body_text = NULL, headers = NULL, payload = NULL, customer_key = NULL,
              last_error = NULL, delivery_error = NULL
        WHERE id IN (?) AND (recipient <> '' OR body_html IS NOT NULL OR body_text IS NOT NULL OR customer_key IS NOT NULL) LIMIT ?`,
      [orNone(found.outboxIds), limit],
    )
  ).affectedRows;
}

/** Clicks on the person's messages: the browser forgotten, the click (counted by the reports) kept. */
export async function eraseClicks(db: Queryable, found: PersonRows, limit: number): Promise<number> {
  return (
    await execute(db, 'UPDATE clicks SET user_agent = NULL WHERE outbox_id IN (?) AND user_agent IS NOT NULL LIMIT ?', [
      orNone(found.outboxIds),
      limit,
    ])
  ).affectedRows;
}

/** Survey answers: the comment and whose it was forgotten, the score (in the shop's NPS) kept. */
export async function eraseNpsAnswers(db: Queryable, shopId: number, person: Person, found: PersonRows, limit: number): Promise<number> {
  return (
    await execute(
      db,
      `UPDATE nps_responses SET comment = NULL, customer_key = NULL
        WHERE shop_id = ? AND (customer_key IN (?) OR outbox_id IN (?)) AND (comment IS NOT NULL OR customer_key IS NOT NULL) LIMIT ?`,
      [shopId, orNone(person.addresses), orNone(found.outboxIds), limit],
    )
  ).affectedRows;
}

/** The person's enrollments: ended (nothing more goes), their step log's details and last error emptied, the customer key forgotten. */
export async function eraseEnrollments(db: Queryable, found: PersonRows, now: Date, limit: number): Promise<number> {
  const ids = found.enrollmentIds;
  if (ids.length === 0) return 0;
  await execute(db, 'UPDATE step_log SET detail = NULL WHERE enrollment_id IN (?) AND detail IS NOT NULL', [ids]);
  return (
    await execute(
      db,
      `UPDATE enrollments SET status = IF(status = 'active', 'exited', status), exit_reason = IF(status = 'exited' AND exited_at IS NULL, 'erased', exit_reason),
              exited_at = IF(status = 'exited' AND exited_at IS NULL, ?, exited_at), next_step_at = NULL, customer_key = NULL, last_error = NULL
        WHERE id IN (?) AND (status = 'active' OR customer_key IS NOT NULL OR last_error IS NOT NULL) LIMIT ?`,
      [now, ids, limit],
    )
  ).affectedRows;
}

/** Rows only about the person: carts, consents and their history, a test recipient the merchant added, conversations with what they wrote, loyalty events, the customer, their profile and tags. */
export async function deletePersonRows(db: Queryable, shopId: number, person: Person, found: PersonRows, limit: number): Promise<number> {
  let n = 0;
  n += (await execute(db, 'DELETE FROM carts WHERE id IN (?) LIMIT ?', [orNone(found.cartIds), limit])).affectedRows;
  for (const table of ['consents', 'consent_log', 'test_recipients'])
    n += (await execute(db, `DELETE FROM ${table} WHERE shop_id = ? AND address IN (?) LIMIT ?`, [shopId, orNone(person.addresses), limit]))
      .affectedRows;
  if (found.conversationIds.length) {
    n += (await execute(db, 'DELETE FROM inbound_messages WHERE conversation_id IN (?) LIMIT ?', [found.conversationIds, limit]))
      .affectedRows;
    const left = await selectRows(
      db,
      'SELECT 1 FROM inbound_messages WHERE conversation_id IN (?) LIMIT 1',
      [found.conversationIds],
      () => 1,
    );
    if (left.length === 0) n += (await execute(db, 'DELETE FROM conversations WHERE id IN (?)', [found.conversationIds])).affectedRows;
  }
  n += (
    await execute(db, 'DELETE FROM loyalty_events WHERE shop_id = ? AND customer_key IN (?) LIMIT ?', [
      shopId,
      orNone(person.addresses),
      limit,
    ])
  ).affectedRows;
  const profileKeys = await rowsNaming(db, shopId, person, {
    table: 'customer_profiles',
    id: 'customer_key',
    key: 'customer_key',
    email: 'email',
    phone: 'phone',
  });
  const customerKeys = await selectRows(db, 'SELECT customer_key FROM customers WHERE id IN (?)', [orNone(found.customerIds)], (r) =>
    r.str('customer_key'),
  );
  const keys = orNone([...new Set([...person.addresses, ...profileKeys.map(String), ...customerKeys])]);
  n += (await execute(db, 'DELETE FROM customer_tags WHERE shop_id = ? AND customer_key IN (?)', [shopId, keys])).affectedRows;
  n += (await execute(db, 'DELETE FROM customer_profiles WHERE shop_id = ? AND customer_key IN (?)', [shopId, keys])).affectedRows;
  n += (await execute(db, 'DELETE FROM customers WHERE shop_id = ? AND customer_key IN (?)', [shopId, keys])).affectedRows;
  return n;
}

/** The person's coupons Comeback issued that are still usable in the shop (WooCommerce restricts them to the address). */
export function unusedCouponsOf(db: Queryable, shopId: number, person: Person, limit: number) {
  return selectRows(
    db,
    'SELECT id, coupon_id, code FROM coupons WHERE shop_id = ? AND customer_key IN (?) AND used_at IS NULL AND removed_at IS NULL LIMIT ?',
    [shopId, orNone(person.addresses), limit],
    (r) => ({ id: r.num('id'), couponId: r.num('coupon_id'), code: r.str('code') }),
  );
}

export async function markCouponRemoved(db: Queryable, id: number, now: Date): Promise<void> {
  await execute(db, 'UPDATE coupons SET removed_at = ? WHERE id = ?', [now, id]);
}

/** Coupons' rows: whose they were forgotten (a unique placeholder per row); code, offer and use kept for the reports. */
export async function forgetCouponOwners(db: Queryable, shopId: number, person: Person, limit: number): Promise<number> {
  return (
    await execute(db, "UPDATE coupons SET customer_key = CONCAT('erased:', id) WHERE shop_id = ? AND customer_key IN (?) LIMIT ?", [
      shopId,
      orNone(person.addresses),
      limit,
    ])
  ).affectedRows;
}

/** Up to `limit` of the person's orders with their snapshot, for anonymising. */
export function ordersToAnonymise(db: Queryable, shopId: number, found: PersonRows, limit: number) {
  return selectRows(
    db,
    'SELECT order_id, snapshot FROM orders WHERE shop_id = ? AND order_id IN (?) LIMIT ?',
    [shopId, orNone(found.orderIds), limit],
    (r) => ({ orderId: r.num('order_id'), snapshot: r.json<unknown>('snapshot') }),
  );
}

/** Stores an order without its email and phone and with its anonymised snapshot. */
export async function storeAnonymisedOrder(db: Queryable, shopId: number, orderId: number, snapshot: unknown): Promise<void> {
  await execute(db, 'UPDATE orders SET email = NULL, phone = NULL, snapshot = ? WHERE shop_id = ? AND order_id = ?', [
    JSON.stringify(snapshot),
    shopId,
    orderId,
  ]);
}
