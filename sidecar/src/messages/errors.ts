import type { ValidationError } from '@comeback/shortcodes';

export type TemplateField = 'subject' | 'body';

/** A shortcode error located in one field of the template, so the editor can point at it. */
export type FieldValidationError = ValidationError & { field: TemplateField };

/**
 * Thrown by compileTemplate when the subject or body has shortcode errors. Both fields are
 * checked before throwing so the editor sees every problem in one round trip.
 */
export class TemplateError extends Error {
  constructor(readonly errors: FieldValidationError[]) {
    super(`template has ${errors.length} shortcode error(s): ${errors.map((e) => `${e.field}: ${e.message}`).join(' | ')}`);
    this.name = 'TemplateError';
  }

  /** The fields that have errors, in the order subject, body. */
  get fields(): TemplateField[] {
    return [...new Set(this.errors.map((e) => e.field))];
  }
}

export type RenderErrorCode = 'missing_payment_link' | 'missing_bank_accounts' | 'invalid_link';

/**
 * Thrown while rendering when the order lacks data a shortcode needs. Sending a reminder that
 * says "pay here:" with no link, or "transfer to:" with no account, is worse than not sending,
 * so the step runner should treat this as a per-order failure, not retry blindly.
 */
export class RenderError extends Error {
  constructor(
    readonly code: RenderErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}
