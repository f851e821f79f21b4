import { z } from 'zod';

/**
 * Every setting the sidecar reads from the environment, validated once at start.
 * Nothing else in the code base reads process.env.
 */
const schema = z.object({
  COMEBACK_DATABASE_URL: z
    .url({ protocol: /^(mysql|mariadb)$/, error: 'must be a mysql:// URL, e.g. mysql://user:pass@127.0.0.1:3306/comeback' })
    .optional()
    .describe('MySQL 8 / MariaDB 10.6+ server to use; when unset the sidecar starts its own private MariaDB'),
  COMEBACK_HOME: z
    .string()
    .min(1)
    .default('.comeback')
    .describe('folder for the embedded MariaDB data and other local state'),
  COMEBACK_HTTP_HOST: z.string().min(1).default('127.0.0.1').describe('address the HTTP server binds to'),
  COMEBACK_HTTP_PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int()
    .min(0)
    .max(65535)
    .default(8787)
    .describe('HTTP port (0 picks a free one)'),
  COMEBACK_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level'),
  COMEBACK_WORKER_NAME: z
    .string()
    .min(1)
    .optional()
    .describe('name recorded as lastModifiedBy on jobs; defaults to host:pid'),
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
  COMEBACK_SCHEDULER_CLAIM_BATCH: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000)
    .default(50)
    .describe('due jobs locked by one claim query'),
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
  COMEBACK_SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: 'must be smtp://user:pass@host:587 or smtps://user:pass@host:465' })
    .optional()
    .describe('SMTP server for reminders; when unset, messages go to the dev outbox (/dev/outbox)'),
  COMEBACK_MAIL_FROM: z.string().min(3).default('Comeback <reminders@localhost>').describe('From address of reminder emails'),
  COMEBACK_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL customers can reach, e.g. https://reminders.example.com' })
    .optional()
    .describe('base URL of the sidecar as customers reach it, for /r/ links; defaults to the HTTP address'),
  COMEBACK_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30).describe('how long payment links stay valid'),
  COMEBACK_ADMIN_TOKEN: z
    .string()
    .min(24, { error: 'must be at least 24 characters (e.g. openssl rand -base64 24)' })
    .optional()
    .describe('bearer token for the admin API without WordPress; unset = only plugin-signed requests'),
  COMEBACK_DEMO: z
    .enum(['auto', 'on', 'off'])
    .default('off')
    .describe('the demo stand-in shop: auto = only while no real shop is connected (npm run up), on = always, off = never (default)'),
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
  };
  shutdownGraceMs: number;
  mail: { smtpUrl: string | undefined; from: string };
  publicUrl: string | undefined;
  linkTtlDays: number;
  adminToken: string | undefined;
  demo: 'auto' | 'on' | 'off';
};

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
  return {
    databaseUrl: e.COMEBACK_DATABASE_URL,
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
    },
    shutdownGraceMs: e.COMEBACK_SHUTDOWN_GRACE_MS,
    mail: { smtpUrl: e.COMEBACK_SMTP_URL, from: e.COMEBACK_MAIL_FROM },
    publicUrl: e.COMEBACK_PUBLIC_URL?.replace(/\/+$/, ''),
    linkTtlDays: e.COMEBACK_LINK_TTL_DAYS,
    adminToken: e.COMEBACK_ADMIN_TOKEN,
    demo: e.COMEBACK_DEMO,
  };
}

/** The documented keys, for `--help` style listings. */
export function describeConfig(): Array<{ key: string; description: string }> {
  return Object.entries(schema.shape).map(([key, value]) => ({ key, description: value.description ?? '' }));
}
