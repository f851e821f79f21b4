import { __, sprintf } from '@wordpress/i18n';
import { flowTemplateErrors } from '@comeback/sidecar/flow-texts';
import type { FlowDefinition } from '@comeback/sidecar/api-contracts';
import type { FieldError } from '../../api.ts';

/**
 * The API names a refused field by its path in the definition ("steps.1.email.body",
 * "steps.0.delay.value", "sendWindow"); each control shows the errors at or under its own path.
 */
export function errorsUnder(errors: FieldError[], path: string): FieldError[] {
  return errors.filter((e) => e.field === path || e.field?.startsWith(`${path}.`));
}

/** The errors under none of `paths`: shown where nothing more specific takes them. */
export function errorsOutside(errors: FieldError[], paths: string[]): FieldError[] {
  return errors.filter((e) => !paths.some((p) => e.field === p || e.field?.startsWith(`${p}.`)));
}

/** Zod's wording for the cases a form runs into, in the merchant's words. */
export function readable(error: FieldError): string {
  if (/^Too small: expected string to have >=1 char/.test(error.message)) return __('This cannot be empty.', 'comeback');
  if (/^Invalid input: expected number/.test(error.message)) return __('Enter a number.', 'comeback');
  const bound = /^Too (small|big): expected number to be [<>](=?)(-?[\d.]+)/.exec(error.message);
  if (bound) {
    const small = bound[1] === 'small';
    const words = bound[2]
      ? small
        ? __('At least %s.', 'comeback')
        : __('At most %s.', 'comeback')
      : small
        ? __('More than %s.', 'comeback')
        : __('Less than %s.', 'comeback');
    return sprintf(words, bound[3]!);
  }
  return error.message;
}

/**
 * The shortcode problems of every text as it is typed, by the very rules the sidecar checks a save
 * with (flowTemplateErrors, from the sidecar's pure flow-texts module, on the shortcodes package's
 * validator), so an error shows before Save and says the same — in the merchant's language where
 * the sidecar's wording is its own.
 */
export function liveTemplateErrors(flow: FlowDefinition): FieldError[] {
  return flowTemplateErrors(flow).map((error) => {
    if (error.code === 'no_coupon' && error.shortcode) {
      const words = __(
        '[%s] shows the step’s personal coupon, and this step offers none: add a coupon to the step, or remove the shortcode',
        'comeback',
      );
      return { ...error, message: sprintf(words, error.shortcode) };
    }
    if (error.code === 'missing_text') {
      return {
        ...error,
        message: __('Orders paid offline (bank transfer, cheque…) need their own text (no payment link).', 'comeback'),
      };
    }
    return error;
  });
}
