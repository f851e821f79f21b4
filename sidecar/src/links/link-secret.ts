import { randomBytes } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import { insertLinkSecretIfAbsent, storedLinkSecret } from './link-store.ts';

/**
 * The key that signs customer links. Made once, kept in the database so every sidecar on it
 * signs and checks with the same key (settings row of shop 0); never logged.
 */
export async function ensureLinkSecret(pool: Pool): Promise<string> {
  await insertLinkSecretIfAbsent(pool, { secret: randomBytes(32).toString('base64url') });
  const parsed = await storedLinkSecret(pool);
  if (typeof parsed?.secret !== 'string' || parsed.secret.length < 32) throw new Error('the stored link secret is unreadable');
  return parsed.secret;
}
