import type Handlebars from 'handlebars';
import { catalog, helperName } from '@comeback/shortcodes';
import { __, _n, sprintf } from '@wordpress/i18n';
import { formatOrderDate } from './date-format.ts';
import { RenderError } from './errors.ts';
import { escapeHtml as esc } from './html-escape.ts';
import { formatPrice } from './price-format.ts';
import type { LineItem, RenderContext, RenderMode } from './render-context.ts';
import { dateNames } from './shop-formats.ts';

type Attrs = Record<string, string>;
/** One shortcode's output; html mode must return escaped markup, text mode plain text. */
type Impl = (ctx: RenderContext, mode: RenderMode, attrs: Attrs) => string;

const CELL = 'padding:4px 12px 4px 0;vertical-align:top;';
const TABLE = 'border-collapse:collapse;margin:8px 0;';

/**
 * A link's words: the editor's own `text="…"`, else the catalogue's default in the language of the
 * message being rendered (step-render.ts runs it inside inLocale); in English, the catalogue's own defaults.
 */
function linkText(shortcode: keyof typeof DEFAULT_LINK_TEXTS, attrs: Attrs): string {
  return attrs.text ?? DEFAULT_LINK_TEXTS[shortcode]();
}
const DEFAULT_LINK_TEXTS = {
  payment_link: () => __('Pay now', 'comeback'),
  cart_link: () => __('Back to your cart', 'comeback'),
  tracking_link: () => __('Track your parcel', 'comeback'),
  unsubscribe_link: () => __('Unsubscribe', 'comeback'),
  nps_link: () => __('Answer the survey', 'comeback'),
  portal_link: () => __('Your rewards', 'comeback'),
};

/** Links come from our own link service; anything but http(s) in an href is refused (javascript:…). */
function safeUrl(url: string): string {
  if (!/^https?:\/\//i.test(url)) throw new RenderError('invalid_link', `refusing to link to a non-http(s) address: ${url.slice(0, 40)}`);
  return url;
}

/**
 * A link's style attribute, in today's colour; the compiler gives it the shop's base colour
 * (template-compiler.ts). Nothing else can print it: text and data are escaped, quotes included.
 */
export const LINK_STYLE = 'style="color:#7f54b3;font-weight:bold;"';

function link(url: string, text: string): string {
  return `<a href="${esc(safeUrl(url))}" target="_blank" ${LINK_STYLE}>${esc(text)}</a>`;
}

/** Label/value rows; empty values are left out so optional bank fields don't print blank lines. */
function rows(mode: RenderMode, pairs: Array<[string, string | undefined]>): string {
  const present = pairs.filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '');
  if (mode === 'text') return present.map(([k, v]) => `${k}: ${v}`).join('\n');
  const tr = present.map(([k, v]) => `<tr><th align="left" style="${CELL}">${esc(k)}</th><td style="${CELL}">${esc(v)}</td></tr>`);
  return `<table role="presentation" style="${TABLE}">${tr.join('')}</table>`;
}

/** Lines of text, the empty ones left out: one per line in text, joined by <br /> in HTML. */
function lines(mode: RenderMode, all: string[]): string {
  const present = all.filter((l) => l !== '');
  return mode === 'text' ? present.join('\n') : present.map(esc).join('<br />');
}

/**
 * Products with quantity and line total: a table in HTML, one line each in text. An order and a
 * cart list theirs the same way.
 */
function itemList(ctx: RenderContext, mode: RenderMode, items: LineItem[], symbol: string): string {
  const money = (total: string) => formatPrice(total, symbol, ctx.formats.price);
  if (mode === 'text') return items.map((i) => `${i.quantity} × ${i.name} — ${money(i.total)}`).join('\n');
  const tr = items.map(
    (i) =>
      `<tr><td style="${CELL}">${esc(i.quantity)} ×</td><td style="${CELL}">${esc(i.name)}</td><td align="right" style="${CELL}">${esc(money(i.total))}</td></tr>`,
  );
  return `<table role="presentation" style="${TABLE}">${tr.join('')}</table>`;
}

/**
 * Shortcode outputs. A part the context lacks (no order in a cart message, no cart, no tracking
 * yet) prints nothing: the validator keeps shortcodes to their contexts, and a message must not
 * fail over a missing detail. Only a missing payment link or bank account is refused (RenderError),
 * because "pay here:" with nothing after it is worse than no reminder.
 */
