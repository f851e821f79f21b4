import { __, sprintf } from '@wordpress/i18n';
import { z } from 'zod';
import { PURPOSES, type Purpose } from '../../consent/consent-rules.ts';
import { MESSAGE_CHANNELS } from '../../messages/message-channel.ts';
import { emailTemplateSchema, textTemplateSchema, translationsSchema, whatsAppStepSchema } from '../../messages/message-templates.ts';
import { expirySchema, offerSchema } from '../../offers/coupons.ts';
import { segmentTag } from '../../segments/segment-tags.ts';
import { upgradeOfflineTexts } from './offline-texts.ts';
import { withoutPointsNoun } from './points-wording.ts';
import { delayErrors, delayMs, MAX_DELAY, NUMBER_RANGES } from './flow-texts.ts';
import { rangedNumber } from './ranged-number.ts';

export { rangedNumber };

/**
 * A flow, as the merchant edits it: what starts it (trigger), who may enter (audience), the
 * ordered steps (each a delay after the trigger, the channels to try in order, a template per
 * channel and conditions), what ends it early (exit), when messages may go (send window, in the
 * customer's zone), and the share of entrants held out as a control group.
 *
 * Every save is a new version; an enrollment keeps the version it entered with, so editing a
 * flow never changes a message already on its way.
 */
export const delaySchema = z.object({
  value: rangedNumber({ min: 0, max: MAX_DELAY }),
  unit: z.enum(['minutes', 'hours', 'days']),
});
export type Delay = z.infer<typeof delaySchema>;
export { delayMs };

export const stepConditionSchema = z.discriminatedUnion('kind', [
  /** Only if some item of the cart (or order) has fewer than `below` in stock: urgency only when true. */
  z.object({ kind: z.literal('low_stock'), below: z.number().int().min(1).max(1_000) }),
  /** Only if the cart or order is worth at least this much (shop currency). */
  z.object({ kind: z.literal('min_total'), amount: z.number().min(0) }),
]);
export type StepCondition = z.infer<typeof stepConditionSchema>;

export const stepSchema = z
  .object({
    /** After the trigger (order placed, cart abandoned, order completed, shipped), not after the previous step. */
    delay: delaySchema,
    /** Tried in order: the first the customer can be reached on (address, consent, channel set up) is used. */
    channels: z.array(z.enum(MESSAGE_CHANNELS)).min(1).max(3),
    /** Stored before per-gateway offline texts: upgraded as it is read (upgradeOfflineTexts). */
    email: emailTemplateSchema.transform(upgradeOfflineTexts).transform(withoutPointsNoun).optional(),
    /** Stored when [points_balance] printed a bare number: "[points_balance] points" read without the noun (withoutPointsNoun). */
    sms: textTemplateSchema.transform(withoutPointsNoun).optional(),
    whatsapp: whatsAppStepSchema.transform(withoutPointsNoun).optional(),
    /** The texts above in other languages, by WordPress locale; the message's language picks one (a missing one: the default). */
    translations: translationsSchema.optional(),
    conditions: z.array(stepConditionSchema).max(5).default([]),
    /** A personal coupon created in WooCommerce for this message ([coupon_code] shows it); none for the hold-out. */
    coupon: z.object({ offer: offerSchema, expiry: expirySchema }).optional(),
  })
  .superRefine((step, ctx) => {
    if (new Set(step.channels).size !== step.channels.length)
      ctx.addIssue({ code: 'custom', path: ['channels'], message: __('a channel is listed twice', 'comeback') });
    for (const channel of step.channels) {
      if (!step[channel])
        ctx.addIssue({
          code: 'custom',
          path: [channel],
          // translators: %s: the channel (email, sms, whatsapp).
          message: sprintf(__('the step sends by %1$s but has no %1$s template', 'comeback'), channel),
        });
    }
  });
export type FlowStep = z.infer<typeof stepSchema>;

/** Which payment gateways an unpaid-order flow reminds about: the flow's trigger and the recovery form share it. */
export const gatewaysSchema = z.object({
  /** Patterns: exact ids, or a prefix ending in `*` (payu* matches payustandard). */
  online: z.array(z.string().min(1)).default([]),
  offline: z.array(z.string().min(1)).default([]),
  never: z.array(z.string().min(1)).default([]),
});

/**
 * How long after an unpaid order's last reminder its link may still be used: the order stays
 * marked in recovery (spared WooCommerce's hold-stock auto-cancel, within the plugin's keep-alive
 * limit) until the last send plus this grace. 720 h is the plugin's own longest keep-alive limit.
 */
