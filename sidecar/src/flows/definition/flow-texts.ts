import { validate, type MessageFact, type TemplateContext, type TextContext, type ValidationError } from '@comeback/shortcodes';
import type { FlowDefinition, FlowStep, TriggerEvent } from './flow-definition.ts';

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

/**
 * What a step's message will know beyond its context, so a shortcode that would print nothing is
 * refused and left out of the palette: the step's coupon; a parcel only once the order shipped or
 * was completed (never for an unpaid order or one just placed); the loyalty profile only in a flow
 * a loyalty event starts (a campaign or win-back customer may have none); the voucher only in the
 * voucher flows; the survey only when the program asked for it.
 */
export function textFacts(event: TriggerEvent, step: Pick<FlowStep, 'coupon'> | undefined): MessageFact[] {
  const facts: MessageFact[] = [];
  if (step?.coupon !== undefined) facts.push('coupon');
  if (event === 'order.shipped' || event === 'order.completed') facts.push('tracking');
  if (subjectTypeOf(event) === 'event') facts.push('loyalty');
  if (event === 'voucher.issued' || event === 'voucher.expiring') facts.push('voucher');
  if (event === 'nps.requested') facts.push('nps');
  return facts;
}

/** A text's context and what its message will know: what validate() and the editor's palette take. */
export function textContextOf(
  event: TriggerEvent,
  part: 'subject' | 'body' | 'offlineBody',
  step: Pick<FlowStep, 'coupon'> | undefined,
): TextContext {
  return { context: textContext(event, part), facts: textFacts(event, step) };
}

/** Unpaid-order flows have a second text per channel for bank transfer and cheque orders. */
export const hasOfflineTexts = (event: TriggerEvent) => event === 'order.unpaid';

/** A problem of one text at its field; beyond the validator's codes, a missing offline text. */
export type FieldError = Omit<ValidationError, 'code'> & { code: ValidationError['code'] | 'missing_text'; field: string };

/**
 * Every shortcode problem in a flow's texts, each with its field (steps.1.email.body), line,
 * column and reason. The context follows the trigger: an unpaid-order flow has a text for
 * online gateways (payment link) and one for bank transfer (bank details); a cart flow knows
 * the cart and no order; the other order flows speak about an order however it was paid; win-back,
 * campaign and loyalty flows speak to the customer. A shortcode that would print nothing in the
 * step (no coupon on it, no parcel yet, no loyalty event) is refused with why (textFacts).
 */
export function flowTemplateErrors(flow: FlowDefinition): FieldError[] {
  const event = flow.trigger.event;
  const subjectContext = textContext(event, 'subject');
  const main = textContext(event, 'body');
  const errors: FieldError[] = [];
  let facts: MessageFact[] = [];
  const check = (source: string | undefined, context: TemplateContext, field: string) => {
    if (source === undefined) return;
    errors.push(...validate(source, { context, facts }).map((e) => ({ ...e, field })));
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
    facts = textFacts(event, step);
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
