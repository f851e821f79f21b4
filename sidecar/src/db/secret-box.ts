import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from './queryable.ts';

/**
 * Secrets at rest: the shops' WooCommerce consumer secrets and shared secrets, the link-signing
 * key and the loyalty events keys are stored sealed with AES-256-GCM, so a database dump, a backup
 * or a read-only SQL account gives none of them away. A sealed value reads
 * `cbs1.<key id>.<iv>.<tag>.<ciphertext>` (base64url; a random 12-byte IV per value; the key id is
 * the first 8 hex digits of the key's SHA-256), so a re-key can tell values sealed with the old key
 * from the new. A value without the prefix is one stored before sealing: it is read as it is, and
 * the start-up pass (`sealStoredSecrets`) seals it.
 */

const PREFIX = 'cbs1';

export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

/** A 32-byte key from base64 (or base64url) or 64 hex digits; null when it is neither. */
export function parseSecretKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) return null;
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === 32 ? key : null;
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  readonly keyId: string;

  /** `current` seals; `previous` (a re-key in progress) only opens what it sealed. */
  constructor(
    private readonly current: Buffer,
    previous?: Buffer,
  ) {
    if (current.length !== 32) throw new SecretKeyError('the secret key must be 32 bytes');
    this.keyId = keyIdOf(current);
    this.keys.set(this.keyId, current);
    if (previous) this.keys.set(keyIdOf(previous), previous);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [PREFIX, this.keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** The plain value of a sealed one (a value stored before sealing is answered as it is). */
  open(stored: string): string {
    if (!isSealed(stored)) return stored;
    const [, keyId, iv, tag, body] = stored.split('.');
    const key = this.keys.get(keyId!);
    if (!key) throw new SecretKeyError(`a stored secret was sealed with another key (id ${keyId}); set COMEBACK_SECRET_KEY to it`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv!, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag!, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body!, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretKeyError(`a stored secret does not open with the key ${keyId} (altered, or another key with the same id)`);
    }
  }

  /** Whether a stored value should be written again: not sealed yet, or sealed with a key other than the current one. */
  needsSealing(stored: string): boolean {
    return !isSealed(stored) || stored.split('.')[1] !== this.keyId;
  }
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(`${PREFIX}.`) && stored.split('.').length === 5;
}

/**
 * The key when COMEBACK_SECRET_KEY is not set: made once into COMEBACK_HOME/secret-key (readable by
 * its owner only), like the admin token. Several processes starting at once agree on one key (the
 * file is created exclusively; the others read it).
 */
export function embeddedSecretKey(home: string): Buffer {
  const file = join(home, 'secret-key');
  const read = () => {
    const key = parseSecretKey(readFileSync(file, 'utf8'));
    if (!key) throw new SecretKeyError(`${file} does not hold a 32-byte key (base64 or hex)`);
    return key;
  };
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(home, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return read();
}

/*
 * The box of a database travels with its pool, so every store reads and writes secrets through the
 * same key without each caller handing it down: set once when the database is opened, found from
 * the pool or from a connection taken from it (a transaction).
 */
const boxes = new WeakMap<object, SecretBox>();

/** The core mysql2 pool behind a promise pool or one of its connections. */
function corePool(db: Queryable): object | undefined {
  const any = db as unknown as { pool?: object; connection?: { _pool?: object } };
  return any.pool ?? any.connection?._pool ?? undefined;
}

export function useSecretBox(db: Queryable, box: SecretBox): void {
  const core = corePool(db);
  if (!core) throw new Error('not a mysql2 pool');
  boxes.set(core, box);
}

export function secretBoxOf(db: Queryable): SecretBox {
  const core = corePool(db);
  const box = core ? boxes.get(core) : undefined;
  if (!box) throw new SecretKeyError('no secret key is set for this database (openDatabase with a secretBox)');
  return box;
}
