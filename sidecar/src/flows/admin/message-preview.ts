import { __, _n, _x, sprintf } from '@wordpress/i18n';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { cartsByIds } from '../../carts/cart-store.ts';
import { loadCustomerSubjects } from '../../customers/customer-subjects.ts';
import { loadStoredOrder } from '../../events/order-store.ts';
import { ENDED_STATUSES, PAID_STATUSES } from '../../events/order-status.ts';
import { previewLinkRef } from '../../links/link-token.ts';
import { RenderError, TemplateError } from '../../messages/index.ts';
import { MESSAGE_CHANNELS, type MessageChannel } from '../../messages/message-channel.ts';
import {
  emailTemplateSchema,
  gatewayIdSchema,
  localeSchema,
  textTemplateSchema,
  translationsSchema,
  whatsAppStepSchema,
  type MessageTemplates,
} from '../../messages/message-templates.ts';
import { sampleCart, sampleCustomer, sampleOrder } from '../../messages/sample-context.ts';
import { countSms, type SmsCount } from '../../messages/sms-segments.ts';
import { textsIn } from '../../messages/text-language.ts';
import { messageLinks, type MessageDeps } from '../../messages/step-message.ts';
import {
  orderNumber,
  paymentTitleOf,
  renderStep,
  stepContext,
  type MessageSubject,
  type RenderedStep,
  type StepCoupon,
} from '../../messages/step-render.ts';
import { couponExpiry, expirySchema, offerSchema } from '../../offers/coupons.ts';
import { loadSegmentRules } from '../../segments/segment-tags.ts';
import { orderPayload } from '../../woo/order-payload.ts';
import { loadShopProfile } from '../../woo/shop-profile.ts';
import { FLOW_KEY, loadFlow } from '../definition/flow-store.ts';
import { gatewaysSchema, triggerSchema, type TriggerEvent } from '../definition/flow-definition.ts';
import { subjectTypeOf } from '../definition/flow-texts.ts';
import { DEFAULT_GATEWAYS } from '../definition/presets.ts';
import { loyaltyEventTypesOf } from '../entry/customer-entry.ts';
import { classifyGateway } from '../entry/unpaid-eligibility.ts';
import { latestLoyaltyEventId, newestOrdersToPay, type PreviewSubjectOption } from './preview-subject-store.ts';

/** How many of the newest orders are looked through for one paid the chosen way. */
const NEWEST_ORDERS = 200;

/** A step's texts as the editor holds them, before the whole flow is valid. */
export const draftStepSchema = z.object({
  email: emailTemplateSchema.optional(),
  sms: textTemplateSchema.optional(),
  whatsapp: whatsAppStepSchema.optional(),
  /** The texts in other languages, by WordPress locale (previewed with `language`). */
  translations: translationsSchema.optional(),
  coupon: z.object({ offer: offerSchema, expiry: expirySchema }).optional(),
});
export type DraftStep = z.infer<typeof draftStepSchema>;

const TRIGGER_EVENTS = triggerSchema.options.map((o) => o.shape.event.value) as [TriggerEvent, ...TriggerEvent[]];
/** What a preview needs of a flow's trigger: what its messages are about, and for unpaid orders which gateways pay offline. */
const previewTriggerSchema = z.object({ event: z.enum(TRIGGER_EVENTS), gateways: gatewaysSchema.optional() });
type PreviewTrigger = z.infer<typeof previewTriggerSchema>;

export const subjectRefSchema = z.union([
  z.literal('sample'),
  z.object({ kind: z.enum(['order', 'cart', 'customer']), id: z.string().min(1).max(255) }),
]);

