import type { Pool } from 'mysql2/promise';
import type { TemplateContext } from '@comeback/shortcodes';
import type { Cart } from '../carts/cart-store.ts';
import { unsubscribeHeaders } from './unsubscribe-headers.ts';
import { newLinkRef, orderLinkRef, signLinkToken } from '../links/link-token.ts';
import { npsLink } from '../loyalty/nps-page.ts';
import { compileTemplate, render, renderShortcodes, type RenderContext, type RenderedMessage } from './index.ts';
import { trackingFromOrderMeta } from './tracking.ts';
import { createOutboxWriter } from './outbox.ts';
import { ttlCache } from '../ttl-cache.ts';
import type { OrderPayload } from '../woo/order-payload.ts';
import { shopProfileCache, type ShopProfile } from '../woo/shop-profile.ts';
import { messageSender, type EmailLook } from './shop-email.ts';
import { shopLinkSettings } from '../woo/shop-store.ts';
import type { Offer } from '../offers/coupons.ts';
import { voucherOf, type CustomerFacts, type LoyaltyFacts } from '../customers/customer-subjects.ts';
import type { MessageChannel } from './message-channel.ts';
import { bodyFor, bodyKeyOf, type MessageTemplates, type PaymentOf } from './message-templates.ts';

export type MessageDeps = {
  pool: Pool;
  /** Where customers reach the sidecar; a getter, because it is known only once the server listens. */
  publicUrl: () => string;
  linkSecret: string;
  linkTtlDays: number;
  from: string;
  /** false: every email From `from`, whatever the shop's WooCommerce sender (COMEBACK_MAIL_SHOP_FROM=off). */
  shopFrom?: boolean;
};

/** Where a shop's plugin answers links, and the shared secret it verifies them with. */
export type ShopLinks = { linkBase: string; secret: string };
/** `paysOnShop`: the plugin registered its link base, so payment links go to the shop too. */
type ShopLinkSettings = ShopLinks & { paysOnShop: boolean };

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

/**
 * The customer's links for one message, signed and expiring, carrying only the message's random
 * reference. Payment and cart links are answered on the shop's own domain by its plugin
 * (`<shop>?comeback=<token>`, signed with the shop's secret) when it is connected; payment links
 * otherwise by the sidecar's /r/. Unsubscribing is always the sidecar's /u/.
 */
export function messageLinks(
  deps: Pick<MessageDeps, 'publicUrl' | 'linkSecret' | 'linkTtlDays'>,
  ref: string,
  shopLinks?: ShopLinks,
  now = Date.now(),
) {
  const publicUrl = deps.publicUrl();
  const expiresAt = Math.floor(now / 1000) + deps.linkTtlDays * 86_400;
  const unsubscribeUntil = Math.floor(now / 1000) + 365 * 86_400;
  const onShop = (kind: 'pay' | 'cart') =>
    shopLinks
      ? `${shopLinks.linkBase}${shopLinks.linkBase.includes('?') ? '&' : '?'}comeback=${signLinkToken({ kind, ref, expiresAt }, shopLinks.secret)}`
      : null;
  return {
    payment: onShop('pay') ?? `${publicUrl}/r/${signLinkToken({ kind: 'pay', ref, expiresAt }, deps.linkSecret)}`,
    cart: onShop('cart') ?? undefined,
    unsubscribe: `${publicUrl}/u/${signLinkToken({ kind: 'unsubscribe', ref, expiresAt: unsubscribeUntil }, deps.linkSecret)}`,
    nps: npsLink(publicUrl, deps.linkSecret, ref, new Date(now), deps.linkTtlDays),
  };
}

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
      number: scalarText(raw.number) ?? String(order.id),
      dateCreated: order.date_created_gmt ?? new Date(),
      total: order.total,
      currency,
      // WooCommerce's REST orders carry the symbol as the shop prints it (html entities decoded).
      currencySymbol: typeof raw.currency_symbol === 'string' && raw.currency_symbol !== '' ? raw.currency_symbol : currency,
      paymentMethodTitle: scalarText(raw.payment_method_title) ?? order.payment_method,
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

/** A scalar of the order's JSON as text; undefined when absent (null or missing) or not a scalar. */
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

