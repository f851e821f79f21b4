import { __, sprintf } from '@wordpress/i18n';
import type { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from './admin-auth.ts';
import { plainProblems } from './plain-problems.ts';

export type { FieldProblem } from './plain-problems.ts';

/** The request's JSON body, parsed from the raw bytes the signature was checked on. */
export function jsonBody(req: AdminRequest): unknown {
  const raw = req.rawBody?.toString('utf8') ?? '';
  if (raw.trim() === '') throw AppError.badRequest('missing_body', __('a JSON body is required', 'comeback'));
  try {
    return JSON.parse(raw);
  } catch (error) {
    // translators: %s: the JSON parser's own words (English).
    throw AppError.badRequest('malformed_json', sprintf(__('body is not valid JSON: %s', 'comeback'), (error as Error).message));
  }
}

/** The body checked against a zod schema; every problem is named with its field (400). */
export function validBody<T extends z.ZodType>(req: AdminRequest, schema: T, code = 'invalid_body'): z.output<T> {
  return validate(schema, jsonBody(req), code, __('the request body is not valid', 'comeback'));
}

/** The query string checked against a zod schema (400 with the fields). */
export function validQuery<T extends z.ZodType>(req: AdminRequest, schema: T): z.output<T> {
  return validate(schema, req.query, 'invalid_query', __('the query parameters are not valid', 'comeback'));
}

/** Any value checked against a zod schema: 400 naming each field and its problem in plain words (plainProblems). */
export function validate<T extends z.ZodType>(schema: T, value: unknown, code: string, message: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw AppError.badRequest(code, message, plainProblems(parsed.error));
  }
  return parsed.data;
}
