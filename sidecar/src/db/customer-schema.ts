import { sql } from 'drizzle-orm';
import {
  boolean,
  decimal,
  double,
  index,
  int,
  json,
  mysqlTable,
  smallint,
  text,
  tinyint,
  uniqueIndex,
  varbinary,
  varchar,
} from 'drizzle-orm/mysql-core';
import { createdAt, id, ref, time } from './schema.ts';

// The tables about customers rather than orders (issue F): who they are, their segments, their
// coupons, what loyalty programs tell us about them, and the campaigns sent to them.

/**
 * One customer of a shop, as their paid orders describe them; rebuilt from `orders` in SQL
 * (segments/customer-stats.ts). Keyed by the lower-cased billing email: guests and accounts alike.
 * `id` stays with the customer across rebuilds (an upsert), so enrollments can name them.
 */
export const customers = mysqlTable(
  'customers',
  {
    id: id(),
    shopId: ref('shop_id').notNull(),
    customerKey: varchar('customer_key', { length: 255 }).notNull(),
    email: varchar('email', { length: 255 }),
    phone: varchar('phone', { length: 32 }),
    /** Their latest paid order: where the name and billing country are read from. */
    lastOrderId: ref('last_order_id'),
    ordersCount: int('orders_count').notNull(),
    totalSpent: decimal('total_spent', { precision: 14, scale: 4 }).notNull(),
    firstPurchaseAt: time('first_purchase_at').notNull(),
    lastPurchaseAt: time('last_purchase_at').notNull(),
    /** Mean days between purchases; null with a single purchase (the shop's default interval applies). */
    avgGapDays: double('avg_gap_days'),
    /** Last purchase plus the customer's own rhythm, or the default interval. */
    expectedNextAt: time('expected_next_at').notNull(),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('customers_pk').on(t.shopId, t.customerKey),
    index('customers_last').on(t.shopId, t.lastPurchaseAt),
    index('customers_spent').on(t.shopId, t.totalSpent),
  ],
);

/**
 * What the shop's orders do not say about a customer: told by loyalty programs (POST /api/events)
 * or the merchant. Kept apart from `customers`, which is rebuilt from orders every hour.
 */
export const customerProfiles = mysqlTable(
  'customer_profiles',
  {
    shopId: ref('shop_id').notNull(),
    customerKey: varchar('customer_key', { length: 255 }).notNull(),
    email: varchar('email', { length: 255 }),
    phone: varchar('phone', { length: 32 }),
    firstName: varchar('first_name', { length: 120 }),
    /** BCP 47, e.g. "pl" or "de-AT". */
    language: varchar('language', { length: 16 }),
    /** IANA zone; without it the billing country's zone (or the shop's) is used. */
    timeZone: varchar('time_zone', { length: 64 }),
    birthMonth: tinyint('birth_month'),
    birthDay: tinyint('birth_day'),
    points: decimal('points', { precision: 14, scale: 2 }),
    cashback: decimal('cashback', { precision: 14, scale: 2 }),
    /** The currency of the points' worth, when the program gives one. */
    currency: varchar('currency', { length: 3 }),
    cashbackCurrency: varchar('cashback_currency', { length: 3 }),
    portalUrl: varchar('portal_url', { length: 1024 }),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('customer_profiles_pk').on(t.shopId, t.customerKey),
    index('customer_profiles_birthday').on(t.shopId, t.birthMonth, t.birthDay),
  ],
);

/** Segment tags per customer: computed ones (rebuilt with the stats) and the merchant's manual ones. */
export const customerTags = mysqlTable(
  'customer_tags',
  {
    shopId: ref('shop_id').notNull(),
    customerKey: varchar('customer_key', { length: 255 }).notNull(),
    tag: varchar('tag', { length: 64 }).notNull(),
    manual: boolean('manual').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('customer_tags_pk').on(t.shopId, t.customerKey, t.tag), index('customer_tags_tag').on(t.shopId, t.tag)],
);

