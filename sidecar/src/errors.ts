import { __, sprintf } from '@wordpress/i18n';
/**
 * The one error type the HTTP layer knows. `expose` says whether the message may be
 * shown to the caller; anything else becomes a plain 500.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly expose: boolean = status < 500,
    readonly details?: unknown,
  ) {
    super(message);
  }

  static badRequest(code: string, message: string, details?: unknown): AppError {
    return new AppError(code, message, 400, true, details);
  }
  static unauthorized(message: string = __('signature missing or invalid', 'comeback')): AppError {
    return new AppError('unauthorized', message, 401);
  }
  static notFound(message: string = __('not found', 'comeback')): AppError {
    return new AppError('not_found', message, 404);
  }
  static tooLarge(limit: string): AppError {
    // translators: %s: the largest body taken, e.g. "1 MB".
    return new AppError('payload_too_large', sprintf(__('request body is larger than %s', 'comeback'), limit), 413, true, { limit });
  }
  static unavailable(message: string): AppError {
    return new AppError('unavailable', message, 503, true);
  }
  /** 429: the caller may try again after `retryAfterS` seconds (sent as Retry-After). */
  static tooManyRequests(code: string, message: string, retryAfterS: number): AppError {
    return Object.assign(new AppError(code, message, 429, true, { retryAfterS }), { retryAfterS });
  }

  /** Seconds after which a refused caller may try again (429, 503): the error handler sends it as Retry-After. */
  retryAfterS?: number;
}
