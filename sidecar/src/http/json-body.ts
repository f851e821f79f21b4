import { AppError } from '../errors.ts';
import type { AdminRequest } from './admin-auth.ts';

/** The request's JSON body, parsed from the raw bytes the signature was checked on. */
export function jsonBody(req: AdminRequest): unknown {
  const raw = req.rawBody?.toString('utf8') ?? '';
  if (raw.trim() === '') throw AppError.badRequest('missing_body', 'a JSON body is required');
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw AppError.badRequest('malformed_json', `body is not valid JSON: ${(error as Error).message}`);
  }
}
