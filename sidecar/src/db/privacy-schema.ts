import { char, primaryKey, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { createdAt, id, ref, time } from './schema.ts';

// The tables of privacy requests and retention (issue J): who asked to be erased, kept only as a
// salted hash, and how far the retention job has pruned.

/** The per-shop salt of suppression hashes: a leaked table of hashes cannot be matched against a list of addresses from elsewhere. */
export const privacySalts = mysqlTable('privacy_salts', {
  shopId: ref('shop_id').primaryKey(),
  salt: char('salt', { length: 64 }).notNull(),
  createdAt: createdAt(),
});

/**
 * A person erased on request: sha256(salt + address) of each of their addresses (emails lower-cased,
 * phones E.164). Never messaged again: flows, campaigns, cart capture, loyalty events and consent
 * grants refuse a suppressed address.
 */
export const suppressions = mysqlTable(
  'suppressions',
  {
    id: id(),
    shopId: ref('shop_id').notNull(),
    addressHash: char('address_hash', { length: 64 }).notNull(),
    /** 'erased' (a privacy request); room for others later. */
    reason: varchar('reason', { length: 32 }).notNull().default('erased'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('suppressions_hash').on(t.shopId, t.addressHash)],
);

/** How far each retention rule has pruned a shop: the next run starts there, so rows already pruned are never scanned again. */
export const retentionMarks = mysqlTable(
  'retention_marks',
  {
    shopId: ref('shop_id').notNull(),
    rule: varchar('rule', { length: 32 }).notNull(),
    prunedUntil: time('pruned_until').notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.rule] })],
);
