import { createHash, randomBytes } from 'node:crypto';
import { execute, selectOne, selectRows, type Queryable } from '../db/queryable.ts';

// Erased people, kept only as salted hashes of their addresses (suppressions, privacy_salts).

/**
 * SQL true when `addressSql` (a normalised address or customer key; NULL is never suppressed) is a
 * suppressed address of the shop `shopIdSql` names. For INSERT … SELECT entry points, so a
 * suppressed person is refused in the same statement that would enter them.
 */
export function suppressedSql(shopIdSql: string, addressSql: string): string {
  return `EXISTS (SELECT 1 FROM suppressions sx JOIN privacy_salts ps ON ps.shop_id = sx.shop_id
    WHERE sx.shop_id = ${shopIdSql} AND sx.address_hash = SHA2(CONCAT(ps.salt, ${addressSql}), 256))`;
}

/** The suppression hash of a normalised address: sha256 over the shop's salt and the address, as SQL's SHA2(CONCAT(salt, address), 256). */
export function addressHash(salt: string, address: string): string {
  return createHash('sha256').update(`${salt}${address}`, 'utf8').digest('hex');
}

/** The shop's salt, made on first use (64 hex characters from 32 random bytes). */
export async function shopSalt(db: Queryable, shopId: number): Promise<string> {
  await execute(db, 'INSERT IGNORE INTO privacy_salts (shop_id, salt) VALUES (?, ?)', [shopId, randomBytes(32).toString('hex')]);
  return (await selectOne(db, 'SELECT salt FROM privacy_salts WHERE shop_id = ?', [shopId], (r) => r.str('salt')))!;
}

/** Keeps these normalised addresses from ever being messaged again; answers how many were new. */
export async function suppressAddresses(db: Queryable, shopId: number, addresses: string[]): Promise<number> {
  if (addresses.length === 0) return 0;
  const salt = await shopSalt(db, shopId);
  const rows = addresses.map((a) => [shopId, addressHash(salt, a), 'erased']);
  return (await execute(db, 'INSERT IGNORE INTO suppressions (shop_id, address_hash, reason) VALUES ?', [rows])).affectedRows;
}

/** Which of these normalised addresses are suppressed in the shop. */
export async function suppressedAmong(db: Queryable, shopId: number, addresses: Array<string | null | undefined>): Promise<Set<string>> {
  const wanted = [...new Set(addresses.filter((a): a is string => !!a))];
  if (wanted.length === 0) return new Set();
  const salt = await selectOne(db, 'SELECT salt FROM privacy_salts WHERE shop_id = ?', [shopId], (r) => r.str('salt'));
  if (salt === null) return new Set();
  const byHash = new Map(wanted.map((a) => [addressHash(salt, a), a]));
  const found = await selectRows(
    db,
    'SELECT address_hash FROM suppressions WHERE shop_id = ? AND address_hash IN (?)',
    [shopId, [...byHash.keys()]],
    (r) => r.str('address_hash'),
  );
  return new Set(found.map((h) => byHash.get(h)!));
}

/** Whether any of these normalised addresses is suppressed in the shop. */
export async function isSuppressed(db: Queryable, shopId: number, addresses: Array<string | null | undefined>): Promise<boolean> {
  return (await suppressedAmong(db, shopId, addresses)).size > 0;
}