export const previewRequestSchema = z.object({
  /** A saved flow (a preset, the merchant's own, a campaign's); or `draft`: the trigger and the step being edited. */
  flow: z.string().regex(FLOW_KEY).optional(),
  draft: z.object({ trigger: previewTriggerSchema, step: draftStepSchema }).optional(),
  step: z.number().int().min(0).max(9).default(0),
  channel: z.enum(MESSAGE_CHANNELS).default('email'),
  /** An order, cart or customer of the shop, or the sample; by default the newest suitable one, else the sample. */
  subject: subjectRefSchema.optional(),
  /** Unpaid-order flows: which text (online or offline); by default the chosen order's own. */
  gateway: z.enum(['online', 'offline']).optional(),
  /** An offline gateway's own text (`cheque`): rendered against that gateway's newest order. */
  gatewayId: gatewayIdSchema.optional(),
  /** The text for other offline payments: against the newest offline order whose gateway has no text of its own. */
  otherOffline: z.boolean().optional(),
  /**
   * The customer's language, a WordPress locale (`pl_PL`): the step's translation for it is shown,
   * else its default text (the answer says so). By default the default text.
   */
  language: localeSchema.optional(),
});
export type PreviewRequest = z.output<typeof previewRequestSchema>;

/**
 * The language a preview was asked in (null: none), the translation shown (null: the default
 * text), and whether the default was shown because the step has no text in that language.
 */
export type PreviewLanguage = { requested: string | null; used: string | null; fellBack: boolean };

export type PreviewDeps = Pick<MessageDeps, 'pool' | 'publicUrl' | 'linkSecret' | 'linkTtlDays' | 'from'>;

/**
 * A step's message as the customer would get it: the email (subject, HTML, text), the SMS with its
 * encoding and segments counted after the shortcodes were filled, or the WhatsApp free text and
 * approved template with its parameters filled. `subject` names the order, cart or customer it was
 * rendered for; null with `sample` when the shop has none of the kind yet (or the sample was asked for).
 */
export type MessagePreview = {
  channel: MessageChannel;
  message: RenderedStep;
  /** SMS: its encoding, length and parts as the phone network carries it; null for email and WhatsApp (one message however long). */
  count: SmsCount | null;
  subject: PreviewSubjectOption | null;
  sample: boolean;
  gateway: 'online' | 'offline' | null;
  language: PreviewLanguage;
};

/**
 * Renders one step of a flow on one channel for one subject, through the same context and
 * renderer the step queuer uses (messages/step-render.ts). Its links carry a preview reference:
 * opening one shows a page saying what the link does in a real message. A coupon is shown as a
 * sample code (none is created in WooCommerce). Answers the rendering and its link reference.
 */
export async function previewStep(
  deps: PreviewDeps,
  shopId: number,
  input: PreviewRequest,
): Promise<MessagePreview & { ref: string; about: MessageSubject }> {
  const { trigger, step } = await stepToPreview(deps, shopId, input);
  const texts: MessageTemplates = { email: step.email, sms: step.sms, whatsapp: step.whatsapp, translations: step.translations };
  if (!texts[input.channel])
    throw AppError.badRequest(
      'no_template',
      // translators: 1: the step's number, 2: the channel (email, sms, whatsapp).
      sprintf(__('step %1$d has no %2$s text to preview', 'comeback'), input.step + 1, input.channel),
      // translators: %s: the channel (email, sms, whatsapp).
      [{ field: input.channel, message: sprintf(__('write the %s text first', 'comeback'), input.channel) }],
    );
  const now = new Date();
  const profile = await loadShopProfile(deps.pool, shopId);
  const found = await subjectToPreview(deps, shopId, trigger, input, now, Object.keys(step.email?.offlineBodies ?? {}), profile.gateways);
  const coupon = step.coupon ? await sampleCoupon(deps, shopId, step.coupon, found.subject, profile.timeZone, now) : undefined;
  const ref = previewLinkRef();
  const context = stepContext(profile, found.subject, messageLinks(deps, ref), coupon);
  // A draft is compiled under its own key: the compiler re-checks the text, so an edit is never served stale.
  const cacheKey = `preview:${shopId}:${input.flow ?? 'draft'}:${input.step}`;
  try {
    const message = await renderStep(cacheKey, texts, input.channel, found.subject, context, profile.look, input.language);
    const count = message.channel === 'sms' ? countSms(message.text) : null;
    const requested = input.language ?? null;
    const gateway = found.subject.kind === 'order' ? found.subject.gateway : null;
    return {
      channel: input.channel,
      message,
      count,
      subject: found.option,
      sample: found.option === null,
      gateway,
      language: { requested, used: message.textLanguage, fellBack: requested !== null && message.textLanguage === null },
      ref,
      about: found.subject,
    };
  } catch (error) {
    if (error instanceof TemplateError) {
      // A translation's problem at the translation's field (translations.pl_PL.email.subject).
      const used = textsIn(texts, input.channel, input.language).textLanguage;
      const at = used ? `translations.${used}.` : '';
      const field = (f: string) => at + (input.channel === 'whatsapp' ? `whatsapp.text.body` : `${input.channel}.${f}`);
      throw AppError.badRequest(
        'invalid_template',
        error.message,
        error.errors.map((e) => ({ ...e, field: field(e.field) })),
      );
    }
    if (error instanceof RenderError) throw new AppError(error.code, error.message, 422, true);
    throw error;
  }
}