/** The personal coupons Comeback created in WooCommerce: whose, which offer, until when, and what became of them. */
export const coupons = mysqlTable(
  'coupons',
  {
    id: id(),
    shopId: ref('shop_id').notNull(),
    /** WooCommerce's coupon id. */
    couponId: ref('coupon_id').notNull(),
    code: varchar('code', { length: 64 }).notNull(),
    customerKey: varchar('customer_key', { length: 255 }).notNull(),
    /** What issued it, e.g. "enrollment:12:step:1", so one step never issues two. */
    issuedFor: varchar('issued_for', { length: 128 }).notNull(),
    /** The enrollment whose message carried it (reports: redemptions per flow and step). */
    enrollmentId: ref('enrollment_id'),
    step: smallint('step'),
    discountType: varchar('discount_type', { length: 16 }).notNull(),
    amount: decimal('amount', { precision: 14, scale: 4 }).notNull(),
    expiresAt: time('expires_at').notNull(),
    createdAt: createdAt(),
    usedAt: time('used_at'),
    /** The paid order it was used in. */
    orderId: ref('order_id'),
    /** Deleted from WooCommerce after expiring unused. */
    removedAt: time('removed_at'),
  },
  (t) => [
    uniqueIndex('coupons_code').on(t.shopId, t.code),
    uniqueIndex('coupons_once').on(t.shopId, t.customerKey, t.issuedFor),
    index('coupons_expiry').on(t.shopId, t.expiresAt),
  ],
);

/** A shop's first import of its order history: where it is, so a stopped import goes on from there. */
export const orderImports = mysqlTable('order_imports', {
  shopId: ref('shop_id').primaryKey(),
  status: varchar('status', { length: 16 }).notNull(),
  /** The next page (100 orders, oldest id first) to read. */
  nextPage: int('next_page').notNull().default(1),
  totalPages: int('total_pages'),
  totalOrders: int('total_orders'),
  imported: int('imported').notNull().default(0),
  lastError: text('last_error'),
  startedAt: time('started_at').notNull(),
  updatedAt: time('updated_at').notNull(),
  finishedAt: time('finished_at'),
});

/**
 * What a loyalty program outside WooCommerce told us (POST /api/events): a balance, a voucher, a
 * birthday, an NPS request, a portal link. `source_id` is the program's own id for the event, so
 * a retried delivery is stored once.
 */
export const loyaltyEvents = mysqlTable(
  'loyalty_events',
  {
    id: id(),
    shopId: ref('shop_id').notNull(),
    /** Bytes, compared exactly: "evt_AbC" and "evt_abc " are two events, not a duplicate. */
    sourceId: varbinary('source_id', { length: 128 }).notNull(),
    type: varchar('type', { length: 32 }).notNull(),
    customerKey: varchar('customer_key', { length: 255 }).notNull(),
    payload: json('payload').notNull(),
    occurredAt: time('occurred_at').notNull(),
    receivedAt: createdAt(),
    /** When the flows it triggers took it in; null until then (a crash in between: the sweep does it). */
    flowsEnteredAt: time('flows_entered_at'),
  },
  (t) => [
    uniqueIndex('loyalty_events_source').on(t.shopId, t.sourceId),
    index('loyalty_events_customer').on(t.shopId, t.customerKey, t.type),
    index('loyalty_events_pending').on(t.flowsEnteredAt, t.receivedAt),
  ],
);

/** Answers to NPS surveys: one per message (answering again changes it). */
export const npsResponses = mysqlTable(
  'nps_responses',
  {
    id: id(),
    shopId: ref('shop_id').notNull(),
    outboxId: ref('outbox_id').notNull(),
    enrollmentId: ref('enrollment_id'),
    customerKey: varchar('customer_key', { length: 255 }),
    score: tinyint('score').notNull(),
    comment: text('comment'),
    answeredAt: time('answered_at').notNull(),
  },
  (t) => [uniqueIndex('nps_responses_message').on(t.outboxId), index('nps_responses_shop').on(t.shopId, t.answeredAt)],
);

/**
 * A one-off broadcast to a segment. Its message is the single step of an ordinary flow (key
 * `campaign-<id>`), so consent, caps, quiet hours and hold-out are the flows' own rules; the
 * launch enters the audience with their sends spread `per_minute`.
 */
export const campaigns = mysqlTable(
  'campaigns',
  {
    id: id(),
    shopId: ref('shop_id').notNull(),
    name: varchar('name', { length: 120 }).notNull(),
    flowKey: varchar('flow_key', { length: 64 }).notNull(),
    /** The segment tags the audience has (any of); empty = every customer. */
    tags: json('tags').notNull(),
    sendAt: time('send_at'),
    perMinute: int('per_minute').notNull().default(60),
    /** draft → scheduled → sending → sent; or cancelled. */
    status: varchar('status', { length: 16 }).notNull().default('draft'),
    audience: int('audience'),
    launchedAt: time('launched_at'),
    createdAt: createdAt(),
    updatedAt: time('updated_at')
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [uniqueIndex('campaigns_flow').on(t.shopId, t.flowKey), index('campaigns_due').on(t.status, t.sendAt)],
);
