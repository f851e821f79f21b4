import { selectRows, type Queryable } from '../db/queryable.ts';
import type { Person } from './person.ts';
import { orNone, rowsNaming, type PersonRows } from './person-store.ts';

// What Comeback holds about one person, group by group, for an export: each group lists its row
// ids (cheap, to page over) and reads the rows of one page.

/** One exported row: its fields by name, as text (dates in ISO 8601, JSON as its text). */
export type ExportRow = { id: string; fields: Array<[name: string, value: string | null]> };
export type GroupSource = { ids(): Promise<Array<number | string>>; rows(ids: Array<number | string>): Promise<ExportRow[]> };

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/**
 * The shop's stored deliveries (with a body) about the person's orders or naming their email
 * anywhere (a customer's or a note's field), oldest first; at most `limit`.
 */
export function eventIdsOf(db: Queryable, shopId: number, person: Person, orderIds: number[], limit = 1_000_000): Promise<number[]> {
  return selectRows(
    db,
    `SELECT id FROM events WHERE shop_id = ? AND body <> ''
        AND ((topic LIKE 'order.%' AND resource_id IN (?)) ${person.emails.map(() => 'OR body LIKE ?').join(' ')}) ORDER BY id LIMIT ?`,
    [shopId, orNone(orderIds), ...person.emails.map((e) => `%${e.replace(/[\\%_]/g, '\\$&')}%`), limit],
    (r) => r.num('id'),
  );
}

