import type { TemplateContext } from '@comeback/shortcodes';
import type { Cart } from '../carts/cart-store.ts';
import { voucherOf, type CustomerFacts, type LoyaltyFacts } from '../customers/customer-subjects.ts';
import type { Offer } from '../offers/coupons.ts';
import type { OrderPayload } from '../woo/order-payload.ts';
import type { ShopProfile } from '../woo/shop-profile.ts';
import { compileTemplate, render, renderShortcodes, type RenderContext, type RenderedMessage } from './index.ts';
import { inLocale, isRightToLeft, languageTag } from '../i18n/translations.ts';
import { currencySymbol, gatewayTitle } from './display-format.ts';
import type { EmailLanguage } from './layout.ts';
import type { MessageChannel } from './message-channel.ts';
import { bodyFor, bodyKeyOf, type MessageTemplates, type PaymentOf } from './message-templates.ts';
import type { EmailLook } from './shop-email.ts';
import { formatsInLanguage } from './shop-formats.ts';
import { defaultTextLanguage, textsIn } from './text-language.ts';
import { trackingFromOrderMeta } from './tracking.ts';
import { unsubscribeHeaders } from './unsubscribe-headers.ts';

// One step's message on one channel, from its subject and texts: the render context (what the
// shortcodes may show) and the rendered email, SMS or WhatsApp message. The step queuer and the
// editor's preview both go through here, so a preview is exactly what the customer gets.

/**
 * What a message is about: an order (with the gateway class when the flow is about paying it), a
 * cart, or a customer (win-back, campaigns) with the loyalty event it answers, if any.
 */
export type MessageSubject =
  | { kind: 'order'; order: OrderPayload; gateway: 'online' | 'offline' | null }
  | { kind: 'cart'; cart: Cart }
  | { kind: 'customer'; customer: CustomerFacts; event: LoyaltyFacts | null };

/** The personal coupon a step's message carries. */
export type StepCoupon = { code: string; offer: Offer; expiresAt: Date };

/** What every message shows about the shop: the profile without how messages are sent and formatted. */
export function shopOf(profile: ShopProfile): RenderContext['shop'] {
  const { timeZone, formats, sender, look, gateways, ...shop } = profile;
  return shop;
}

/** What a message about this order may show: the Handlebars root of its render. */
export function orderContext(
  profile: ShopProfile,
  order: OrderPayload,
  gateway: 'online' | 'offline' | null,
  links: { payment: string; unsubscribe: string },
): RenderContext {
  const raw = order as unknown as Record<string, unknown>;
  const billing = (raw.billing ?? {}) as Record<string, string>;
  const items = Array.isArray(raw.line_items) ? (raw.line_items as Array<Record<string, unknown>>) : [];
  const { timeZone, formats } = profile;
  const currency = order.currency ?? 'USD';
  const instructions = profile.gateways.find((g) => g.id === order.payment_method)?.instructions;
  const tracking = Array.isArray(raw.meta_data) ? trackingFromOrderMeta(raw.meta_data as Array<{ key: string; value: unknown }>) : null;
  return {
    shop: shopOf(profile),
    order: {
      number: orderNumber(order),
      dateCreated: order.date_created_gmt ?? new Date(),
      total: order.total,
      currency,
      // WooCommerce's REST orders carry the symbol as the shop prints it (html entities decoded).
      currencySymbol: typeof raw.currency_symbol === 'string' && raw.currency_symbol !== '' ? raw.currency_symbol : currency,
      paymentMethodTitle: paymentTitleOf(order, profile.gateways),
      items: items.map((i) => ({ name: scalarText(i.name) ?? '', quantity: Number(i.quantity ?? 1), total: scalarText(i.total) ?? '' })),
      ...(instructions ? { paymentInstructions: instructions } : {}),
      ...(tracking ? { tracking } : {}),
    },
    customer: { firstName: billing.first_name ?? '', lastName: billing.last_name ?? '', email: billing.email ?? '' },
    // Only a text about paying online gets a payment link (the validator refuses [payment_link] elsewhere).
    links: gateway === 'online' ? links : { unsubscribe: links.unsubscribe },
    formats,
    timeZone,
  };
}

/** The order's number as the shop shows it (a sequential-numbers plugin may change it), else its id. */
export function orderNumber(order: OrderPayload): string {
  return scalarText((order as unknown as Record<string, unknown>).number) ?? String(order.id);
}

/** A scalar of the order's JSON as text; undefined when absent (null or missing) or not a scalar. */
/**
 * How an order was paid, as its customer saw it at checkout: the order's own title, else its
 * gateway's (gatewayTitle: the shop's list, disabled gateways too), never the gateway's id.
 */