export const linkGraceHoursSchema = rangedNumber(NUMBER_RANGES.linkGraceHours);
export const DEFAULT_LINK_GRACE_HOURS = 48;

/** The grace after the last reminder of an unpaid-order flow, in ms (0 for other flows: their subjects are never marked). */
export function linkGraceMs(trigger: Trigger): number {
  return trigger.event === 'order.unpaid' ? (trigger.linkGraceHours ?? DEFAULT_LINK_GRACE_HOURS) * 3_600_000 : 0;
}

export const triggerSchema = z.discriminatedUnion('event', [
  /** An order awaiting payment: pending at an online gateway, on hold for an offline one. */
  z.object({ event: z.literal('order.unpaid'), gateways: gatewaysSchema, linkGraceHours: linkGraceHoursSchema.optional() }),
  /** A cart captured at checkout with no order after `afterMinutes`. */
  z.object({ event: z.literal('cart.abandoned'), afterMinutes: rangedNumber(NUMBER_RANGES.afterMinutes) }),
  /** An order paid (or accepted for cash on delivery): the order confirmation. */
  z.object({ event: z.literal('order.placed') }),
  /** An order completed: post-sale. */
  z.object({ event: z.literal('order.completed') }),
  /** A tracking number appeared on the order (meta or a note). */
  z.object({ event: z.literal('order.shipped') }),
  /**
   * Win-back: the days since the customer's last purchase passed their own average gap times
   * `factor` (a single purchase: the shop's default interval), and at least `minDays`. Step delays
   * count from that moment; a new purchase ends it, and the next lapse is a new entry.
   */
  z.object({
    event: z.literal('customer.lapsed'),
    factor: rangedNumber(NUMBER_RANGES.lapseFactor).default(1.25),
    minDays: rangedNumber(NUMBER_RANGES.lapseMinDays).default(14),
    /**
     * At most this many lapsed customers a minute get their offer (the most recently lapsed first),
     * so switching win-back on for a shop with years of lapsed customers does not send to all of
     * them at the next opening of the send window; null: no limit.
     */
    perMinute: rangedNumber(NUMBER_RANGES.perMinute).nullable().default(null),
  }),
  /** A one-off broadcast: its audience is entered when the campaign launches (campaigns/). */
  z.object({ event: z.literal('campaign') }),
  /** Loyalty events (POST /api/events). A voucher was issued to the customer. */
  z.object({ event: z.literal('voucher.issued') }),
  /** A voucher not yet used expires in `daysBefore` days: step delays count from that moment. */
  z.object({ event: z.literal('voucher.expiring'), daysBefore: rangedNumber(NUMBER_RANGES.daysBefore).default(7) }),
  /** The customer's birthday, the day it is in their time zone. */
  z.object({ event: z.literal('customer.birthday') }),
  /** The program asks for an NPS survey ([nps_link] is the signed 0–10 page). */
  z.object({ event: z.literal('nps.requested') }),
  /** A points or cashback balance changed: the balance reminder. */
  z.object({ event: z.literal('balance.updated') }),
]);
export type Trigger = z.infer<typeof triggerSchema>;
export type TriggerEvent = Trigger['event'];

export const audienceSchema = z.object({
  minTotal: z.number().min(0).optional(),
  /** ISO 3166 codes of billing countries; empty = everyone. */
  countries: z
    .array(z.string().regex(/^[A-Z]{2}$/))
    .max(250)
    .default([]),
  /** Segments (customer tags) the customer must have one of; empty = any customer. */
  tags: z.array(segmentTag).max(20).default([]),
  /** Segments that keep a customer out. */
  excludeTags: z.array(segmentTag).max(20).default([]),
});

export const exitSchema = z.object({
  /** Leave when the customer places a paid order (for carts: from the same email or phone). */
  onPurchase: z.boolean().default(true),
  /** Custom events (POST /api/flows/events) that end the flow for the customer. */
  events: z
    .array(z.string().regex(/^[a-z0-9_.-]{1,64}$/))
    .max(10)
    .default([]),
});

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: () => __('a time such as 09:00', 'comeback') });
export const sendWindowSchema = z
  .object({ start: clock, end: clock })
  .refine((w) => w.start !== w.end, { error: () => __('the window opens and closes at the same time', 'comeback') });
export type SendWindow = z.infer<typeof sendWindowSchema>;

/**
 * The purpose each trigger's preset declares (consent/consent-rules.ts): order messages are about
 * an order the customer placed, cart reminders about their cart, the rest is marketing.
 */
