import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths that may carry secrets or personal data; pino replaces them before a line is written. */
const SECRET_NAMES = [
  'password',
  'secret',
  'token',
  'authorization',
  'databaseUrl',
  'consumerSecret',
  'sharedSecret',
  'webhookSecret',
  'linkSecret',
  'eventsKey',
  'secretKey',
  'authToken',
  'accessToken',
  'appSecret',
];
const REDACT = [
  ...SECRET_NAMES,
  ...SECRET_NAMES.map((name) => `*.${name}`),
  'req.headers.authorization',
  'req.headers["x-wc-webhook-signature"]',
  'req.headers["x-comeback-signature"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { pid: process.pid } }, destination);
}

/** A URL safe to print: the password is masked. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