async function stepToPreview(
  deps: PreviewDeps,
  shopId: number,
  input: PreviewRequest,
): Promise<{ trigger: PreviewTrigger; step: DraftStep }> {
  if (input.draft) return input.draft;
  if (!input.flow) throw AppError.badRequest('invalid_body', __('name a saved flow, or send the draft being edited', 'comeback'));
  const flow = await loadFlow(deps.pool, shopId, input.flow);
  // translators: %s: the flow's key.
  if (!flow) throw AppError.notFound(sprintf(__('no flow %s', 'comeback'), input.flow));
  const step = flow.definition.steps[input.step];
  const steps = flow.definition.steps.length;
  if (!step)
    throw AppError.badRequest(
      'unknown_step',
      // translators: 1: how many steps the flow has, 2: the step asked for.
      sprintf(_n('the flow has %1$d step, not %2$d', 'the flow has %1$d steps, not %2$d', steps, 'comeback'), steps, input.step + 1),
    );
  return { trigger: flow.definition.trigger, step };
}

/** Which kind of subject a flow's messages are about (a loyalty event's message speaks to its customer). */
export function subjectKindOf(trigger: { event: TriggerEvent }): MessageSubject['kind'] {
  const type = subjectTypeOf(trigger.event);
  return type === 'event' ? 'customer' : type;
}

type Found = { subject: MessageSubject; option: PreviewSubjectOption | null };