const IMPLS: Record<string, Impl> = {
  payment_link(ctx, mode, attrs) {
    const url = ctx.links.payment;
    if (!url) throw new RenderError('missing_payment_link', `order ${ctx.order?.number ?? '(none)'} has no payment link`);
    return mode === 'text' ? safeUrl(url) : link(url, linkText('payment_link', attrs));
  },
  bank_details(ctx, mode) {
    if (ctx.shop.bankAccounts.length === 0) {
      throw new RenderError('missing_bank_accounts', 'the shop has no bank accounts in its BACS settings');
    }
    const label = ctx.formats.labels;
    const accounts = ctx.shop.bankAccounts.map((a) =>
      rows(mode, [
        [label.accountName, a.accountName],
        [label.bank, a.bankName],
        [label.accountNumber, a.accountNumber],
        [label.iban, a.iban],
        [label.bic, a.bic],
        [label.sortCode, a.sortCode],
      ]),
    );
    const reference = ctx.order ? [rows(mode, [[label.paymentReference, ctx.order.number]])] : [];
    return [...accounts, ...reference].join(mode === 'text' ? '\n\n' : '');
  },
  cart_link(ctx, mode, attrs) {
    const url = ctx.links.cart;
    if (!url) return '';
    return mode === 'text' ? safeUrl(url) : link(url, linkText('cart_link', attrs));
  },
  cart_items: (ctx, mode) => (ctx.cart ? itemList(ctx, mode, ctx.cart.items, ctx.cart.currencySymbol) : ''),
  cart_total: (ctx, mode) => (ctx.cart ? text(mode, formatPrice(ctx.cart.total, ctx.cart.currencySymbol, ctx.formats.price)) : ''),
  company_details(ctx, mode) {
    const c = ctx.shop.company;
    return lines(mode, [c.name, ...c.address, ...(c.taxId ? [c.taxId] : [])]);
  },
  // WooCommerce's instructions are the merchant's plain text (a textarea): its lines are kept.
  payment_instructions: (ctx, mode) =>
    lines(
      mode,
      (ctx.order?.paymentInstructions ?? '').split('\n').map((l) => l.trim()),
    ),
  payable_to: (ctx, mode) => text(mode, ctx.shop.company.name),
  order_number: (ctx, mode) => text(mode, ctx.order?.number ?? ''),
  order_date: (ctx, mode, attrs) =>
    ctx.order ? text(mode, formatOrderDate(ctx.order.dateCreated, ctx.timeZone, dateNames(ctx.formats), attrs.format)) : '',
  order_total: (ctx, mode) => (ctx.order ? text(mode, formatPrice(ctx.order.total, ctx.order.currencySymbol, ctx.formats.price)) : ''),
  order_items: (ctx, mode) => (ctx.order ? itemList(ctx, mode, ctx.order.items, ctx.order.currencySymbol) : ''),
  item_count(ctx, mode) {
    const items = ctx.order?.items ?? ctx.cart?.items;
    if (!items) return '';
    const count = items.reduce((sum, i) => sum + i.quantity, 0);
    return text(mode, countWords('item', count, formatNumber(ctx, String(count))));
  },
  tracking_number: (ctx, mode) => text(mode, ctx.order?.tracking?.number ?? ''),
  tracking_link(ctx, mode, attrs) {
    // The address comes from the shop's order data (a shipping plugin), not from our link
    // service: one that is not http(s) is left out rather than stopping the message.
    const url = ctx.order?.tracking?.url;
    if (!url || !/^https?:\/\//i.test(url)) return '';
    return mode === 'text' ? url : link(url, linkText('tracking_link', attrs));
  },
  customer_first_name: (ctx, mode) => text(mode, ctx.customer.firstName),
  customer_name: (ctx, mode) => text(mode, `${ctx.customer.firstName} ${ctx.customer.lastName}`.trim()),
  payment_method: (ctx, mode) => text(mode, ctx.order?.paymentMethodTitle ?? ''),
  shop_name: (ctx, mode) => text(mode, ctx.shop.name),
  coupon_code: (ctx, mode) => text(mode, ctx.coupon?.code ?? ''),
  coupon_value: (ctx, mode) =>
    ctx.coupon
      ? text(
          mode,
          offerValue(ctx, ctx.coupon.type === 'fixed_cart' ? 'amount' : ctx.coupon.type, ctx.coupon.amount, ctx.coupon.currencySymbol),
        )
      : '',
  coupon_offer: (ctx, mode) => (ctx.coupon ? text(mode, couponOffer(ctx, ctx.coupon)) : ''),
  coupon_expiry: (ctx, mode, attrs) =>
    ctx.coupon ? text(mode, formatOrderDate(ctx.coupon.expiresAt, ctx.timeZone, dateNames(ctx.formats), attrs.format)) : '',
  points_balance: (ctx, mode) =>
    ctx.loyalty?.points !== undefined
      ? text(mode, countWords('point', Number(ctx.loyalty.points), formatNumber(ctx, ctx.loyalty.points)))
      : '',
  cashback_balance: (ctx, mode) =>
    ctx.loyalty?.cashback !== undefined
      ? text(mode, formatPrice(ctx.loyalty.cashback, ctx.loyalty.cashbackCurrencySymbol ?? ctx.loyalty.currencySymbol, ctx.formats.price))
      : '',
  voucher_code: (ctx, mode) => text(mode, ctx.loyalty?.voucher?.code ?? ''),
  voucher_value: (ctx, mode) => {
    const voucher = ctx.loyalty?.voucher;
    return voucher ? text(mode, offerValue(ctx, voucher.kind, voucher.value, ctx.loyalty!.currencySymbol)) : '';
  },
  voucher_expiry: (ctx, mode, attrs) => {
    const at = ctx.loyalty?.voucher?.expiresAt;
    return at ? text(mode, formatOrderDate(at, ctx.timeZone, dateNames(ctx.formats), attrs.format)) : '';
  },
  nps_link(ctx, mode, attrs) {
    const url = ctx.links.nps;
    if (!url) return '';
    return mode === 'text' ? safeUrl(url) : link(url, linkText('nps_link', attrs));
  },
  portal_link(ctx, mode, attrs) {
    // The program's own address: one that is not http(s) is left out rather than stopping the message.
    const url = ctx.links.portal;
    if (!url || !/^https?:\/\//i.test(url)) return '';
    return mode === 'text' ? url : link(url, linkText('portal_link', attrs));
  },
  unsubscribe_link(ctx, mode, attrs) {
    // Missing for transactional sends; printing nothing is better than a dead link.
    const url = ctx.links.unsubscribe;
    if (!url) return '';
    return mode === 'text' ? safeUrl(url) : link(url, linkText('unsubscribe_link', attrs));
  },
};

/** Money off in the shop's price format, a percentage as "15%", a product offer in words. */
function offerValue(ctx: RenderContext, kind: 'amount' | 'percent' | 'product', amount: string, symbol: string): string {
  if (kind === 'product') return __('a free product', 'comeback');
  if (kind === 'percent') return `${formatNumber(ctx, amount)}%`;
  return formatPrice(amount, symbol, ctx.formats.price);
}

/**
 * What a coupon gives, as a sentence takes it for each kind of offer: "10% off", "$5.00 off", "a
 * free Blue mug" ("a free product" when the shop did not tell the product's name).
 */
function couponOffer(ctx: RenderContext, coupon: NonNullable<RenderContext['coupon']>): string {
  if (coupon.type === 'product') {
    if (!coupon.productName) return __('a free product', 'comeback');
    // translators: %s: the free product's name, e.g. "Blue mug".
    return sprintf(__('a free %s', 'comeback'), coupon.productName);
  }
  // translators: %s: the discount, e.g. "10%" or "$5.00".
  return sprintf(
    __('%s off', 'comeback'),
    offerValue(ctx, coupon.type === 'fixed_cart' ? 'amount' : 'percent', coupon.amount, coupon.currencySymbol),
  );
}

/**
 * A count with its noun in the language of the message being rendered ("3 items", "5 produktów"):
 * the noun's plural forms come from the translation catalogue, by its Plural-Forms rule, as the
 * plugin's _n() takes them (shortcodes/vectors/plurals.json holds both to the same words). `shown`
 * is the count as the message prints it (the shop's separators). gettext's rules are written for
 * whole numbers: a fraction ("1.5 points") takes the form of 5, plural in English, "punktów" in
 * Polish (whose own form for fractions, "punktu", no catalogue has).
 */
export function countWords(noun: 'item' | 'point', count: number, shown: string): string {
  const n = Number.isInteger(count) ? Math.abs(count) : 5;
  // translators: %s: how many products, e.g. "3".
  if (noun === 'item') return sprintf(_n('%s item', '%s items', n, 'comeback'), shown);
  // translators: %s: a loyalty points balance, e.g. "1,250".
  return sprintf(_n('%s point', '%s points', n, 'comeback'), shown);
}

/** A count (points, a percentage) with the shop's separators, and only the decimals it has (at most two). */
function formatNumber(ctx: RenderContext, value: string): string {
  const cents = Math.round(Number(value) * 100);
  const decimals = cents % 100 === 0 ? 0 : cents % 10 === 0 ? 1 : 2;
  return formatPrice(value, '', { ...ctx.formats.price, decimals, position: 'left' });
}

function text(mode: RenderMode, value: string): string {
  return mode === 'text' ? value : esc(value);
}

/** Helper names for Handlebars' knownHelpers (faster calls, and unknown helpers become compile errors). */
export const knownHelpers: Record<string, true> = Object.fromEntries(catalog.map((s) => [helperName(s.name), true]));

/**
 * Registers sc_<name> for every catalogue shortcode on an isolated Handlebars instance. The
 * renderer passes { data: { mode } }; Handlebars puts the RenderContext at data.root. Fails at
 * start-up if the catalogue gained a shortcode without an implementation here.
 */
export function registerHelpers(hb: typeof Handlebars): void {
  for (const spec of catalog) {
    const impl = IMPLS[spec.name];
    if (!impl) throw new Error(`no helper implements shortcode [${spec.name}]`);
    hb.registerHelper(helperName(spec.name), (options: Handlebars.HelperOptions) => {
      const data = options.data as { root: RenderContext; mode?: RenderMode };
      return impl(data.root, data.mode ?? 'html', options.hash as Attrs);
    });
  }
}
