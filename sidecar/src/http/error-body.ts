import { __ } from '@wordpress/i18n';
import { databaseUnavailable } from '../db/database.ts';
import { AppError } from '../errors.ts';

/** Seconds a caller is told to wait (Retry-After) when the database is too busy or away to answer. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The one JSON shape of an error answer, for express and for the plain node:http webhook handler:
 * AppErrors speak for themselves; body-parser style errors carry a 4xx status (malformed, too
 * large) and are the caller's fault; anything else is a 500 that says nothing about internals.
 */
export function errorBody(error: unknown): {
  status: number;
  body: { error: { code: string; message: string; details?: unknown } };
  headers?: Record<string, string>;
} {
  if (databaseUnavailable(error)) {
    // A stalled or restarting database: a quick 503 the caller may retry, never a request hanging in a queue.
    return {
      status: 503,
      body: {
        error: { code: 'database_unavailable', message: __('The database is not answering right now; try again shortly.', 'comeback') },
      },
      headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
    };
  }
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.expose ? error.message : internalError(), details: error.details } },
      // A refusal that may be tried later (AppError.tooManyRequests) says when.
      ...(error.retryAfterS !== undefined ? { headers: { 'retry-after': String(error.retryAfterS) } } : {}),
    };
  }
  const e = error as { status?: unknown; type?: unknown; message?: unknown } | undefined;
  const status = typeof e?.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 500;
  if (status === 500) return { status, body: { error: { code: 'internal', message: internalError() } } };
  // body-parser's errors name their kind in `type` (entity.parse.failed, entity.too.large) and say what went wrong in `message`.
  const code = typeof e?.type === 'string' ? e.type : 'bad_request';
  const message = typeof e?.message === 'string' ? e.message : '';
  return { status, body: { error: { code, message } } };
}

/** A 500's words: nothing about internals, in the request's language. */
const internalError = () =>
  __('Something went wrong on our side; try again, and if it keeps happening, look at the sidecar’s log.', 'comeback');
