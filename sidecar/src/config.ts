import { z } from 'zod';
import { parseSecretKey } from './db/secret-box.ts';

/**
 * Every setting the sidecar reads from the environment, validated once at start.
 * Nothing else in the code base reads process.env.
 */
const schema = z.object({
  COMEBACK_DATABASE_URL: z
    .url({ protocol: /^(mysql|mariadb)$/, error: 'must be a mysql:// URL, e.g. mysql://user:pass@127.0.0.1:3306/comeback' })
    .optional()
    .describe('MySQL 8 / MariaDB 10.6+ server to use; when unset the sidecar starts its own private MariaDB'),
  COMEBACK_DB_ACQUIRE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(10_000)
    .describe('how long a request waits for a free database connection before it is answered 503 with Retry-After'),
  COMEBACK_DB_QUERY_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(3_600_000)
    .default(60_000)
    .describe('how long one statement may take before its connection is dropped and the request answered 503'),
  COMEBACK_DB_QUEUE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(1_000)
    .describe('requests that may wait for a database connection at once; more are answered 503 at once'),
  COMEBACK_HOME: z.string().min(1).default('.comeback').describe('folder for the embedded MariaDB data and other local state'),
  COMEBACK_HTTP_HOST: z.string().min(1).default('127.0.0.1').describe('address the HTTP server binds to'),
  COMEBACK_HTTP_PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int()
    .min(0)
    .max(65535)
    .default(8787)
    .describe('HTTP port (0 picks a free one)'),
  COMEBACK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level'),
  COMEBACK_WORKER_NAME: z.string().min(1).optional().describe('name recorded as lastModifiedBy on jobs; defaults to host:pid'),
  COMEBACK_SCHEDULER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(50)
    .describe('jobs run at the same time by this sidecar'),
  COMEBACK_SCHEDULER_LOCK_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(100)
    .describe('jobs this sidecar may hold locked at once (never unlimited: other sidecars share the work)'),
  COMEBACK_SCHEDULER_CLAIM_BATCH: z.coerce.number().int().min(1).max(1_000).default(50).describe('due jobs locked by one claim query'),
  COMEBACK_SCHEDULER_PROCESS_EVERY_MS: z.coerce
    .number()
    .int()
    .min(50)
    .max(600_000)
    .default(1_000)
    .describe('how often the scheduler looks for due jobs'),
  COMEBACK_SCHEDULER_LOCK_LIFETIME_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(10 * 60_000)
    .describe('after this long a lock held by a dead sidecar is taken over'),
  COMEBACK_SCHEDULER_RECURRING_LOCK_LIFETIME_MS: z.coerce
    .number()
    .int()
    .min(3_000)
    .max(3_600_000)
    .default(60_000)
    .describe(
      "lock of a recurring job (sweeps, recomputes), renewed every third of it while the job runs: a dead sidecar's recurring jobs are taken over after this",
    ),
  COMEBACK_WORK_POLL_MS: z.coerce
    .number()
    .int()
    .min(50)
    .max(60_000)
    .default(1_000)
    .describe(
      'how often each sidecar looks for due flow steps, outbox messages and stored webhook events (work it creates itself starts at once)',
    ),
  COMEBACK_WORK_LEASE_MS: z.coerce
    .number()
    .int()
    .min(3_000)
    .max(600_000)
    .default(10_000)
    .describe(
      "a batch of steps or messages a sidecar claimed stays its own this long unrenewed (renewed every third of it while worked): a dead sidecar's batch is taken over after this",
    ),
  COMEBACK_SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: 'must be smtp://user:pass@host:587 or smtps://user:pass@host:465' })
    .optional()
    .describe('SMTP server for reminders; when unset, messages go to the dev outbox (/dev/outbox)'),
  COMEBACK_DEV_OUTBOX: z
    .enum(['on', 'off'])
    .default('off')
    .describe(
      'on (npm run up): /dev/outbox is open to anyone who reaches a sidecar bound to loopback; otherwise, or when bound to another address, it needs the admin token',
    ),
  COMEBACK_METRICS_PUBLIC: z
    .enum(['on', 'off'])
    .default('off')
    .describe(
      'on: /metrics (Prometheus) answers anyone who reaches the sidecar; off: only clients on this machine (loopback) or with the admin token as bearer',
    ),
  COMEBACK_MAIL_FROM: z
    .string()
    .min(3)
    .default('Comeback <reminders@localhost>')
    .describe('envelope sender of every email; its From when the shop set no sender in WooCommerce, or COMEBACK_MAIL_SHOP_FROM=off'),
  COMEBACK_MAIL_SHOP_FROM: z
    .enum(['on', 'off'])
    .default('on')
    .describe(
      'on: emails come From the shop’s WooCommerce sender (the relay must be authorised for its domain: SPF, DKIM); off: From COMEBACK_MAIL_FROM',
    ),
  COMEBACK_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL customers can reach, e.g. https://reminders.example.com' })
    .optional()
    .describe('base URL of the sidecar as customers reach it, for /r/ links; defaults to the HTTP address'),
  COMEBACK_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30).describe('how long payment links stay valid'),
  COMEBACK_PLUGIN_UNREACHABLE_SWEEPS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(3)
    .describe(
      "sweeps (5 minutes apart) in a row in which the shop plugin's signed profile endpoint fails before the shop is paused and an alert raised (a plugin deleted without telling)",
    ),
  COMEBACK_ALLOW_PRIVATE_URLS: z
    .enum(['on', 'off'])
    .default('off')
    .describe(
      'on: shop and plugin URLs may point at this machine or a private network (development, tests; npm run up sets it); off: only public internet addresses are fetched',
    ),
  COMEBACK_SECRET_KEY: z
    .string()
    .refine((v) => parseSecretKey(v) !== null, { error: 'must be 32 bytes as base64 or 64 hex digits (e.g. openssl rand -base64 32)' })
    .optional()
    .describe(
      'the key that seals secrets at rest (AES-256-GCM); the same on every sidecar of one database; unset: made once into COMEBACK_HOME/secret-key',
    ),
  COMEBACK_SECRET_KEY_PREVIOUS: z
    .string()
    .refine((v) => parseSecretKey(v) !== null, { error: 'must be 32 bytes as base64 or 64 hex digits' })
    .optional()
    .describe('a re-key: the key secrets were sealed with before COMEBACK_SECRET_KEY; they are sealed again with the new one at start'),
  COMEBACK_ADMIN_TOKEN: z
    .string()
    .min(24, { error: 'must be at least 24 characters (e.g. openssl rand -base64 24)' })
    .optional()
    .describe('bearer token for the admin API without WordPress; unset = only plugin-signed requests'),
  COMEBACK_DEMO: z
    .enum(['auto', 'on', 'off'])
    .default('off')
    .describe('the demo stand-in shop: auto = only while no real shop is connected (npm run up), on = always, off = never (default)'),
  COMEBACK_TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, { error: 'must be AC followed by 32 hex digits (Twilio console → Account Info)' })
    .optional()
    .describe('Twilio account for SMS; SMS is configured only when the SID, the auth token and a sender are all set'),
  COMEBACK_TWILIO_AUTH_TOKEN: z
    .string()
    .min(16, { error: 'must be the account auth token (32 characters)' })
    .optional()
    .describe('Twilio auth token: sends and checks X-Twilio-Signature; never logged'),
  COMEBACK_TWILIO_FROM: z
    .string()
    .regex(/^(\+[1-9]\d{6,14}|[A-Za-z0-9 ]{1,11})$/, {
      error: 'must be a number in E.164 (+15550001000) or an alphanumeric sender id of up to 11 characters',
    })
    .optional()
    .describe('SMS sender number (E.164); set this or COMEBACK_TWILIO_MESSAGING_SERVICE_SID'),
  COMEBACK_TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/, { error: 'must be MG followed by 32 hex digits' })
    .optional()
    .describe('Twilio Messaging Service that picks the sender (instead of COMEBACK_TWILIO_FROM)'),
  COMEBACK_TWILIO_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('Twilio API base URL (https://api.twilio.com; a local fake in tests)'),
  COMEBACK_SMS_PER_SECOND: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(10)
    .describe("SMS sent per second by this sidecar at most (the sender number's throughput)"),
  COMEBACK_WHATSAPP_TOKEN: z
    .string()
    .min(16, { error: 'must be a Meta access token' })
    .optional()
    .describe(
      'WhatsApp Cloud API access token (a system user token); WhatsApp is configured only when all four WhatsApp keys are set; never logged',
    ),
  COMEBACK_WHATSAPP_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d{5,20}$/, { error: 'must be the numeric phone number id Meta shows (not the phone number)' })
    .optional()
    .describe('the business phone number id messages are sent from'),
  COMEBACK_WHATSAPP_APP_SECRET: z
    .string()
    .min(16, { error: 'must be the Meta app secret' })
    .optional()
    .describe('Meta app secret: checks X-Hub-Signature-256 on /webhooks/whatsapp; never logged'),
  COMEBACK_WHATSAPP_VERIFY_TOKEN: z
    .string()
    .min(8, { error: 'must be at least 8 characters' })
    .optional()
    .describe('the verify token entered in the Meta webhook settings (subscription check)'),
  COMEBACK_WHATSAPP_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('Graph API base URL (https://graph.facebook.com; a local fake in tests)'),
  COMEBACK_WHATSAPP_PER_SECOND: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000)
    .default(80)
    .describe('WhatsApp messages sent per second by this sidecar at most (Meta allows 80 per business number by default)'),
  COMEBACK_SHUTDOWN_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(600_000)
    .default(30_000)
    .describe('on SIGTERM, how long running jobs may take to finish'),
});

