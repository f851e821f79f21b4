import type { Pool } from 'mysql2/promise';
import { newLinkRef, orderLinkRef, signLinkToken } from '../links/link-token.ts';
import { npsLink } from '../loyalty/nps-page.ts';
import { createOutboxWriter, type OutboxMessage } from './outbox.ts';
import { ttlCache } from '../ttl-cache.ts';
import { shopProfileCache } from '../woo/shop-profile.ts';
import { shopLinkSettings } from '../woo/shop-store.ts';
import type { MessageChannel } from './message-channel.ts';
import type { MessageLanguage, MessageTemplates } from './message-templates.ts';
import { messageSender } from './shop-email.ts';
import { renderStep, stepContext, type MessageLinks, type MessageSubject, type RenderedStep, type StepCoupon } from './step-render.ts';

export type { MessageSubject, StepCoupon };
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

/**
 * Where a shop's plugin answers links, the shared secret it verifies them with, and the message's
 * language: beside the token (`comeback_locale`), so the plugin's pages and notices speak it.
 */
export type ShopLinks = { linkBase: string; secret: string; locale?: string | null };
/** `paysOnShop`: the plugin registered its link base, so payment links go to the shop too. */
type ShopLinkSettings = ShopLinks & { paysOnShop: boolean };

/**
 * The customer's links for one message, signed and expiring, carrying only the message's random
 * reference. Payment and cart links are answered on the shop's own domain by its plugin
 * (`<shop>?comeback=<token>`, signed with the shop's secret) when it is connected; payment links
 * otherwise by the sidecar's /r/. Unsubscribing is always the sidecar's /u/. A preview's links
 * (a `previewLinkRef`) are all the sidecar's, which answers them with a page saying what they do.
 */
export function messageLinks(
  deps: Pick<MessageDeps, 'publicUrl' | 'linkSecret' | 'linkTtlDays'>,
  ref: string,
  shopLinks?: ShopLinks,
  now = Date.now(),
): MessageLinks {
  const publicUrl = deps.publicUrl();
  const expiresAt = Math.floor(now / 1000) + deps.linkTtlDays * 86_400;
  const unsubscribeUntil = Math.floor(now / 1000) + 365 * 86_400;
  const onShop = (kind: 'pay' | 'cart') =>
    shopLinks
      ? `${shopLinks.linkBase}${shopLinks.linkBase.includes('?') ? '&' : '?'}comeback=${signLinkToken({ kind, ref, expiresAt }, shopLinks.secret)}` +
        (shopLinks.locale ? `&comeback_locale=${encodeURIComponent(shopLinks.locale)}` : '')
      : null;
  return {
    payment: onShop('pay') ?? `${publicUrl}/r/${signLinkToken({ kind: 'pay', ref, expiresAt }, deps.linkSecret)}`,
    // Without the shop's plugin only a preview or a test has a cart link: the sidecar's /r/ explains it.
    cart: onShop('cart') ?? `${publicUrl}/r/${signLinkToken({ kind: 'cart', ref, expiresAt }, deps.linkSecret)}`,
    unsubscribe: `${publicUrl}/u/${signLinkToken({ kind: 'unsubscribe', ref, expiresAt: unsubscribeUntil }, deps.linkSecret)}`,
    nps: npsLink(publicUrl, deps.linkSecret, ref, new Date(now), deps.linkTtlDays),
  };
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
  /** The customer's language (recorded on the row; its translation of the texts is used when the step has one). */
  language?: MessageLanguage | null;
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
    // Payment links go to the shop only when its plugin registered its link base; carts always do.
    const onShop = m.subject.kind === 'cart' || shopLinks?.paysOnShop ? (shopLinks ?? undefined) : undefined;
    // The shop's pages speak its own language anyway: only another one rides along on the link (an SMS counts every character).
    const linkLocale = m.language && m.language.locale !== profile.formats.locale ? m.language.locale : undefined;
    const context = stepContext(profile, m.subject, messageLinks(deps, ref, onShop && { ...onShop, locale: linkLocale }), m.coupon);
    const rendered = await renderStep(
      `flow:${m.shopId}:${m.templateKey}`,
      m.definition,
      m.channel,
      m.subject,
      context,
      profile.look,
      m.language?.locale,
    );
    // From the shop's own name and address (WooCommerce's email sender options), replies to the
    // shop; the global sender stays the envelope sender and the Sender header (see the SMTP provider).
    const sender = m.channel === 'email' ? messageSender(profile.sender, deps) : null;
    return outbox.enqueue({
      idempotencyKey: m.idempotencyKey,
      shopId: m.shopId,
      enrollmentId: m.enrollmentId,
      step: m.step,
      to: m.to,
      from: deps.from,
      ...(sender?.shops ? { from: sender.from, replyTo: sender.replyTo } : {}),
      linkRef: ref,
      customerKey: m.customerKey,
      language: m.language ?? null,
      ...outboxFields(rendered),
    });
  };
}

/**
 * A rendered step as an outbox row holds it, with the translation it was written from: for WhatsApp
 * both forms (the 24-hour window decides at send time), and when the customer's language has no
 * approved template of its own, `templateFallback` and the language asked.
 */
export function outboxFields(
  rendered: RenderedStep,
): Pick<OutboxMessage, 'channel' | 'subject' | 'html' | 'text' | 'headers' | 'payload' | 'textLanguage'> {
  const { textLanguage } = rendered;
  if (rendered.channel === 'email')
    return {
      channel: 'email',
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers: rendered.headers,
      textLanguage,
    };
  if (rendered.channel === 'sms') return { channel: 'sms', subject: '', html: '', text: rendered.text, textLanguage };
  const fallback = rendered.templateFallback ? { templateFallback: true, languageAsked: rendered.templateFallback.language } : {};
  return {
    channel: 'whatsapp',
    subject: '',
    html: '',
    text: rendered.text,
    payload: { template: rendered.template, ...fallback },
    textLanguage,
  };
}
