import { execute, type Queryable } from '../db/queryable.ts';

/** Records a signature's hash; false when it was already there (a replay). */
export async function insertSignature(db: Queryable, hash: string, expiresAt: Date): Promise<boolean> {
  const result = await execute(db, 'INSERT IGNORE INTO signed_requests (signature_hash, expires_at) VALUES (?, ?)', [hash, expiresAt]);
  return result.affectedRows === 1;
}

/** Forgets signatures whose window closed, a bounded batch at a time. */
export async function deleteExpiredSignatures(db: Queryable, now: Date, limit: number): Promise<number> {
  return (await execute(db, 'DELETE FROM signed_requests WHERE expires_at < ? LIMIT ?', [now, limit])).affectedRows;
}
