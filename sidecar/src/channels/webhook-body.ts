import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { AppError } from '../errors.ts';

export const PROVIDER_WEBHOOK_LIMIT_BYTES = 1024 * 1024;

/**
 * The raw request bytes, as the provider signed them (a re-encoded body would not match), up to
 * 1 MB whatever the content type; a larger declared body is refused before it is read.
 */
export const rawWebhookBody: RequestHandler = express.raw({ type: () => true, limit: PROVIDER_WEBHOOK_LIMIT_BYTES });

export function rawBodyOf(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** Oversize bodies answer as the WooCommerce webhook does: 413 payload_too_large, connection closed. */
export const webhookBodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  if ((error as { type?: unknown })?.type === 'entity.too.large') {
    res.setHeader('connection', 'close');
    return next(AppError.tooLarge('1 MB'));
  }
  next(error);
};
