import type { Pool, RowDataPacket } from 'mysql2/promise';
import { ttlCache } from '../ttl-cache.ts';
import { unsubscribeHeaders } from '../channels/unsubscribe-headers.ts';
import { newLinkRef, orderLinkRef, signLinkToken } from '../links/link-token.ts';
import { compileTemplate, render, type RenderContext, type RenderedMessage } from '../messages/index.ts';
import { createOutboxWriter } from '../messages/outbox.ts';
import type { OrderPayload } from '../woo/order-payload.ts';
import { shopProfileCache, type ShopProfile } from '../woo/shop-profile.ts';
import type { Reminder } from './recovery-settings.ts';
import type { StepMessage } from './step-runner.ts';

export type ReminderQueuerDeps = {
  pool: Pool;
  /** Where customers reach the sidecar; a getter, because it is known only once the server listens. */
  publicUrl: () => string;
  linkSecret: string;
  linkTtlDays: number;
  from: string;
};

/** Where a shop's plugin answers payment links, and the shared secret it verifies them with. */
export type ShopLinks = { linkBase: string; secret: string };

/**
 * The customer's links for one message, both signed and expiring. The payment link is the
 * sidecar's /r/ or, when the shop's plugin answers links, `<shop>?comeback=<token>` on the shop's
 * own domain, signed with the shop's shared secret; unsubscribing is always the sidecar's /u/.
 */
export function reminderLinks(deps: Pick<ReminderQueuerDeps, 'publicUrl' | 'linkSecret' | 'linkTtlDays'>, ref: string, shopLinks?: ShopLinks, now = Date.now()) {
  const publicUrl = deps.publicUrl();
  const expiresAt = Math.floor(now / 1000) + deps.linkTtlDays * 86_400;
  const unsubscribeUntil = Math.floor(now / 1000) + 365 * 86_400;
  const payment = shopLinks
    ? `${shopLinks.linkBase}${shopLinks.linkBase.includes('?') ? '&' : '?'}comeback=${signLinkToken({ kind: 'pay', ref, expiresAt }, shopLinks.secret)}`
    : `${publicUrl}/r/${signLinkToken({ kind: 'pay', ref, expiresAt }, deps.linkSecret)}`;
  return {
    payment,
    unsubscribe: `${publicUrl}/u/${signLinkToken({ kind: 'unsubscribe', ref, expiresAt: unsubscribeUntil }, deps.linkSecret)}`,
  };
}

/** What a reminder about this order may show: the Handlebars root of its render. */
export function reminderContext(
  profile: ShopProfile,
  order: OrderPayload,
  gateway: 'online' | 'offline',
  links: { payment: string; unsubscribe: string },
): RenderContext {
  const raw = order as unknown as Record<string, unknown>;
  const billing = (raw.billing ?? {}) as Record<string, string>;
  const items = Array.isArray(raw.line_items) ? (raw.line_items as Array<Record<string, unknown>>) : [];
  const { timeZone, formats, ...shop } = profile;
  const currency = order.currency ?? 'USD';
  return {
    shop,
    order: {
      number: String(raw.number ?? order.id),
      dateCreated: order.date_created_gmt ?? new Date(),
      total: order.total,
      currency,
      // WooCommerce's REST orders carry the symbol as the shop prints it (html entities decoded).
      currencySymbol: typeof raw.currency_symbol === 'string' && raw.currency_symbol !== '' ? raw.currency_symbol : currency,
      paymentMethodTitle: String(raw.payment_method_title ?? order.payment_method),
      items: items.map((i) => ({ name: String(i.name ?? ''), quantity: Number(i.quantity ?? 1), total: String(i.total ?? '') })),
    },
    customer: { firstName: billing.first_name ?? '', lastName: billing.last_name ?? '', email: billing.email ?? '' },
    // The bank-transfer body never gets a payment link (the validator refuses [payment_link] there).
    links: gateway === 'online' ? links : { unsubscribe: links.unsubscribe },
    formats,
    timeZone,
  };
}

/** One reminder's subject, HTML and text for one order: the body that fits the order's gateway. */
export async function renderReminder(shopId: number, step: number, reminder: Pick<Reminder, 'subject' | 'onlineBody' | 'offlineBody'>, gateway: 'online' | 'offline', context: RenderContext): Promise<RenderedMessage> {
  const compiled = await compileTemplate({
    id: `recovery:${shopId}:${step}`,
    version: 1, // the compiler re-checks the text, so an edited reminder is never served stale
    subject: reminder.subject,
    body: gateway === 'online' ? reminder.onlineBody : reminder.offlineBody,
    context: gateway,
  });
  return render(compiled, context);
}

/**
 * Turns a due reminder step into a message in the outbox: the online or offline body for the
 * order's gateway, rendered for this customer, with a signed payment link that carries only a
 * random reference (stored on the outbox row) and expires.
 */
export function createReminderQueuer(deps: ReminderQueuerDeps): (message: StepMessage) => Promise<void> {
  const profiles = shopProfileCache(deps.pool);
  const outbox = createOutboxWriter(deps.pool);
  const linksOf = ttlCache(async (shopId: number): Promise<ShopLinks | null> => {
    const [rows] = await deps.pool.query<RowDataPacket[]>('SELECT link_base, webhook_secret FROM shops WHERE id = ?', [shopId]);
    return rows[0]?.link_base ? { linkBase: String(rows[0].link_base), secret: String(rows[0].webhook_secret) } : null;
  }, 30_000);
  return async (m) => {
    const shopLinks = await linksOf(m.shopId);
    const ref = shopLinks ? orderLinkRef(m.order.id) : newLinkRef();
    const links = reminderLinks(deps, ref, shopLinks ?? undefined);
    const context = reminderContext(await profiles(m.shopId), m.order, m.gateway, links);
    const rendered = await renderReminder(m.shopId, m.step, m.reminder, m.gateway, context);
    await outbox.enqueue({
      idempotencyKey: m.idempotencyKey,
      shopId: m.shopId,
      enrollmentId: m.enrollmentId,
      step: m.step,
      to: context.customer.email,
      from: deps.from,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      // RFC 8058: one line; the one-click Post header only for an https URL (the helper decides).
      headers: unsubscribeHeaders(links.unsubscribe),
      linkRef: ref,
    });
  };
}