/** The symbol a cart's price shows (carts come from the plugin without WooCommerce's own symbol). */
function currencySymbol(currency: string, locale: string): string {
  try {
    const part = new Intl.NumberFormat(locale.replace('_', '-'), { style: 'currency', currency, currencyDisplay: 'narrowSymbol' })
      .formatToParts(0)
      .find((p) => p.type === 'currency');
    return part?.value ?? currency;
  } catch {
    return currency;
  }
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

/** One email's subject, HTML and text for an order paid this way (bodyFor), compiled once per cache key and body. */
export async function renderEmail(
  cacheKey: string,
  template: Texts & { subject: string },
  payment: PaymentOf | null,
  templateContext: TemplateContext,
  context: RenderContext,
  look?: EmailLook,
): Promise<RenderedMessage> {
  const compiled = await compileTemplate({
    look,
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

export type StepMessage = {
  shopId: number;
  enrollmentId: number;
  step: number;
  /** `${flow}@${version}:${step}`: the compiled templates' cache key. */
  templateKey: string;
  channel: MessageChannel;
  idempotencyKey: string;
  /** The address on that channel: an email, or an E.164 number. */
  to: string;
  customerKey: string | null;
  /** The step's texts per channel. */
  definition: MessageTemplates;
  subject: MessageSubject;
  /** The step's personal coupon, when it offers one. */
  coupon?: StepCoupon;
};

/**
 * Turns a step into a message in the outbox on one channel: rendered for this customer, with
 * signed links that carry only a random reference stored on the row. For WhatsApp both forms go
 * in the row (the free text, and the approved template with its parameters rendered): which one
 * is sent is decided at send time by the 24-hour window.
 */
export function createStepQueuer(deps: MessageDeps): (message: StepMessage) => Promise<{ id: number; created: boolean }> {
  const profiles = shopProfileCache(deps.pool);
  const outbox = createOutboxWriter(deps.pool);
  const linksOf = ttlCache(async (shopId: number): Promise<ShopLinkSettings | null> => {
    const shop = await shopLinkSettings(deps.pool, shopId);
    if (!shop) return null;
    // A cart is restored by the plugin on the shop's domain: its home answers ?comeback= links.
    return { linkBase: shop.linkBase ?? `${shop.url.replace(/\/+$/, '')}/`, secret: shop.secret, paysOnShop: Boolean(shop.linkBase) };
  }, 30_000);
  return async (m) => {
    const shopLinks = await linksOf(m.shopId);
    const ref = m.subject.kind === 'order' && shopLinks?.paysOnShop ? orderLinkRef(m.subject.order.id) : newLinkRef();
    const profile = await profiles(m.shopId);
    let context: RenderContext;
    if (m.subject.kind === 'order') {
      const links = messageLinks(deps, ref, shopLinks?.paysOnShop ? shopLinks : undefined);
      context = orderContext(profile, m.subject.order, m.subject.gateway, links);
    } else if (m.subject.kind === 'cart') {
      const links = messageLinks(deps, ref, shopLinks ?? undefined);
      context = cartContext(profile, m.subject.cart, { cart: links.cart!, unsubscribe: links.unsubscribe });
    } else {
      context = customerContext(profile, m.subject, messageLinks(deps, ref));
    }
    if (m.coupon) {
      const currency = currencyOf(m.subject);
      const { offer } = m.coupon;
      context.coupon = {
        code: m.coupon.code,
        type: offer.type,
        amount: offer.type === 'product' ? '100' : String(offer.amount),
        currencySymbol: currency ? currencySymbol(currency, profile.formats.locale) : '',
        expiresAt: m.coupon.expiresAt,
      };
    }
    const templateContext = templateContextOf(m.subject);
    const payment = paymentOf(m.subject);
    const base = {
      idempotencyKey: m.idempotencyKey,
      shopId: m.shopId,
      enrollmentId: m.enrollmentId,
      step: m.step,
      to: m.to,
      from: deps.from,
      linkRef: ref,
      customerKey: m.customerKey,
    };
    if (m.channel === 'email') {
      const rendered = await renderEmail(
        `flow:${m.shopId}:${m.templateKey}`,
        m.definition.email!,
        payment,
        templateContext,
        context,
        profile.look,
      );
      // From the shop's own name and address (WooCommerce's email sender options), replies to the
      // shop; the global sender stays the envelope sender and the Sender header (see the SMTP provider).
      const sender = messageSender(profile.sender, deps);
      // RFC 8058: one line; the one-click Post header only for an https URL (the helper decides).
      return outbox.enqueue({
        ...base,
        channel: 'email',
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        ...(sender.shops ? { from: sender.from, replyTo: sender.replyTo } : {}),
        headers: unsubscribeHeaders(context.links.unsubscribe!),
      });
    }
    if (m.channel === 'sms') {
      return outbox.enqueue({
        ...base,
        channel: 'sms',
        subject: '',
        html: '',
        text: renderText(m.definition.sms!, payment, templateContext, context),
      });
    }
    const whatsapp = m.definition.whatsapp!;
    const parameters = whatsapp.template.parameters.map((p) => renderShortcodes(p, templateContext, context, 'text').trim());
    return outbox.enqueue({
      ...base,
      channel: 'whatsapp',
      subject: '',
      html: '',
      text: renderText(whatsapp.text, payment, templateContext, context),
      payload: { template: { name: whatsapp.template.name, language: whatsapp.template.language, parameters } },
    });
  };
}