async function subjectToPreview(
  deps: PreviewDeps,
  shopId: number,
  trigger: PreviewTrigger,
  input: PreviewRequest,
  now: Date,
  /** The offline gateways with a text of their own (the text for other offline payments is previewed on another). */
  ownTexts: string[] = [],
  /** The shop's gateways (disabled ones too): a sample order is paid by one titled as its checkout titles it. */
  shopGateways: ReadonlyArray<{ id: string; title: string }> = [],
): Promise<Found> {
  const kind = subjectKindOf(trigger);
  const subjectWord = (k: string) =>
    k === 'order'
      ? _x('order', 'what a message is about', 'comeback')
      : k === 'cart'
        ? _x('cart', 'what a message is about', 'comeback')
        : k === 'customer'
          ? _x('customer', 'what a message is about', 'comeback')
          : k;
  const named = input.subject && input.subject !== 'sample' ? input.subject : null;
  if (named && named.kind !== kind)
    throw AppError.badRequest(
      'wrong_subject',
      // translators: 1: what the flow's messages are about (order, cart, customer), 2: what was picked.
      sprintf(__("this flow's messages are about a %1$s, not a %2$s", 'comeback'), subjectWord(kind), subjectWord(named.kind)),
      // translators: %s: what to pick (an order, a cart, a customer).
      [{ field: 'subject', message: sprintf(__('pick a %s', 'comeback'), subjectWord(kind)) }],
    );
  const wantSample = input.subject === 'sample';
  const gateways = (trigger.event === 'order.unpaid' ? trigger.gateways : undefined) ?? DEFAULT_GATEWAYS;
  // The text an order gets: an unpaid-order flow's by its gateway (or the one asked for); others have one.
  const gatewayOf = (paymentMethod: string) => {
    if (trigger.event !== 'order.unpaid') return null;
    if (input.gateway) return input.gateway;
    const c = classifyGateway(paymentMethod, gateways);
    return c === 'offline' ? 'offline' : 'online';
  };

  if (kind === 'order') {
    let snapshot: unknown;
    if (named) {
      const stored = await loadStoredOrder(deps.pool, shopId, Number(named.id));
      if (!stored) throw AppError.notFound(`order ${named.id} is not among the orders Comeback has seen`);
      snapshot = stored.snapshot;
    } else if (!wantSample) {
      // The newest order with something to pay, paid the way asked for (any way for other flows);
      // for an unpaid-order flow one still awaiting payment first, as its customers' are.
      const newest = (await newestOrdersToPay(deps.pool, shopId, NEWEST_ORDERS)).filter((o) => {
        if (input.gatewayId) return o.paymentMethod === input.gatewayId;
        if (input.otherOffline && ownTexts.includes(o.paymentMethod)) return false;
        return !input.gateway || classifyGateway(o.paymentMethod, gateways) === input.gateway;
      });
      const awaiting = newest.find((o) => !PAID_STATUSES.has(o.status) && !ENDED_STATUSES.has(o.status));
      snapshot = (trigger.event === 'order.unpaid' ? (awaiting ?? newest[0]) : newest[0])?.snapshot;
    }
    if (!snapshot) {
      const order = sampleOrder(
        input.gatewayId ?? (input.otherOffline ? 'cod' : input.gateway === 'offline' ? 'bacs' : 'stripe'),
        shopGateways,
      );
      return { subject: { kind, order, gateway: gatewayOf(order.payment_method) }, option: null };
    }
    const order = orderPayload.parse(snapshot);
    const raw = order as unknown as { billing: { first_name?: string; last_name?: string } };
    const name = [raw.billing.first_name, raw.billing.last_name].filter(Boolean).join(' ');
    const label = [`#${orderNumber(order)}`, name, order.status, paymentTitleOf(order, shopGateways)].filter(Boolean).join(' · ');
    return { subject: { kind, order, gateway: gatewayOf(order.payment_method) }, option: { kind, id: String(order.id), label } };
  }

  if (kind === 'cart') {
    const cart = named ? (await cartsByIds(deps.pool, shopId, [Number(named.id)])).get(Number(named.id)) : undefined;
    if (named && !cart) throw AppError.notFound(`cart ${named.id} is not among the carts Comeback captured`);
    if (!cart) return { subject: { kind, cart: sampleCart(now) }, option: null };
    const label = [`Cart ${cart.id}`, cart.firstName ?? cart.email ?? '', cart.status].filter(Boolean).join(' · ');
    return { subject: { kind, cart }, option: { kind, id: String(cart.id), label } };
  }

  const voucherTrigger = trigger.event === 'voucher.issued' || trigger.event === 'voucher.expiring';
  if (named) {
    const eventId = await latestLoyaltyEventId(deps.pool, shopId, named.id, loyaltyEventTypesOf(trigger.event));
    const loaded = await loadCustomerSubjects(deps.pool, shopId, { keys: [named.id], eventIds: eventId ? [eventId] : [] });
    const customer = loaded.customers.get(named.id);
    if (!customer) throw AppError.notFound('that customer is not among the customers Comeback knows');
    // A voucher notice needs a voucher: their latest, else the sample one (the preview says so).
    const event = (eventId ? loaded.events.get(eventId) : undefined) ?? (voucherTrigger ? sampleCustomer(now, true).event : null);
    const label = [`${customer.firstName} ${customer.lastName}`.trim(), customer.key].filter(Boolean).join(' · ');
    return { subject: { kind, customer, event }, option: { kind, id: customer.key, label } };
  }
  return { subject: { kind, ...sampleCustomer(now, voucherTrigger) }, option: null };
}

/** The step's coupon as the customer would get it, with a sample code of a real one's length: none is created in WooCommerce. */
async function sampleCoupon(
  deps: PreviewDeps,
  shopId: number,
  coupon: NonNullable<DraftStep['coupon']>,
  subject: MessageSubject,
  timeZone: string,
  now: Date,
): Promise<StepCoupon> {
  const { defaultIntervalDays } = await loadSegmentRules(deps.pool, shopId);
  const rhythm = subject.kind === 'customer' ? subject.customer : { avgGapDays: null };
  return {
    code: 'CB-PREVIEW00000',
    offer: coupon.offer,
    expiresAt: couponExpiry(coupon.expiry, rhythm, defaultIntervalDays, now, timeZone),
  };
}
