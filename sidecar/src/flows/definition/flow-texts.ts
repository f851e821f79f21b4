import { parse, validate, type MessageFact, type TemplateContext, type TextContext, type ValidationError } from '@comeback/shortcodes';
import { __, sprintf } from '@wordpress/i18n';
import type { z } from 'zod';
import type { Delay, FlowDefinition, FlowStep, gatewaysSchema, TriggerEvent } from './flow-definition.ts';
import { gatewayTitle, WOO_GATEWAY_TITLES } from '../../messages/display-format.ts';
import { classifyGateway } from './gateway-classes.ts';
import type { TextTranslation } from '../../messages/message-templates.ts';

type Gateways = z.infer<typeof gatewaysSchema>;

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
 * offline variants, `offlineBody` and the per-gateway `offlineBodies`, for offline ones), cart texts know a cart and no order,
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

/** Unpaid-order flows have offline texts per channel: a generic one, and for email one per offline gateway (bank transfer, cheque…). */
export const hasOfflineTexts = (event: TriggerEvent) => event === 'order.unpaid';

/** A problem of one text at its field; beyond the validator's codes, a missing offline text. */
export type FieldError = Omit<ValidationError, 'code'> & { code: ValidationError['code'] | 'missing_text'; field: string };

/** What a text's rules need to know of the shop, when known: whether it has bank accounts in WooCommerce's BACS settings. */
export type ShopTextFacts = { bankAccounts: boolean };

/**
 * The offline gateways that get a text of their own on a form, titled as the customer saw them at
 * checkout (gatewayTitle): the gateways the shop has enabled that the flow classes offline (by its
 * trigger's patterns, as the engine does); before the shop's gateways are known, WooCommerce's own
 * offline methods that have a text. Other gateways' texts are kept, not shown.
 */
export function offlineTextGateways(
  shopGateways: ReadonlyArray<{ id: string; title: string; enabled?: boolean }>,
  bodies: Readonly<Record<string, string>> | undefined,
  classes: Gateways,
): Array<{ id: string; title: string }> {
  const ids =
    shopGateways.length > 0
      ? shopGateways.filter((g) => g.enabled !== false).map((g) => g.id)
      : Object.keys(bodies ?? {}).filter((id) => Object.hasOwn(WOO_GATEWAY_TITLES, id));
  return ids.filter((id) => classifyGateway(id, classes) === 'offline').map((id) => ({ id, title: gatewayTitle(id, shopGateways) }));
}

/**
 * Every problem of an offline text: the offline context's rules (no [payment_link], no cart),
 * and outside the bank-transfer (`bacs`) text, no [bank_details] when the shop has no bank
 * accounts: it would print nothing, so the reminder could not be sent. `gateway`: the gateway id
 * the text is for, null for the generic offline text.
 */
