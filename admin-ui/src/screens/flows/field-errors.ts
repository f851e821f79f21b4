import { __ } from '@wordpress/i18n';
import { flowNumberErrors, flowTemplateErrors } from '@comeback/sidecar/flow-texts';
import type { FlowDefinition } from '@comeback/sidecar/api-contracts';
import { uniqueErrors, type FieldError } from '../../api.ts';

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

/**
 * The shortcode problems of every text as it is typed, by the very rules the sidecar checks a save
 * with (flowTemplateErrors, from the sidecar's pure flow-texts module, on the shortcodes package's
 * validator), each translation's at its own field (steps.1.translations.pl_PL.email.subject), so an
 * error shows before Save and says the same — in the merchant's language where the sidecar's wording is its own.
 */
export function liveTemplateErrors(flow: FlowDefinition): FieldError[] {
  return uniqueErrors(flowTemplateErrors(flow)).map((error) => {
    if (error.code === 'missing_text') {
      return {
        ...error,
        message: __('Orders paid offline (bank transfer, cheque…) need their own text (no payment link).', 'comeback'),
      };
    }
    return error;
  });
}

/** Everything refused in a flow as it is typed: its texts' shortcodes and its numbers (delays, trigger, hold-out). */
export function liveFlowErrors(flow: FlowDefinition): FieldError[] {
  return [...liveTemplateErrors(flow), ...flowNumberErrors(flow)];
}
