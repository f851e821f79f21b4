import { execute, selectOne, type Queryable } from '../db/queryable.ts';

// What loyalty programs told us: their events as stored (loyalty_events) and the customer profile
// the events build up (customer_profiles).

export const PROFILE_COLUMNS = [
  'email',
  'phone',
  'first_name',
  'language',
  'time_zone',
  'birth_month',
  'birth_day',
  'points',
  'cashback',
  'currency',
  'cashback_currency',
  'portal_url',
] as const;
export type ProfileColumn = (typeof PROFILE_COLUMNS)[number];
export type ProfileFields = Partial<Record<ProfileColumn, string | number>>;

/** Where in an event's payload each of the fields every event may carry sits. */
const COMMON_FIELD_PATHS: Partial<Record<ProfileColumn, string>> = {
  email: '$.email',
  phone: '$.phone',
  first_name: '$.firstName',
  language: '$.language',
  time_zone: '$.timeZone',
};

export type LoyaltyEventRow = { shopId: number; sourceId: string; type: string; customerKey: string; payload: unknown; occurredAt: Date };

/** Stores an event unless the shop already has one with the program's id: its new id, or null for a repeat. */
export async function insertLoyaltyEventOnce(db: Queryable, event: LoyaltyEventRow): Promise<number | null> {
  const inserted = await execute(
    db,
    'INSERT IGNORE INTO loyalty_events (shop_id, source_id, type, customer_key, payload, occurred_at) VALUES (?, ?, ?, ?, ?, ?)',
    [event.shopId, event.sourceId, event.type, event.customerKey, JSON.stringify(event.payload), event.occurredAt],
  );
  return inserted.affectedRows === 0 ? null : inserted.insertId;
}

/** The event stored first under the program's id. `T` is the payload's type, as it was written. */
export async function loyaltyEventBySourceId<T>(db: Queryable, shopId: number, sourceId: string) {
  return selectOne(
    db,
    'SELECT id, type, customer_key, payload, occurred_at FROM loyalty_events WHERE shop_id = ? AND source_id = ?',
    [shopId, sourceId],
    (r) => ({
      id: r.num('id'),
      type: r.str('type'),
      customerKey: r.str('customer_key'),
      payload: r.json<T>('payload')!,
      occurredAt: r.date('occurred_at'),
    }),
  );
}

/**
 * Which of these common profile columns an event of the customer's later than `occurredAt` (of
 * any type, other than event `ownId`) also gave.
 */
export async function commonColumnsSaidLater(
  db: Queryable,
  shopId: number,
  customerKey: string,
  columns: ProfileColumn[],
  occurredAt: Date,
  ownId: number,
): Promise<Set<ProfileColumn>> {
  const wanted = columns.filter((c) => COMMON_FIELD_PATHS[c]);
  if (wanted.length === 0) return new Set();
  const later = await selectOne(
    db,
    `SELECT ${wanted.map((c) => `COALESCE(MAX(JSON_CONTAINS_PATH(payload, 'one', '${COMMON_FIELD_PATHS[c]}')), 0) AS ${c}`).join(', ')}
       FROM loyalty_events WHERE shop_id = ? AND customer_key = ? AND occurred_at > ? AND id <> ?`,
    [shopId, customerKey, occurredAt, ownId],
    (r) => wanted.filter((c) => r.num(c) !== 0),
  );
  return new Set(later ?? []);
}

/** Whether an event of this type about the customer, other than `ownId`, happened after `occurredAt`. */
export async function laterEventOfType(
  db: Queryable,
  shopId: number,
  customerKey: string,
  type: string,
  occurredAt: Date,
  ownId: number,
): Promise<boolean> {
  const found = await selectOne(
    db,
    'SELECT 1 AS found FROM loyalty_events WHERE shop_id = ? AND customer_key = ? AND type = ? AND occurred_at > ? AND id <> ? LIMIT 1',
    [shopId, customerKey, type, occurredAt, ownId],
    () => true,
  );
  return found ?? false;
}

/** Creates the customer's profile or writes these fields into it; a field not given keeps what it had. */
export async function upsertProfile(db: Queryable, shopId: number, customerKey: string, fields: ProfileFields, now: Date): Promise<void> {
  const values = PROFILE_COLUMNS.map((c) => fields[c] ?? null);
  // COALESCE keeps what the event does not mention.
  const keep = PROFILE_COLUMNS.map((c) => `${c} = COALESCE(VALUES(${c}), ${c})`).join(', ');
  await execute(
    db,
    `INSERT INTO customer_profiles (shop_id, customer_key, ${PROFILE_COLUMNS.join(', ')}, updated_at) VALUES (?)
     ON DUPLICATE KEY UPDATE ${keep}, updated_at = VALUES(updated_at)`,
    [[shopId, customerKey, ...values, now]],
  );
}

export type CustomerProfile = {
  customerKey: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  language: string | null;
  timeZone: string | null;
  birthday: { month: number; day: number } | null;
  points: number | null;
  cashback: number | null;
  currency: string | null;
  cashbackCurrency: string | null;
  portalUrl: string | null;
  updatedAt: Date;
};

export async function customerProfile(db: Queryable, shopId: number, customerKey: string): Promise<CustomerProfile | null> {
  return selectOne(db, 'SELECT * FROM customer_profiles WHERE shop_id = ? AND customer_key = ?', [shopId, customerKey], (r) => {
    const month = r.numOrNull('birth_month');
    return {
      customerKey: r.str('customer_key'),
      email: r.strOrNull('email'),
      phone: r.strOrNull('phone'),
      firstName: r.strOrNull('first_name'),
      language: r.strOrNull('language'),
      timeZone: r.strOrNull('time_zone'),
      birthday: month === null ? null : { month, day: r.num('birth_day') },
      points: r.numOrNull('points'),
      cashback: r.numOrNull('cashback'),
      currency: r.strOrNull('currency'),
      cashbackCurrency: r.strOrNull('cashback_currency'),
      portalUrl: r.strOrNull('portal_url'),
      updatedAt: r.date('updated_at'),
    };
  });
}
