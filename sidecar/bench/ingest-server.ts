import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase } from '../src/db/database.ts';
import { embeddedSecretKey, SecretBox } from '../src/db/secret-box.ts';
import { createApp } from '../src/http/app.ts';
import { createLogger } from '../src/logger.ts';
import { createScheduler } from '../src/scheduler/scheduler.ts';
import { WEBHOOK_PATH, webhookHandler } from '../src/woo/webhook-route.ts';

// The webhook ingest path alone, in its own process (the load generator must not share its event
// loop): the sidecar's express app with the real route — raw body, signature, durable insert,
// 200 — and event processing left out, which is what the ingest benchmark measures.
// Secrets sealed with the key every sidecar on this machine uses (COMEBACK_HOME/secret-key).
const database = await openDatabase(process.env.BENCH_DATABASE_URL!, {
  connectionLimit: 32,
  secretBox: new SecretBox(embeddedSecretKey('.comeback')),
});
const logger = createLogger('silent');
const scheduler = createScheduler(
  database.pool,
  { workerName: 'bench', concurrency: 1, lockLimit: 1, claimBatch: 1, processEveryMs: 60_000, lockLifetimeMs: 60_000 },
  logger,
);
const webhook = { path: WEBHOOK_PATH, handle: webhookHandler({ pool: database.pool, logger, onStored: () => undefined }) };
const app = createApp({ database, scheduler, logger, version: 'bench', webhook });
const server = createServer(app).listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
// A close that fails ends the process with its error and status 1, as an unhandled rejection would.
process.on('message', () => {
  server.close();
  database.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
