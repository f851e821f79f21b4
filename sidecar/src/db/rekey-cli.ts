import { hostname } from 'node:os';
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from './database.ts';
import { configuredDatabase } from './embedded-mariadb.ts';
import { embeddedSecretKey, SecretBox, SecretKeyError } from './secret-box.ts';
import { sealStoredSecrets } from './secret-store.ts';

/**
 * npm run rekey: every secret in the database sealed again with a new key, in batches, then done.
 *   COMEBACK_SECRET_KEY_PREVIOUS=<the key in use> COMEBACK_SECRET_KEY=<the new key> npm run rekey
 * The previous key defaults to COMEBACK_HOME/secret-key (embedded defaults). Stop the sidecars
 * first, or run them with both keys set meanwhile (they read either); then start them with the new
 * key alone (on embedded defaults, write it into COMEBACK_HOME/secret-key). A sidecar does the same
 * pass at start whenever COMEBACK_SECRET_KEY_PREVIOUS is set.
 */
async function main(): Promise<number> {
  const config = loadConfig(process.env, { workerName: `${hostname()}:${process.pid}` });
  if (!config.secretKey.current) {
    process.stderr.write('Set COMEBACK_SECRET_KEY to the new key (e.g. openssl rand -base64 32).\n');
    return 64;
  }
  const previous = config.secretKey.previous ?? embeddedSecretKey(config.home);
  const logger = createLogger(config.logLevel);
  const { url, embedded } = await configuredDatabase(config, logger);
  try {
    const database = await openDatabase(url, { connectionLimit: 2, secretBox: new SecretBox(config.secretKey.current, previous) });
    try {
      const written = await sealStoredSecrets(database.pool);
      process.stdout.write(`re-keyed: ${written} secret(s) sealed with the new key\n`);
    } finally {
      await database.close();
    }
  } finally {
    await embedded?.stop();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError || error instanceof SecretKeyError ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