export const PRESET_PURPOSE = {
  'order.unpaid': 'order',
  'order.placed': 'order',
  'order.shipped': 'order',
  'cart.abandoned': 'cart',
  'order.completed': 'marketing',
  'customer.lapsed': 'marketing',
  campaign: 'marketing',
  'voucher.issued': 'marketing',
  'voucher.expiring': 'marketing',
  'customer.birthday': 'marketing',
  'nps.requested': 'marketing',
  'balance.updated': 'marketing',
} as const satisfies Record<TriggerEvent, Purpose>;

/** Triggers whose messages are never about an order the customer placed: `order` is refused for them. */
const NEVER_ORDER: ReadonlySet<TriggerEvent> = new Set([
  'cart.abandoned',
  'customer.lapsed',
  'campaign',
  'voucher.issued',
  'voucher.expiring',
  'customer.birthday',
  'nps.requested',
  'balance.updated',
]);

/**
 * A flow stored before purposes were per consent (transactional or marketing), or without one,
 * takes its trigger's preset purpose; a cart flow stored as marketing is a cart flow (the cart
 * box at checkout was its only opt-in).
 */
function upgradePurpose(input: unknown): unknown {
  if (!input || typeof input !== 'object') return input;
  const flow = input as { purpose?: unknown; trigger?: { event?: unknown } };
  const event = flow.trigger?.event as TriggerEvent | undefined;
  const preset = event && event in PRESET_PURPOSE ? PRESET_PURPOSE[event] : undefined;
  if (!preset) return input;
  if (flow.purpose === undefined || flow.purpose === null) return { ...flow, purpose: preset };
  if (flow.purpose === 'transactional') return { ...flow, purpose: NEVER_ORDER.has(event!) ? preset : 'order' };
  if (flow.purpose === 'marketing' && event === 'cart.abandoned') return { ...flow, purpose: 'cart' };
  return input;
}

/** The purpose of a stored definition, as its parse would give it (an unsubscribe link reads it straight from its message's flow). */
export function storedPurpose(definition: unknown): Purpose | null {
  const purpose = (upgradePurpose(definition) as { purpose?: unknown } | null)?.purpose;
  return (PURPOSES as readonly unknown[]).includes(purpose) ? (purpose as Purpose) : null;
}

const flowObjectSchema = z.object({
  name: z.string().min(1).max(120),
  /** Which consent its messages need (consent/consent-rules.ts mayContact): order, cart or marketing. */
  purpose: z.enum(PURPOSES),
  trigger: triggerSchema,
  audience: audienceSchema.default({ countries: [], tags: [], excludeTags: [] }),
  steps: z.array(stepSchema).min(1).max(10),
  exit: exitSchema.default({ onPurchase: true, events: [] }),
  /** Messages go only inside this window of the customer's local time; null = any time. */
  sendWindow: sendWindowSchema.nullable().default(null),
  /** This share of entrants is recorded but never messaged (the control group for uplift). */
  holdOutPercent: rangedNumber(NUMBER_RANGES.holdOutPercent).default(0),
});

export const flowDefinitionSchema = z.preprocess(
  upgradePurpose,
  flowObjectSchema.superRefine((flow, ctx) => {
    if (flow.purpose === 'order' && NEVER_ORDER.has(flow.trigger.event))
      ctx.addIssue({
        code: 'custom',
        path: ['purpose'],
        message:
          flow.trigger.event === 'cart.abandoned'
            ? __('A cart reminder is about a cart, not an order the customer placed: its purpose is cart (or marketing).', 'comeback')
            : __(
                'These messages are not about an order the customer placed: their purpose is marketing, which needs the customer’s opt-in.',
                'comeback',
              ),
      });
  }),
);
export type FlowDefinition = z.infer<typeof flowObjectSchema>;
export type FlowDefinitionInput = z.input<typeof flowObjectSchema>;

/** The schema plus the rule across steps (flow-texts.ts, the recovery form's too): delays never go backwards, steps are sent in order. */
export const checkedFlowDefinitionSchema = flowDefinitionSchema.superRefine((flow, ctx) => {
  const problems = delayErrors(
    flow.steps.map((s) => s.delay),
    { noun: 'step', min: 0, field: (i) => `steps.${i}.delay` },
  );
  for (const p of problems) ctx.addIssue({ code: 'custom', path: p.field.split('.'), message: p.message });
});

export function parseFlowDefinition(input: unknown): FlowDefinition {
  return checkedFlowDefinitionSchema.parse(input);
}
