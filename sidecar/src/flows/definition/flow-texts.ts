import { parse, validate, type TemplateContext, type ValidationError } from '@comeback/shortcodes';
import type { Delay, FlowDefinition, TriggerEvent } from './flow-definition.ts';

/**
 * What a flow's texts are about and may say: pure, with no dependency beyond the shortcodes
 * package, so the admin UI checks a text as it is typed with the very rules the sidecar checks a
 * save with (imported as @comeback/sidecar/flow-texts).
 */

export type SubjectType = 'order' | 'cart' | 'customer' | 'event';

/** What a subject of the flow is: an order, a cart, a customer (win-back, campaigns) or a loyalty event. */
export function subjectTypeOf(trigger: TriggerEvent): SubjectType {
  switch (trigger) {
    case 'cart.abandoned':
      return 'cart';
    case 'customer.lapsed':
    case 'campaign':
      return 'customer';
    case 'voucher.issued':
    case 'voucher.expiring':
    case 'customer.birthday':
    case 'nps.requested':
    case 'balance.updated':
      return 'event';
    default:
      return 'order';
  }
}

/**
 * The validator's context for each text: unpaid-order texts are for orders paid online (the
 * bank-transfer variant, `offlineBody`, for offline ones), cart texts know a cart and no order,
 * other order flows speak of an order however it was paid; win-back, campaign and loyalty texts
 * speak to the customer.
 */
export function textContext(event: TriggerEvent, part: 'subject' | 'body' | 'offlineBody'): TemplateContext {
  if (part === 'offlineBody') return 'offline';
  const subjectType = subjectTypeOf(event);
  if (subjectType === 'cart') return 'cart';
  if (subjectType !== 'order') return 'customer';
  return part === 'body' && event === 'order.unpaid' ? 'online' : 'any';
}

/** Unpaid-order flows have a second text per channel for bank transfer and cheque orders. */
export const hasOfflineTexts = (event: TriggerEvent) => event === 'order.unpaid';

/** A problem of one text at its field; beyond the validator's codes, a coupon shortcode in a step without a coupon and a missing offline text. */
export type FieldError = Omit<ValidationError, 'code'> & { code: ValidationError['code'] | 'no_coupon' | 'missing_text'; field: string };

/**
 * Every shortcode problem in a flow's texts, each with its field (steps.1.email.body), line,
 * column and reason. The context follows the trigger: an unpaid-order flow has a text for
 * online gateways (payment link) and one for bank transfer (bank details); a cart flow knows
 * the cart and no order; the other order flows speak about an order however it was paid; win-back,
 * campaign and loyalty flows speak to the customer. A coupon shortcode needs a step with a coupon.
 */
export function flowTemplateErrors(flow: FlowDefinition): FieldError[] {
  const event = flow.trigger.event;
  const subjectContext = textContext(event, 'subject');
  const main = textContext(event, 'body');
  const errors: FieldError[] = [];
  let hasCoupon = false;
  const check = (source: string | undefined, context: TemplateContext, field: string) => {
    if (source === undefined) return;
    errors.push(...validate(source, context).map((e) => ({ ...e, field })));
    if (hasCoupon) return;
    for (const node of parse(source)) {
      if (node.type === 'shortcode' && /^coupon_(code|value|expiry)$/.test(node.name)) {
        errors.push({
          code: 'no_coupon',
          message: `[${node.name}] shows the step's personal coupon, and this step offers none: add a coupon to the step, or remove the shortcode`,
          line: node.line,
          column: node.column,
          shortcode: node.name,
          field,
        });
      }
    }
  };
  const requireOffline = (text: { offlineBody?: string } | undefined, field: string) => {
    if (!hasOfflineTexts(event) || !text) return;
    if (text.offlineBody === undefined) {
      errors.push({
        code: 'missing_text',
        message: 'orders paid by bank transfer or cheque need their own text (bank details instead of a payment link)',
        line: 1,
        column: 1,
        field,
      });
    } else check(text.offlineBody, textContext(event, 'offlineBody'), field);
  };
  flow.steps.forEach((step, i) => {
    const at = `steps.${i}`;
    hasCoupon = step.coupon !== undefined;
    if (step.email) {
      check(step.email.subject, subjectContext, `${at}.email.subject`);
      check(step.email.body, main, `${at}.email.body`);
      requireOffline(step.email, `${at}.email.offlineBody`);
    }
    if (step.sms) {
      check(step.sms.body, main, `${at}.sms.body`);
      requireOffline(step.sms, `${at}.sms.offlineBody`);
    }
    if (step.whatsapp) {
      check(step.whatsapp.text.body, main, `${at}.whatsapp.text.body`);
      requireOffline(step.whatsapp.text, `${at}.whatsapp.text.offlineBody`);
      step.whatsapp.template.parameters.forEach((p, j) => check(p, main, `${at}.whatsapp.template.parameters.${j}`));
    }
  });
  return errors;
}

export function delayMs(delay: Delay): number {
  return delay.value * { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[delay.unit];
}

/** The most a delay may say, in its unit (the flow schema's limit). */
export const MAX_DELAY = 10_000;

/**
 * The one rule for when a flow's steps (and the recovery form's reminders, which are its email
 * steps) go: each delay a whole number from `min` (0 for a step, "at once"; 1 for a reminder) up
 * to MAX_DELAY, and none before the one above it. The merchant's order is kept, never re-sorted:
 * a step out of order is refused at its delay. `field(i)` names the i-th delay's field.
 */
export function delayErrors(
  delays: Delay[],
  rule: { noun: 'step' | 'reminder'; min: number; field: (i: number) => string },
): Array<{ field: string; message: string }> {
  return delays.flatMap((delay, i) => {
    if (!Number.isInteger(delay.value) || delay.value < rule.min || delay.value > MAX_DELAY)
      return [{ field: `${rule.field(i)}.value`, message: `a whole number from ${rule.min} to ${MAX_DELAY}` }];
    const above = delays[i - 1];
    if (i > 0 && Number.isInteger(above!.value) && delayMs(delay) < delayMs(above!))
      return [{ field: rule.field(i), message: `a ${rule.noun} cannot come before the one above it` }];
    return [];
  });
}