export function paymentTitleOf(order: OrderPayload, shopGateways: ReadonlyArray<{ id: string; title: string }>): string {
  const own = scalarText((order as unknown as Record<string, unknown>).payment_method_title)?.trim();
  return own || (order.payment_method ? gatewayTitle(order.payment_method, shopGateways) : '');
}

function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** What a message about this cart may show. */
export function cartContext(profile: ShopProfile, cart: Cart, links: { cart: string; unsubscribe: string }): RenderContext {
  const { timeZone, formats } = profile;
  const currency = cart.currency ?? 'USD';
  return {
    shop: shopOf(profile),
    cart: {
      items: cart.items.map((i) => ({ name: i.name, quantity: i.quantity, total: i.total })),
      total: cart.total,
      currency,
      currencySymbol: currencySymbol(currency, formats.locale),
    },
    customer: { firstName: cart.firstName ?? '', lastName: '', email: cart.email ?? '' },
    links: { cart: links.cart, unsubscribe: links.unsubscribe },
    formats,
    timeZone,
  };
}

/**
 * What a message to a customer may show: who they are, their balances and the voucher the event
 * is about, their personal coupon, the NPS survey and their loyalty portal. No order, no cart.
 */
export function customerContext(
  profile: ShopProfile,
  subject: Extract<MessageSubject, { kind: 'customer' }>,
  links: { unsubscribe: string; nps: string },
): RenderContext {
  const { timeZone, formats } = profile;
  const shop = shopOf(profile);
  const { customer, event } = subject;
  const voucher = voucherOf(event);
  const currency = voucher?.currency ?? customer.currency;
  const symbol = currency ? currencySymbol(currency, formats.locale) : '';
  const cashbackCurrency = customer.cashbackCurrency ?? currency;
  return {
    shop,
    customer: { firstName: customer.firstName, lastName: customer.lastName, email: customer.email ?? '' },
    loyalty: {
      currencySymbol: symbol,
      ...(cashbackCurrency ? { cashbackCurrencySymbol: currencySymbol(cashbackCurrency, formats.locale) } : {}),
      ...(customer.points !== null ? { points: customer.points } : {}),
      ...(customer.cashback !== null ? { cashback: customer.cashback } : {}),
      ...(voucher
        ? {
            voucher: {
              code: voucher.code,
              value: String(voucher.value),
              kind: voucher.kind ?? 'amount',
              ...(voucher.expiresAt ? { expiresAt: new Date(voucher.expiresAt) } : {}),
            },
          }
        : {}),
    },
    links: { unsubscribe: links.unsubscribe, nps: links.nps, ...(customer.portalUrl ? { portal: customer.portalUrl } : {}) },
    formats,
    timeZone,
  };
}

/** The currency a subject's prices are in (a coupon's money off is shown in it). */
function currencyOf(subject: MessageSubject): string | null {
  if (subject.kind === 'order') return subject.order.currency ?? null;
  if (subject.kind === 'cart') return subject.cart.currency ?? null;
  return subject.customer.currency;
}

/** The template context of a text: the order's gateway class, the cart, or an order however paid. */
export function templateContextOf(subject: MessageSubject): TemplateContext {
  if (subject.kind === 'cart') return 'cart';
  if (subject.kind === 'customer') return 'customer';
  return subject.gateway ?? 'any';
}

/** Which body an order subject gets: its gateway class and id (null for every other subject). */
export function paymentOf(subject: MessageSubject): PaymentOf | null {
  return subject.kind === 'order' && subject.gateway ? { gateway: subject.gateway, method: subject.order.payment_method } : null;
}

type Texts = { body: string; offlineBody?: string; offlineBodies?: Record<string, string> };

/**
 * One email's subject, HTML and text for an order paid this way (bodyFor), compiled once per cache
 * key, body and language (`language`: the text's, for the HTML's lang and dir).
 */
export async function renderEmail(
  cacheKey: string,
  template: Texts & { subject: string },
  payment: PaymentOf | null,
  templateContext: TemplateContext,
  context: RenderContext,
  look?: EmailLook,
  language?: EmailLanguage,
): Promise<RenderedMessage> {
  const compiled = await compileTemplate({
    look,
    language,
    id: `${cacheKey}:${templateContext}:${bodyKeyOf(template, payment)}`,
    version: 1, // the compiler re-checks the text, so an edited text is never served stale
    subject: template.subject,
    body: bodyFor(template, payment),
    context: templateContext,
  });
  return render(compiled, context);
}

