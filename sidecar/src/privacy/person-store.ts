import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { toE164 } from '../customers/phone.ts';
import { selectRows, type Queryable } from '../db/queryable.ts';
import type { Person } from './person.ts';

/**
 * Where one person is in a shop's tables. Emails and customer keys are compared as stored
 * (lower-cased); phones as customers typed them ("0048 500-000-001", "500 000 001") are found by
 * their digits ending in the number's national digits, then confirmed one by one in E.164.
 */
export type PersonRows = {
  orderIds: number[];
  cartIds: number[];
  customerIds: number[];
  enrollmentIds: number[];
  outboxIds: number[];
  conversationIds: number[];
};

/** A table's columns that can name the person; `id` is what the caller gets back for each matching row. */
type Columns = { table: string; id: string; key?: string; email?: string; phone?: string; country?: string; where?: string };

/** `list`, or a list that matches nothing: `IN ()` is not SQL. */
export const orNone = <T>(list: T[]): Array<T | null> => (list.length ? list : [null]);

/** The ids of the shop's rows of `c.table` that name the person. */
export async function rowsNaming(db: Queryable, shopId: number, person: Person, c: Columns): Promise<Array<number | string>> {
  const exact = [c.key ? `${c.key} IN (?)` : null, c.email ? `LOWER(TRIM(${c.email})) IN (?)` : null].filter(
    (s): s is string => s !== null,
  );
  const params: unknown[] = [];
  if (c.key) params.push(orNone(person.addresses));
  if (c.email) params.push(orNone(person.emails));
  const exactSql = exact.length ? exact.join(' OR ') : 'FALSE';
  const phoneSql = c.phone && person.phoneDigits.length ? `REGEXP_REPLACE(${c.phone}, '[^0-9]', '') REGEXP ?` : 'FALSE';
  const phoneParams = c.phone && person.phoneDigits.length ? [`(${person.phoneDigits.join('|')})$`] : [];
  const rows = await selectRows(
    db,
    `SELECT ${c.id} AS id, ${c.phone ?? 'NULL'} AS phone, ${c.country ?? 'NULL'} AS country, (${exactSql}) AS exact
       FROM ${c.table} WHERE shop_id = ? ${c.where ? `AND ${c.where}` : ''} AND ((${exactSql}) OR ${phoneSql})`,
    [...params, shopId, ...params, ...phoneParams],
    (r) => ({ id: r.raw('id') as number | string, phone: r.strOrNull('phone'), country: r.strOrNull('country'), exact: r.bool('exact') }),
  );
  return rows.filter((r) => r.exact || samePhone(r.phone, r.country, person.phones)).map((r) => r.id);
}

/** A number as typed is one of these E.164 numbers: read in its row's country, else in the wanted number's own. */
function samePhone(typed: string | null, country: string | null, phones: string[]): boolean {
  if (!typed) return false;
  return phones.some((p) => toE164(typed, country, regionOf(p)) === p);
}

function regionOf(e164: string): string | null {
  return parsePhoneNumberFromString(e164)?.country ?? null;
}

/** Every row of the shop that names the person, or hangs off one that does (their orders' and carts' enrollments, those enrollments' messages). */
export async function findPerson(db: Queryable, shopId: number, person: Person): Promise<PersonRows> {
  const ids = async (c: Columns) => (await rowsNaming(db, shopId, person, c)).map(Number);
  const country = "JSON_UNQUOTE(JSON_EXTRACT(snapshot, '$.billing.country'))";
  const orderIds = await ids({ table: 'orders', id: 'order_id', email: 'email', phone: 'phone', country });
  const cartIds = await ids({ table: 'carts', id: 'id', key: 'customer_key', email: 'email', phone: 'phone', country: 'country' });
  const customerIds = await ids({ table: 'customers', id: 'id', key: 'customer_key', email: 'email', phone: 'phone' });
  const enrollmentIds = await selectRows(
    db,
    `SELECT id FROM enrollments WHERE shop_id = ? AND (customer_key IN (?)
        OR (subject_type = 'order' AND subject_id IN (?)) OR (subject_type = 'cart' AND subject_id IN (?)) OR (subject_type = 'customer' AND subject_id IN (?)))`,
    [shopId, orNone(person.addresses), orNone(orderIds.map(String)), orNone(cartIds.map(String)), orNone(customerIds.map(String))],
    (r) => r.num('id'),
  );
  const outboxIds = await selectRows(
    db,
    'SELECT id FROM outbox WHERE shop_id = ? AND (LOWER(recipient) IN (?) OR customer_key IN (?) OR enrollment_id IN (?))',
    [shopId, orNone(person.addresses), orNone(person.addresses), orNone(enrollmentIds)],
    (r) => r.num('id'),
  );
  const conversationIds = await selectRows(
    db,
    'SELECT id FROM conversations WHERE shop_id = ? AND address IN (?)',
    [shopId, orNone(person.addresses)],
    (r) => r.num('id'),
  );
  return { orderIds, cartIds, customerIds, enrollmentIds, outboxIds, conversationIds };
}
