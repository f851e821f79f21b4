import { __, sprintf } from '@wordpress/i18n';
import type { TemplateContext } from '@comeback/shortcodes';
import { parse } from '@comeback/shortcodes/parse';
import { validate } from '@comeback/shortcodes/validate';
import type { FlowDefinition } from '@comeback/sidecar/api-contracts';
import type { FieldError } from '../../api.ts';
import { hasOfflineTexts, textContext } from './flow-words.ts';

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
 * The shortcode problems of every text as it is typed, from the same validator and catalogue the
 * sidecar checks a save with (shortcodes/), so an error shows before Save and says the same.
 */
export function liveTemplateErrors(flow: FlowDefinition): FieldError[] {
  const event = flow.trigger.event;
  const errors: FieldError[] = [];
  let hasCoupon = false;
  const check = (source: string | undefined, context: TemplateContext, field: string) => {
    if (!source) return;
    errors.push(...validate(source, context).map((e) => ({ ...e, field })));
    // As the sidecar: a coupon shortcode in a step that gives no coupon.
    if (hasCoupon) return;
    for (const node of parse(source)) {
      if (node.type === 'shortcode' && /^coupon_(code|value|expiry)$/.test(node.name)) {
        errors.push({
          code: 'no_coupon',
          message: sprintf(
            __(
              '[%s] shows the step’s personal coupon, and this step offers none: add a coupon to the step, or remove the shortcode',
              'comeback',
            ),
            node.name,
          ),
          line: node.line,
          column: node.column,
          shortcode: node.name,
          field,
        });
      }
    }
  };
  const offline = hasOfflineTexts(event);
  flow.steps.forEach((step, i) => {
    const at = `steps.${i}`;
    hasCoupon = step.coupon !== undefined;
    for (const channel of step.channels) {
      if (channel === 'email' && step.email) {
        check(step.email.subject, textContext(event, 'subject'), `${at}.email.subject`);
        check(step.email.body, textContext(event, 'body'), `${at}.email.body`);
        if (offline) check(step.email.offlineBody, 'offline', `${at}.email.offlineBody`);
      }
      if (channel === 'sms' && step.sms) {
        check(step.sms.body, textContext(event, 'body'), `${at}.sms.body`);
        if (offline) check(step.sms.offlineBody, 'offline', `${at}.sms.offlineBody`);
      }
      if (channel === 'whatsapp' && step.whatsapp) {
        check(step.whatsapp.text.body, textContext(event, 'body'), `${at}.whatsapp.text.body`);
        if (offline) check(step.whatsapp.text.offlineBody, 'offline', `${at}.whatsapp.text.offlineBody`);
        step.whatsapp.template.parameters.forEach((p, j) =>
          check(p, textContext(event, 'body'), `${at}.whatsapp.template.parameters.${j}`),
        );
      }
    }
  });
  return errors;
}