export type Config = {
  databaseUrl: string | undefined;
  /** Every wait on the database bounded (db/database.ts boundPool). */
  databaseLimits: { acquireTimeoutMs: number; queryTimeoutMs: number; queueLimit: number };
  home: string;
  http: { host: string; port: number };
  logLevel: z.infer<typeof schema>['COMEBACK_LOG_LEVEL'];
  workerName: string;
  scheduler: {
    concurrency: number;
    lockLimit: number;
    claimBatch: number;
    processEveryMs: number;
    lockLifetimeMs: number;
    /** Lock of recurring jobs, kept alive by touch() while they run (scheduler.every). */
    recurringLockLifetimeMs: number;
  };
  /** The work loops every sidecar runs (scheduler/work-service.ts) and the lease of what they claim. */
  work: { pollMs: number; leaseMs: number };
  shutdownGraceMs: number;
  /** `shopFrom`: emails come From each shop's WooCommerce sender (else From `from`, always the envelope sender). */
  mail: { smtpUrl: string | undefined; from: string; shopFrom: boolean };
  /** COMEBACK_DEV_OUTBOX=on: /dev/outbox opens without the admin token, and only while the sidecar is bound to loopback. */
  devOutbox: boolean;
  /** COMEBACK_METRICS_PUBLIC=on: /metrics answers without the admin token from anywhere. */
  metricsPublic: boolean;
  publicUrl: string | undefined;
  linkTtlDays: number;
  /** Failed profile sweeps in a row after which a shop whose plugin vanished is paused. */
  pluginUnreachableSweeps: number;
  adminToken: string | undefined;
  /** Seals secrets at rest (db/secret-box.ts): `current` unset = the key in COMEBACK_HOME/secret-key. */
  secretKey: { current: Buffer | undefined; previous: Buffer | undefined };
  /** How merchant-given URLs may be reached (woo/merchant-url.ts): private addresses only when allowed. */
  merchantNet: { allowPrivate: boolean };
  demo: 'auto' | 'on' | 'off';
  /** SMS over Twilio: `twilio` is undefined unless its keys are all set. */
  sms: { perSecond: number; twilio: TwilioSettings | undefined };
  /** WhatsApp Cloud API: `cloudApi` is undefined unless its keys are all set. */
  whatsapp: { perSecond: number; cloudApi: WhatsAppSettings | undefined };
};