/** A short text message (SMS, WhatsApp): shortcodes rendered as plain text, links as bare URLs. */
export function renderText(text: Texts, payment: PaymentOf | null, templateContext: TemplateContext, context: RenderContext): string {
  return renderShortcodes(bodyFor(text, payment), templateContext, context, 'text').trim();
}

/** A message's links as its context carries them (signed per message by `messageLinks`). */
export type MessageLinks = { payment: string; cart?: string; unsubscribe: string; nps: string };

/** What the step's message may show about its subject, with its coupon when it carries one. */
export function stepContext(profile: ShopProfile, subject: MessageSubject, links: MessageLinks, coupon?: StepCoupon): RenderContext {
  let context: RenderContext;
  if (subject.kind === 'order') context = orderContext(profile, subject.order, subject.gateway, links);
  else if (subject.kind === 'cart') context = cartContext(profile, subject.cart, { cart: links.cart!, unsubscribe: links.unsubscribe });
  else context = customerContext(profile, subject, links);
  if (coupon) {
    const currency = currencyOf(subject);
    const { offer } = coupon;
    context.coupon = {
      code: coupon.code,
      type: offer.type,
      amount: offer.type === 'product' ? '100' : String(offer.amount),
      currencySymbol: currency ? currencySymbol(currency, profile.formats.locale) : '',
      expiresAt: coupon.expiresAt,
    };
  }
  return context;
}

/** One step's message as it goes on its channel, with the translation it was written from (null: the default text). */
export type RenderedStep = (
  | { channel: 'email'; subject: string; html: string; text: string; headers: Record<string, string> }
  | { channel: 'sms'; text: string }
  | {
      channel: 'whatsapp';
      /** The free text, sent inside the customer's 24-hour window. */
      text: string;
      /** The approved template with its parameters filled, sent outside it. */
      template: { name: string; language: string; parameters: string[] };
      /** The customer's language has no approved template: the default one goes (the language asked). */
      templateFallback?: { language: string };
    }
) & { textLanguage: string | null };

/**
 * Renders a step's texts for one channel in the customer's language (`locale`, a WordPress locale;
 * none: the default text): the step's translation for it when it has one for the channel
 * (text-language.ts), else the default text. Dates take the names and order of the text's
 * language when it is not the shop's; an email's HTML carries the text's language and direction
 * (for the default text, the shop's: defaultTextLanguage). `cacheKey` names the compiled email (per flow version and
 * step; the text's language is added); the email carries the unsubscribe headers (RFC 8058: the
 * one-click Post header only for an https URL, which the helper decides).
 */
export async function renderStep(
  cacheKey: string,
  definition: MessageTemplates,
  channel: MessageChannel,
  subject: MessageSubject,
  context: RenderContext,
  look?: EmailLook,
  locale?: string | null,
): Promise<RenderedStep> {
  const { texts, textLanguage, templateFallback } = textsIn(definition, channel, locale);
  // The words the message prints besides the text (link words, counts, coupon words, dates) in the text's language.
  const defaultLanguage = defaultTextLanguage(definition, context.formats.locale);
  const written = textLanguage ?? defaultLanguage;
  return inLocale(written, async (): Promise<RenderedStep> => {
    const templateContext = templateContextOf(subject);
    const payment = paymentOf(subject);
    const inText = { ...context, formats: formatsInLanguage(context.formats, written) };
    if (channel === 'email') {
      const language = { tag: languageTag(written), rtl: isRightToLeft(written) };
      const key = textLanguage ? `${cacheKey}:${textLanguage}` : cacheKey;
      const rendered = await renderEmail(key, texts.email!, payment, templateContext, inText, look, language);
      return { channel, ...rendered, headers: unsubscribeHeaders(context.links.unsubscribe!), textLanguage };
    }
    if (channel === 'sms') return { channel, text: renderText(texts.sms!, payment, templateContext, inText), textLanguage };
    const whatsapp = texts.whatsapp!;
    // The default template (a fallback) is filled as the default text would be.
    const own = whatsapp.template !== definition.whatsapp?.template;
    const parameters = (ctx: RenderContext) =>
      whatsapp.template.parameters.map((p) => renderShortcodes(p, templateContext, ctx, 'text').trim());
    return {
      channel,
      text: renderText(whatsapp.text, payment, templateContext, inText),
      template: {
        name: whatsapp.template.name,
        language: whatsapp.template.language,
        parameters: own
          ? parameters(inText)
          : inLocale(defaultLanguage, () => parameters({ ...context, formats: formatsInLanguage(context.formats, defaultLanguage) })),
      },
      ...(templateFallback ? { templateFallback } : {}),
      textLanguage,
    };
  });
}
