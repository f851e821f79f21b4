import { execute, selectOne, selectRows, type Queryable } from '../../db/queryable.ts';
import type { Row } from '../../db/queryable.ts';

/** An address the merchant added for test messages: usable once verified (an email's link button pressed, a phone's code typed). */
export type StoredTestRecipient = {
  id: number;
  channel: TestRecipientChannel;
  address: string;
  verifiedAt: Date | null;
  codeExpiresAt: Date | null;
  createdAt: Date;
};
export type TestRecipientChannel = 'email' | 'phone';

const COLUMNS = 'id, channel, address, verified_at, code_expires_at, created_at';
const recipientOf = (r: Row): StoredTestRecipient => ({
  id: r.num('id'),
  channel: r.str('channel') === 'phone' ? 'phone' : 'email',
  address: r.str('address'),
  verifiedAt: r.dateOrNull('verified_at'),
  codeExpiresAt: r.dateOrNull('code_expires_at'),
  createdAt: r.date('created_at'),
});

export function listTestRecipients(db: Queryable, shopId: number): Promise<StoredTestRecipient[]> {
  return selectRows(db, `SELECT ${COLUMNS} FROM test_recipients WHERE shop_id = ? ORDER BY id`, [shopId], recipientOf);
}

export function testRecipient(db: Queryable, shopId: number, id: number): Promise<StoredTestRecipient | null> {
  return selectOne(db, `SELECT ${COLUMNS} FROM test_recipients WHERE shop_id = ? AND id = ?`, [shopId, id], recipientOf);
}

/** The shop's row for this address (emails lower-cased by the caller), added now unless it exists. */
export async function addTestRecipient(
  db: Queryable,
  shopId: number,
  channel: TestRecipientChannel,
  address: string,
): Promise<StoredTestRecipient> {
  await execute(db, 'INSERT IGNORE INTO test_recipients (shop_id, channel, address) VALUES (?, ?, ?)', [shopId, channel, address]);
  return (await selectOne(db, `SELECT ${COLUMNS} FROM test_recipients WHERE shop_id = ? AND address = ?`, [shopId, address], recipientOf))!;
}

/** How many addresses of the shop wait for their confirmation. */
export async function pendingTestRecipients(db: Queryable, shopId: number): Promise<number> {
  return (
    (await selectOne(db, 'SELECT COUNT(*) AS n FROM test_recipients WHERE shop_id = ? AND verified_at IS NULL', [shopId], (r) =>
      r.num('n'),
    )) ?? 0
  );
}

/** Marks the address verified (once); false when it is gone. */
export async function verifyTestRecipient(db: Queryable, shopId: number, id: number, now: Date): Promise<boolean> {
  await execute(db, 'UPDATE test_recipients SET verified_at = COALESCE(verified_at, ?) WHERE shop_id = ? AND id = ?', [now, shopId, id]);
  return (await testRecipient(db, shopId, id)) !== null;
}

export async function removeTestRecipient(db: Queryable, shopId: number, id: number): Promise<boolean> {
  return (await execute(db, 'DELETE FROM test_recipients WHERE shop_id = ? AND id = ?', [shopId, id])).affectedRows > 0;
}

/** Whether the address was added and verified for the shop. */
export async function isVerifiedTestRecipient(db: Queryable, shopId: number, address: string): Promise<boolean> {
  return (
    (await selectOne(
      db,
      'SELECT 1 AS ok FROM test_recipients WHERE shop_id = ? AND address = ? AND verified_at IS NOT NULL',
      [shopId, address],
      () => true,
    )) ?? false
  );
}

/** A new code for a phone: its hash, good until `expiresAt`, no wrong tries yet. */
export async function setTestRecipientCode(db: Queryable, shopId: number, id: number, codeHash: string, expiresAt: Date): Promise<void> {
  await execute(db, 'UPDATE test_recipients SET code_hash = ?, code_expires_at = ?, code_attempts = 0 WHERE shop_id = ? AND id = ?', [
    codeHash,
    expiresAt,
    shopId,
    id,
  ]);
}

/**
 * A typed code against the phone's pending one: verified when it matches in time; a wrong one
 * counted, and after `maxAttempts` wrong ones the code is spent.
 */
export async function tryTestRecipientCode(
  db: Queryable,
  shopId: number,
  id: number,
  codeHash: string,
  now: Date,
  maxAttempts: number,
): Promise<'verified' | 'wrong' | 'expired'> {
  const verified = await execute(
    db,
    `UPDATE test_recipients SET verified_at = ?, code_hash = NULL, code_expires_at = NULL
      WHERE shop_id = ? AND id = ? AND code_hash = ? AND code_expires_at > ? AND code_attempts < ?`,
    [now, shopId, id, codeHash, now, maxAttempts],
  );
  if (verified.affectedRows > 0) return 'verified';
  const counted = await execute(
    db,
    'UPDATE test_recipients SET code_attempts = code_attempts + 1 WHERE shop_id = ? AND id = ? AND code_expires_at > ? AND code_attempts < ?',
    [shopId, id, now, maxAttempts],
  );
  return counted.affectedRows > 0 ? 'wrong' : 'expired';
}