export type TwilioSettings = { accountSid: string; authToken: string; from?: string; messagingServiceSid?: string; baseUrl?: string };
export type WhatsAppSettings = { accessToken: string; phoneNumberId: string; appSecret: string; verifyToken: string; baseUrl?: string };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws ConfigError naming each bad key and what it allows. */
export function loadConfig(env: Record<string, string | undefined>, defaults: { workerName: string }): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '(environment)');
      const description = schema.shape[key as keyof typeof schema.shape]?.description;
      return `  ${key}: ${issue.message}${description ? ` (${description})` : ''}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const problems = [...providerProblems(e)];
  if (problems.length) throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return {
    databaseUrl: e.COMEBACK_DATABASE_URL,
    databaseLimits: {
      acquireTimeoutMs: e.COMEBACK_DB_ACQUIRE_TIMEOUT_MS,
      queryTimeoutMs: e.COMEBACK_DB_QUERY_TIMEOUT_MS,
      queueLimit: e.COMEBACK_DB_QUEUE_LIMIT,
    },
    home: e.COMEBACK_HOME,
    http: { host: e.COMEBACK_HTTP_HOST, port: e.COMEBACK_HTTP_PORT },
    logLevel: e.COMEBACK_LOG_LEVEL,
    workerName: e.COMEBACK_WORKER_NAME ?? defaults.workerName,
    scheduler: {
      concurrency: e.COMEBACK_SCHEDULER_CONCURRENCY,
      lockLimit: e.COMEBACK_SCHEDULER_LOCK_LIMIT,
      claimBatch: e.COMEBACK_SCHEDULER_CLAIM_BATCH,
      processEveryMs: e.COMEBACK_SCHEDULER_PROCESS_EVERY_MS,
      lockLifetimeMs: e.COMEBACK_SCHEDULER_LOCK_LIFETIME_MS,
      recurringLockLifetimeMs: e.COMEBACK_SCHEDULER_RECURRING_LOCK_LIFETIME_MS,
    },
    work: { pollMs: e.COMEBACK_WORK_POLL_MS, leaseMs: e.COMEBACK_WORK_LEASE_MS },
    shutdownGraceMs: e.COMEBACK_SHUTDOWN_GRACE_MS,
    mail: { smtpUrl: e.COMEBACK_SMTP_URL, from: e.COMEBACK_MAIL_FROM, shopFrom: e.COMEBACK_MAIL_SHOP_FROM === 'on' },
    devOutbox: e.COMEBACK_DEV_OUTBOX === 'on',
    metricsPublic: e.COMEBACK_METRICS_PUBLIC === 'on',
    publicUrl: e.COMEBACK_PUBLIC_URL?.replace(/\/+$/, ''),
    linkTtlDays: e.COMEBACK_LINK_TTL_DAYS,
    pluginUnreachableSweeps: e.COMEBACK_PLUGIN_UNREACHABLE_SWEEPS,
    adminToken: e.COMEBACK_ADMIN_TOKEN,
    secretKey: {
      current: e.COMEBACK_SECRET_KEY ? parseSecretKey(e.COMEBACK_SECRET_KEY)! : undefined,
      previous: e.COMEBACK_SECRET_KEY_PREVIOUS ? parseSecretKey(e.COMEBACK_SECRET_KEY_PREVIOUS)! : undefined,
    },
    merchantNet: { allowPrivate: e.COMEBACK_ALLOW_PRIVATE_URLS === 'on' },
    demo: e.COMEBACK_DEMO,
    sms: {
      perSecond: e.COMEBACK_SMS_PER_SECOND,
      twilio: e.COMEBACK_TWILIO_ACCOUNT_SID
        ? {
            accountSid: e.COMEBACK_TWILIO_ACCOUNT_SID,
            authToken: e.COMEBACK_TWILIO_AUTH_TOKEN!,
            ...(e.COMEBACK_TWILIO_FROM ? { from: e.COMEBACK_TWILIO_FROM } : {}),
            ...(e.COMEBACK_TWILIO_MESSAGING_SERVICE_SID ? { messagingServiceSid: e.COMEBACK_TWILIO_MESSAGING_SERVICE_SID } : {}),
            ...(e.COMEBACK_TWILIO_BASE_URL ? { baseUrl: e.COMEBACK_TWILIO_BASE_URL } : {}),
          }
        : undefined,
    },
    whatsapp: {
      perSecond: e.COMEBACK_WHATSAPP_PER_SECOND,
      cloudApi: e.COMEBACK_WHATSAPP_TOKEN
        ? {
            accessToken: e.COMEBACK_WHATSAPP_TOKEN,
            phoneNumberId: e.COMEBACK_WHATSAPP_PHONE_NUMBER_ID!,
            appSecret: e.COMEBACK_WHATSAPP_APP_SECRET!,
            verifyToken: e.COMEBACK_WHATSAPP_VERIFY_TOKEN!,
            ...(e.COMEBACK_WHATSAPP_BASE_URL ? { baseUrl: e.COMEBACK_WHATSAPP_BASE_URL } : {}),
          }
        : undefined,
    },
  };
}

/**
 * A provider is configured by all of its credential keys or none: half a Twilio account would
 * start fine and fail on the first send (or accept unsigned webhooks). Names keys only, never values.
 */
function* providerProblems(e: z.infer<typeof schema>): Generator<string> {
  const twilio = { COMEBACK_TWILIO_ACCOUNT_SID: e.COMEBACK_TWILIO_ACCOUNT_SID, COMEBACK_TWILIO_AUTH_TOKEN: e.COMEBACK_TWILIO_AUTH_TOKEN };
  const sender = e.COMEBACK_TWILIO_FROM ?? e.COMEBACK_TWILIO_MESSAGING_SERVICE_SID;
  const twilioSet = Object.values(twilio).some(Boolean) || sender !== undefined;
  if (twilioSet) {
    const missing = Object.entries(twilio)
      .filter(([, v]) => !v)
      .map(([k]) => k);
    if (!sender) missing.push('COMEBACK_TWILIO_FROM or COMEBACK_TWILIO_MESSAGING_SERVICE_SID');
    if (missing.length) yield `SMS over Twilio needs ${missing.join(', ')} as well (set all of them, or none to go without SMS)`;
  }
  if (e.COMEBACK_TWILIO_FROM && e.COMEBACK_TWILIO_MESSAGING_SERVICE_SID) {
    yield 'COMEBACK_TWILIO_FROM and COMEBACK_TWILIO_MESSAGING_SERVICE_SID: set one sender, not both';
  }
  const whatsapp = {
    COMEBACK_WHATSAPP_TOKEN: e.COMEBACK_WHATSAPP_TOKEN,
    COMEBACK_WHATSAPP_PHONE_NUMBER_ID: e.COMEBACK_WHATSAPP_PHONE_NUMBER_ID,
    COMEBACK_WHATSAPP_APP_SECRET: e.COMEBACK_WHATSAPP_APP_SECRET,
    COMEBACK_WHATSAPP_VERIFY_TOKEN: e.COMEBACK_WHATSAPP_VERIFY_TOKEN,
  };
  const whatsappMissing = Object.entries(whatsapp)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (whatsappMissing.length > 0 && whatsappMissing.length < Object.keys(whatsapp).length) {
    yield `WhatsApp needs ${whatsappMissing.join(', ')} as well (set all four, or none to go without WhatsApp)`;
  }
  // Twilio and Meta sign their callbacks over the URL they called: without the public URL every
  // status, STOP and reply would fail its signature check, silently.
  if (!e.COMEBACK_PUBLIC_URL) {
    const channels = [...(twilioSet ? ['SMS over Twilio'] : []), ...(whatsappMissing.length === 0 ? ['WhatsApp'] : [])];
    if (channels.length) yield `COMEBACK_PUBLIC_URL: ${channels.join(' and ')} ${publicUrlReason}`;
  }
}

/** Why a provider with signed callbacks needs COMEBACK_PUBLIC_URL. */
const publicUrlReason =
  'needs COMEBACK_PUBLIC_URL, the https address the provider calls back (delivery statuses, STOP and replies are signed over it)';

/** The documented keys, for `--help` style listings. */
export function describeConfig(): Array<{ key: string; description: string }> {
  return Object.entries(schema.shape).map(([key, value]) => ({ key, description: value.description ?? '' }));
}