export function offlineTextErrors(
  source: string,
  gateway: string | null,
  field: string,
  shop?: ShopTextFacts,
  facts: MessageFact[] = [],
): FieldError[] {
  const errors: FieldError[] = validate(source, { context: 'offline', facts }).map((e) => ({ ...e, field }));
  if (gateway === 'bacs' || !shop || shop.bankAccounts) return errors;
  for (const node of parse(source)) {
    if (node.type !== 'shortcode' || node.name !== 'bank_details') continue;
    errors.push({
      code: 'wrong_context',
      message: sprintf(
        // translators: 1: line number, 2: column number.
        __(
          "Line %1$d, column %2$d: [bank_details] prints the bank accounts of WooCommerce's bank transfer (BACS) settings, and your shop has none, so it would print nothing and the reminder could not be sent. Use [payment_instructions] for how this method is paid, or [payable_to] and [company_details] for a cheque.",
          'comeback',
        ),
        node.line,
        node.column,
      ),
      line: node.line,
      column: node.column,
      shortcode: node.name,
      field,
    });
  }
  return errors.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** What a Recovery reminder's step gives its texts to print: its coupon (null: none). */
export type ReminderCoupon = { coupon: FlowStep['coupon'] | null };

/** A Recovery reminder's texts: its default ones, and each translation's. */
type ReminderTexts = { subject: string; onlineBody: string; offlineBody: string; offlineBodies?: Record<string, string> };

/**
 * Every problem of the Recovery form's texts, as typed in the admin UI and again at save: the
 * subject and online text by the unpaid-order context, the offline ones by offlineTextErrors, per
 * gateway; each translation by the same rules at its own field (reminders.0.translations.pl_PL.subject).
 * Reminder i is the flow's i-th email step and keeps that step's coupon, so what its texts
 * may print follows `coupons[i]` (a reminder the form adds has none).
 */
export function reminderTextErrors(
  reminders: ReadonlyArray<ReminderTexts & { translations?: Record<string, ReminderTexts> }>,
  coupons: readonly ReminderCoupon[],
  shop?: ShopTextFacts,
): FieldError[] {
  return reminders.flatMap((reminder, i) => {
    const step = { coupon: coupons[i]?.coupon ?? undefined };
    const facts = textFacts('order.unpaid', step);
    const check = (source: string, part: 'subject' | 'body', field: string) =>
      validate(source, textContextOf('order.unpaid', part, step)).map((e) => ({ ...e, field }));
    const texts = (t: ReminderTexts, at: string) => [
      ...check(t.subject, 'subject', `${at}.subject`),
      ...check(t.onlineBody, 'body', `${at}.onlineBody`),
      ...offlineTextErrors(t.offlineBody, null, `${at}.offlineBody`, shop, facts),
      ...Object.entries(t.offlineBodies ?? {}).flatMap(([gateway, body]) =>
        offlineTextErrors(body, gateway, `${at}.offlineBodies.${gateway}`, shop, facts),
      ),
    ];
    return [
      ...texts(reminder, `reminders.${i}`),
      ...Object.entries(reminder.translations ?? {}).flatMap(([locale, t]) => texts(t, `reminders.${i}.translations.${locale}`)),
    ];
  });
}

/**
 * Every shortcode problem in a flow's texts, each with its field (steps.1.email.body), line,
 * column and reason. The context follows the trigger: an unpaid-order flow has a text for
 * online gateways (payment link), a generic offline one and one per offline gateway (bank details for
 * `bacs`, who a cheque is payable to for `cheque`: offlineTextErrors, with the shop's facts when known); a cart flow knows
 * the cart and no order; the other order flows speak about an order however it was paid; win-back,
 * campaign and loyalty flows speak to the customer. A shortcode that would print nothing in the
 * step (no coupon on it, no parcel yet, no loyalty event) is refused with why (textFacts). Each
 * translation of a step's texts is checked by the same rules at its own field
 * (steps.1.translations.pl_PL.email.subject), whether or not the step sends by its channel.
 */
export function flowTemplateErrors(flow: FlowDefinition, shop?: ShopTextFacts): FieldError[] {
  const event = flow.trigger.event;
  const subjectContext = textContext(event, 'subject');
  const main = textContext(event, 'body');
  const errors: FieldError[] = [];
  let facts: MessageFact[] = [];
  const check = (source: string | undefined, context: TemplateContext, field: string) => {
    if (source === undefined) return;
    errors.push(...validate(source, { context, facts }).map((e) => ({ ...e, field })));
  };
  const offline = (source: string, gateway: string | null, field: string) => {
    errors.push(...offlineTextErrors(source, gateway, field, shop, facts));
  };
  const requireOffline = (text: { offlineBody?: string; offlineBodies?: Record<string, string> } | undefined, field: string) => {
    if (!hasOfflineTexts(event) || !text) return;
    if (text.offlineBody === undefined) {
      errors.push({
        code: 'missing_text',
        message: __('orders paid by bank transfer, cheque or another offline method need their own text (no payment link)', 'comeback'),
        line: 1,
        column: 1,
        field,
      });
    } else offline(text.offlineBody, null, field);
    const base = field.replace(/offlineBody$/, 'offlineBodies');
    for (const [gateway, source] of Object.entries(text.offlineBodies ?? {})) offline(source, gateway, `${base}.${gateway}`);
  };
  // A step's default texts and each translation (steps.1.translations.pl_PL.email.subject) by the same rules.
  const checkTexts = (texts: TextTranslation, at: string) => {
    if (texts.email) {
      check(texts.email.subject, subjectContext, `${at}.email.subject`);
      check(texts.email.body, main, `${at}.email.body`);
      requireOffline(texts.email, `${at}.email.offlineBody`);
    }
    if (texts.sms) {
      check(texts.sms.body, main, `${at}.sms.body`);
      requireOffline(texts.sms, `${at}.sms.offlineBody`);
    }
    if (texts.whatsapp?.text) {
      check(texts.whatsapp.text.body, main, `${at}.whatsapp.text.body`);
      requireOffline(texts.whatsapp.text, `${at}.whatsapp.text.offlineBody`);
    }
    texts.whatsapp?.template?.parameters.forEach((p, j) => check(p, main, `${at}.whatsapp.template.parameters.${j}`));
  };
  flow.steps.forEach((step, i) => {
    facts = textFacts(event, step);
    checkTexts(step, `steps.${i}`);
    for (const [locale, texts] of Object.entries(step.translations ?? {})) checkTexts(texts, `steps.${i}.translations.${locale}`);
  });
  return errors;
}

export function delayMs(delay: Delay): number {
  return delay.value * { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[delay.unit];
}

/** The most a delay may say, in its unit (the flow schema's limit). */
export const MAX_DELAY = 10_000;

/** What a number field takes: from `min` to `max`, whole unless `whole` is false. */
export type NumberRange = { min: number; max: number; whole?: boolean };

/**
 * The number fields' limits, one place for the sidecar's schemas and the admin UI's fields. 720 h
 * of link grace is the plugin's own longest keep-alive limit.
 */
export const NUMBER_RANGES = {
  linkGraceHours: { min: 1, max: 720 },
  afterMinutes: { min: 5, max: 10_080 },
  lapseFactor: { min: 1, max: 10, whole: false },
  lapseMinDays: { min: 1, max: 3_650 },
  perMinute: { min: 1, max: 10_000 },
  daysBefore: { min: 1, max: 90 },
  holdOutPercent: { min: 0, max: 50 },
  /** The segment rules' day counts (new, recent, inactive, a single purchase's interval; a custom segment's days). */
  segmentDays: { min: 1, max: 3_650 },
  atRiskFactor: { min: 1, max: 10, whole: false },
  /** Fractions were always taken (the top 2.5 %). */
  vipTopPercent: { min: 0, max: 100, whole: false },
  minOrders: { min: 1, max: 10_000 },
} as const satisfies Record<string, NumberRange>;

/** What a number field asks for, in the merchant's words: "Enter a whole number from 1 to 720." */
export function numberRuleText(range: NumberRange): string {
  return range.whole === false
    ? // translators: 1: the smallest number allowed, 2: the largest.
      sprintf(__('Enter a number from %1$s to %2$s.', 'comeback'), String(range.min), String(range.max))
    : // translators: 1: the smallest number allowed, 2: the largest.
      sprintf(__('Enter a whole number from %1$s to %2$s.', 'comeback'), String(range.min), String(range.max));
}

/**
 * The one rule for a number typed into a field: null when `value` is within `range`, else what
 * to enter. An empty or unreadable field is NaN (or null after JSON), refused the same way, never
 * snapped to the nearest allowed number. The sidecar's schemas say the same (plain-problems.ts).
 */
export function numberProblem(value: number | null | undefined, range: NumberRange): string | null {
  const fine =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= range.min &&
    value <= range.max &&
    (range.whole === false || Number.isInteger(value));
  return fine ? null : numberRuleText(range);
}

/** The refusals of several number fields at once: each `[field, value, range]` refused as its own field. */
export function numberErrors(fields: Array<[field: string, value: number | null | undefined, range: NumberRange]>): FieldProblem[] {
  return fields.flatMap(([field, value, range]) => {
    const message = numberProblem(value, range);
    return message ? [{ field, message }] : [];
  });
}

type FieldProblem = { field: string; message: string };

/**
 * The one rule for when a flow's steps (and the recovery form's reminders, which are its email
 * steps) go: each delay a whole number from `min` (0 for a step, "at once"; 1 for a reminder) up
 * to MAX_DELAY, and none before the one above it. The merchant's order is kept, never re-sorted:
 * a step out of order is refused at its delay. `field(i)` names the i-th delay's field.
 */
export function delayErrors(
  delays: Delay[],
  rule: { noun: 'step' | 'reminder'; min: number; field: (i: number) => string },
): FieldProblem[] {
  return delays.flatMap((delay, i) => {
    const problem = numberProblem(delay.value, { min: rule.min, max: MAX_DELAY });
    if (problem) return [{ field: `${rule.field(i)}.value`, message: problem }];
    const above = delays[i - 1];
    if (i > 0 && Number.isInteger(above!.value) && delayMs(delay) < delayMs(above!))
      return [
        {
          field: rule.field(i),
          message:
            rule.noun === 'step'
              ? __('a step cannot come before the one above it', 'comeback')
              : __('a reminder cannot come before the one above it', 'comeback'),
        },
      ];
    return [];
  });
}

/**
 * A flow's number fields by the one rule, as typed: its step delays, hold-out share and the
 * trigger's numbers (the schema refuses the same values in the same words).
 */
export function flowNumberErrors(flow: FlowDefinition): FieldProblem[] {
  const t = flow.trigger;
  const r = NUMBER_RANGES;
  const trigger: Array<[string, number | null | undefined, NumberRange]> =
    t.event === 'order.unpaid'
      ? t.linkGraceHours === undefined
        ? []
        : [['trigger.linkGraceHours', t.linkGraceHours, r.linkGraceHours]]
      : t.event === 'cart.abandoned'
        ? [['trigger.afterMinutes', t.afterMinutes, r.afterMinutes]]
        : t.event === 'customer.lapsed'
          ? [
              ['trigger.factor', t.factor, r.lapseFactor],
              ['trigger.minDays', t.minDays, r.lapseMinDays],
              ...(t.perMinute === null ? [] : [['trigger.perMinute', t.perMinute, r.perMinute] as [string, number, NumberRange]]),
            ]
          : t.event === 'voucher.expiring'
            ? [['trigger.daysBefore', t.daysBefore, r.daysBefore]]
            : [];
  return [
    ...delayErrors(
      flow.steps.map((s) => s.delay),
      { noun: 'step', min: 0, field: (i) => `steps.${i}.delay` },
    ),
    ...numberErrors([...trigger, ['holdOutPercent', flow.holdOutPercent, r.holdOutPercent]]),
  ];
}
