import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The admin token when none is configured and Comeback runs on its embedded defaults (npm run up):
 * made once, kept in COMEBACK_HOME/admin-token (readable by its owner only), so /admin can be
 * signed into on a fresh machine. A configured COMEBACK_ADMIN_TOKEN always wins; a deployment with
 * its own database gets no token it did not ask for.
 */
export function embeddedAdminToken(home: string): string {
  const file = join(home, 'admin-token');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 24) return existing;
  } catch {
    // First start: made below.
  }
  mkdirSync(home, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