/** The sources of every group, for one person of one shop. */
export function exportSources(db: Queryable, shopId: number, person: Person, found: PersonRows): Record<string, GroupSource> {
  const byIds =
    (ids: number[]): GroupSource['ids'] =>
    () =>
      Promise.resolve(ids);
  return {
    profile: {
      ids: async () => [
        ...found.customerIds.map((id) => `customer:${id}`),
        ...(
          await rowsNaming(db, shopId, person, {
            table: 'customer_profiles',
            id: 'customer_key',
            key: 'customer_key',
            email: 'email',
            phone: 'phone',
          })
        ).map((key) => `profile:${key}`),
      ],
      rows: async (ids) => {
        const customers = ids.filter((i) => String(i).startsWith('customer:')).map((i) => Number(String(i).slice(9)));
        const keys = ids.filter((i) => String(i).startsWith('profile:')).map((i) => String(i).slice(8));
        const a = await selectRows(
          db,
          `SELECT c.id, c.customer_key, c.email, c.phone, c.orders_count, c.total_spent, c.first_purchase_at, c.last_purchase_at,
                  (SELECT GROUP_CONCAT(t.tag ORDER BY t.tag SEPARATOR ', ') FROM customer_tags t WHERE t.shop_id = c.shop_id AND t.customer_key = c.customer_key) AS tags
             FROM customers c WHERE c.shop_id = ? AND c.id IN (?)`,
          [shopId, orNone(customers)],
          (r) => ({
            id: `customer:${r.num('id')}`,
            fields: [
              ['Email', r.strOrNull('email')],
              ['Phone', r.strOrNull('phone')],
              ['Paid orders', r.str('orders_count')],
              ['Total spent', r.str('total_spent')],
              ['First purchase', iso(r.dateOrNull('first_purchase_at'))],
              ['Last purchase', iso(r.dateOrNull('last_purchase_at'))],
              ['Segments', r.strOrNull('tags')],
            ] as ExportRow['fields'],
          }),
        );
        const b = await selectRows(
          db,
          `SELECT customer_key, email, phone, first_name, language, time_zone, birth_month, birth_day, points, cashback, currency, portal_url, updated_at
             FROM customer_profiles WHERE shop_id = ? AND customer_key IN (?)`,
          [shopId, orNone(keys)],
          (r) => ({
            id: `profile:${r.str('customer_key')}`,
            fields: [
              ['Email', r.strOrNull('email')],
              ['Phone', r.strOrNull('phone')],
              ['First name', r.strOrNull('first_name')],
              ['Language', r.strOrNull('language')],
              ['Time zone', r.strOrNull('time_zone')],
              ['Birthday', r.numOrNull('birth_month') ? `${r.num('birth_month')}-${r.num('birth_day')}` : null],
              ['Points', r.strOrNull('points')],
              ['Cashback', r.strOrNull('cashback')],
              ['Loyalty page', r.strOrNull('portal_url')],
              ['Updated', iso(r.dateOrNull('updated_at'))],
            ] as ExportRow['fields'],
          }),
        );
        return [...a, ...b];
      },
    },
    orders: {
      ids: byIds(found.orderIds),
      rows: (ids) =>
        selectRows(
          db,
          'SELECT order_id, status, total, currency, email, phone, date_created, date_paid, snapshot FROM orders WHERE shop_id = ? AND order_id IN (?) ORDER BY order_id',
          [shopId, orNone(ids)],
          (r) => ({
            id: `order:${r.num('order_id')}`,
            fields: [
              ['Order', r.str('order_id')],
              ['Status', r.str('status')],
              ['Total', `${r.str('total')} ${r.str('currency')}`.trim()],
              ['Email', r.strOrNull('email')],
              ['Phone', r.strOrNull('phone')],
              ['Placed', iso(r.dateOrNull('date_created'))],
              ['Paid', iso(r.dateOrNull('date_paid'))],
              ['The order as the shop sent it', json(r.json('snapshot'))],
            ],
          }),
        ),
    },
    events: {
      ids: () => eventIdsOf(db, shopId, person, found.orderIds),
      rows: (ids) =>
        selectRows(db, 'SELECT id, topic, received_at, body FROM events WHERE id IN (?) ORDER BY id', [orNone(ids)], (r) => ({
          id: `event:${r.num('id')}`,
          fields: [
            ['Topic', r.str('topic')],
            ['Received', iso(r.dateOrNull('received_at'))],
            ['What the shop sent', r.str('body')],
          ],
        })),
    },
    messages: {
      ids: byIds(found.outboxIds),
      rows: (ids) =>
        selectRows(
          db,
          `SELECT id, channel, recipient, subject, status, created_at, sent_at, delivery_status, body_text, body_html
             FROM outbox WHERE id IN (?) ORDER BY id`,
          [orNone(ids)],
          (r) => ({
            id: `message:${r.num('id')}`,
            fields: [
              ['Channel', r.str('channel')],
              ['To', r.str('recipient')],
              ['Subject', r.strOrNull('subject')],
              ['Status', r.str('status')],
              ['Queued', iso(r.dateOrNull('created_at'))],
              ['Sent', iso(r.dateOrNull('sent_at'))],
              ['Delivery', r.strOrNull('delivery_status')],
              ['Text', r.strOrNull('body_text')],
              ['HTML', r.strOrNull('body_html')],
            ],
          }),
        ),
    },
    clicks: {
      ids: () => selectRows(db, 'SELECT id FROM clicks WHERE outbox_id IN (?) ORDER BY id', [orNone(found.outboxIds)], (r) => r.num('id')),
      rows: (ids) =>
        selectRows(
          db,
          'SELECT id, outbox_id, kind, user_agent, clicked_at FROM clicks WHERE id IN (?) ORDER BY id',
          [orNone(ids)],
          (r) => ({
            id: `click:${r.num('id')}`,
            fields: [
              ['Message', r.str('outbox_id')],
              ['Link', r.str('kind')],
              ['Clicked', iso(r.dateOrNull('clicked_at'))],
              ['Browser', r.strOrNull('user_agent')],
            ],
          }),
        ),
    },
    carts: {
      ids: byIds(found.cartIds),
      rows: (ids) =>
        selectRows(
          db,
          'SELECT id, email, phone, first_name, country, contents, total, currency, status, last_activity_at FROM carts WHERE id IN (?) ORDER BY id',
          [orNone(ids)],
          (r) => ({
            id: `cart:${r.num('id')}`,
            fields: [
              ['Email', r.strOrNull('email')],
              ['Phone', r.strOrNull('phone')],
              ['First name', r.strOrNull('first_name')],
              ['Country', r.strOrNull('country')],
              ['Contents', json(r.json('contents'))],
              ['Total', `${r.str('total')} ${r.str('currency')}`.trim()],
              ['Status', r.str('status')],
              ['Last activity', iso(r.dateOrNull('last_activity_at'))],
            ],
          }),
        ),
    },
    consents: {
      ids: () =>
        selectRows(
          db,
          'SELECT id FROM consent_log WHERE shop_id = ? AND address IN (?) ORDER BY id',
          [shopId, orNone(person.addresses)],
          (r) => r.num('id'),
        ),
      rows: (ids) =>
        selectRows(
          db,
          'SELECT id, purpose, channel, address, status, source, text, changed_at, applied, refusal FROM consent_log WHERE id IN (?) ORDER BY id',
          [orNone(ids)],
          (r) => ({
            id: `consent:${r.num('id')}`,
            fields: [
              ['Purpose', r.str('purpose')],
              ['Channel', r.str('channel')],
              ['Address', r.str('address')],
              ['Status', r.str('status')],
              ['Source', r.str('source')],
              ['Wording agreed to', r.strOrNull('text')],
              ['Changed', iso(r.dateOrNull('changed_at'))],
              ['Refused', r.bool('applied') ? null : r.strOrNull('refusal')],
            ],
          }),
        ),
    },
    loyalty: {
      ids: () =>
        selectRows(
          db,
          'SELECT id FROM loyalty_events WHERE shop_id = ? AND customer_key IN (?) ORDER BY id',
          [shopId, orNone(person.addresses)],
          (r) => r.num('id'),
        ),
      rows: (ids) =>
        selectRows(db, 'SELECT id, type, payload, occurred_at FROM loyalty_events WHERE id IN (?) ORDER BY id', [orNone(ids)], (r) => ({
          id: `loyalty:${r.num('id')}`,
          fields: [
            ['Type', r.str('type')],
            ['Occurred', iso(r.dateOrNull('occurred_at'))],
            ['What the program sent', json(r.json('payload'))],
          ],
        })),
    },
    conversations: {
      ids: () =>
        selectRows(db, 'SELECT id FROM inbound_messages WHERE conversation_id IN (?) ORDER BY id', [orNone(found.conversationIds)], (r) =>
          r.num('id'),
        ),
      rows: (ids) =>
        selectRows(
          db,
          `SELECT i.id, c.channel, c.address, i.kind, i.body, i.received_at FROM inbound_messages i JOIN conversations c ON c.id = i.conversation_id
            WHERE i.id IN (?) ORDER BY i.id`,
          [orNone(ids)],
          (r) => ({
            id: `inbound:${r.num('id')}`,
            fields: [
              ['Channel', r.str('channel')],
              ['From', r.str('address')],
              ['Kind', r.str('kind')],
              ['Message', r.strOrNull('body')],
              ['Received', iso(r.dateOrNull('received_at'))],
            ],
          }),
        ),
    },
    nps: {
      ids: () =>
        selectRows(
          db,
          'SELECT id FROM nps_responses WHERE shop_id = ? AND (customer_key IN (?) OR outbox_id IN (?)) ORDER BY id',
          [shopId, orNone(person.addresses), orNone(found.outboxIds)],
          (r) => r.num('id'),
        ),
      rows: (ids) =>
        selectRows(db, 'SELECT id, score, comment, answered_at FROM nps_responses WHERE id IN (?) ORDER BY id', [orNone(ids)], (r) => ({
          id: `nps:${r.num('id')}`,
          fields: [
            ['Score', r.str('score')],
            ['Comment', r.strOrNull('comment')],
            ['Answered', iso(r.dateOrNull('answered_at'))],
          ],
        })),
    },
    coupons: {
      ids: () =>
        selectRows(
          db,
          'SELECT id FROM coupons WHERE shop_id = ? AND customer_key IN (?) ORDER BY id',
          [shopId, orNone(person.addresses)],
          (r) => r.num('id'),
        ),
      rows: (ids) =>
        selectRows(
          db,
          'SELECT id, code, discount_type, amount, expires_at, created_at, used_at, order_id FROM coupons WHERE id IN (?) ORDER BY id',
          [orNone(ids)],
          (r) => ({
            id: `coupon:${r.num('id')}`,
            fields: [
              ['Code', r.str('code')],
              ['Discount', `${r.str('amount')} (${r.str('discount_type')})`],
              ['Issued', iso(r.dateOrNull('created_at'))],
              ['Expires', iso(r.dateOrNull('expires_at'))],
              ['Used', iso(r.dateOrNull('used_at'))],
              ['Used in order', r.strOrNull('order_id')],
            ],
          }),
        ),
    },
    'test-recipients': {
      ids: () =>
        selectRows(
          db,
          'SELECT id FROM test_recipients WHERE shop_id = ? AND address IN (?) ORDER BY id',
          [shopId, orNone(person.addresses)],
          (r) => r.num('id'),
        ),
      rows: (ids) =>
        selectRows(
          db,
          'SELECT id, channel, address, created_at, verified_at FROM test_recipients WHERE id IN (?) ORDER BY id',
          [orNone(ids)],
          (r) => ({
            id: `test-recipient:${r.num('id')}`,
            fields: [
              ['Channel', r.str('channel')],
              ['Address', r.str('address')],
              ['Added', iso(r.dateOrNull('created_at'))],
              ['Confirmed', iso(r.dateOrNull('verified_at'))],
            ],
          }),
        ),
    },
  };
}
