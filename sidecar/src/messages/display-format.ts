import { formatOrderDate } from './date-format.ts';
import { formatPrice } from './price-format.ts';
import type { DateNames, PriceFormat } from './shop-formats.ts';

/** A time typed or shown on the shop's clock (a campaign's send time): the sidecar's one zone conversion. */
export { instantOfWallClock, wallClockInput } from '../zoned-time.ts';

/**
 * How the shop writes money and dates, as the admin screens need it: the messages' own rules
 * (formatPrice as wc_price(), formatOrderDate as wp_date()), so an amount on a screen reads as it
 * does in the reminder the customer got. Pure: the admin UI imports this module too
 * (`@comeback/sidecar/formats`), with the formats GET /api/shop/connection answers.
 */
export type DisplayFormats = {
  /** The shop's currency (ISO 4217), null when WooCommerce did not say. */
  currency: string | null;
  /** The symbol the shop prints for it ("$", "zł"). */
  currencySymbol: string;
  /** WordPress's locale ("de_DE"): the symbol of another currency is looked up in it. */
  locale: string;
  price: PriceFormat;
  /** The shop's zone ("Europe/Warsaw" or "+02:00"). */
  timeZone: string;
  /** The shop's date format (WordPress's date_format) and its month and weekday names. */
  dates: DateNames;
};

/** Symbols looked up so far: building an Intl.NumberFormat costs more than rendering a reminder (the step race's profile). */
const symbols = new Map<string, string>();

/** The symbol a currency shows with in a locale ("$" for USD in en_US), the code when Intl has none. */
export function currencySymbol(currency: string, locale: string): string {
  const key = `${currency} ${locale}`;
  let symbol = symbols.get(key);
  if (symbol === undefined) {
    symbol = lookUpSymbol(currency, locale);
    // Currencies and locales are few; an unbounded map of caller-supplied pairs is not kept.
    if (symbols.size < 1_000) symbols.set(key, symbol);
  }
  return symbol;
}

function lookUpSymbol(currency: string, locale: string): string {
  try {
    const part = new Intl.NumberFormat(locale.replace('_', '-'), { style: 'currency', currency, currencyDisplay: 'narrowSymbol' })
      .formatToParts(0)
      .find((p) => p.type === 'currency');
    return part?.value ?? currency;
  } catch {
    return currency;
  }
}

/**
 * An amount as the shop prints it: "$1,234.50", "1.234,50 zł". An amount in another currency than
 * the shop's (a shop that changed currency) keeps the shop's separators with that currency's symbol.
 */
export function formatMoney(amount: string | number, currency: string | null | undefined, formats: DisplayFormats): string {
  const symbol =
    !currency || currency === formats.currency ? formats.currencySymbol || (currency ?? '') : currencySymbol(currency, formats.locale);
  return formatPrice(typeof amount === 'number' ? String(amount) : amount, symbol, formats.price);
}

/** WordPress's default time_format, for a shop whose plugin did not report its own. */
const TIME_FORMAT = 'g:i a';

/** A moment as the shop writes it, in the shop's zone: its date format, then its time format ("March 5, 2026 2:05 pm"). */
export function formatDateTime(at: Date | string, formats: DisplayFormats): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return '';
  return formatOrderDate(date, formats.timeZone, formats.dates, `${formats.dates.format} ${formats.dates.timeFormat || TIME_FORMAT}`);
}

/** A day as the shop writes it ("March 5, 2026"); a bare "2026-03-05" is that day, not a moment. */
export function formatDay(day: Date | string, formats: DisplayFormats): string {
  if (typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day)) {
    return formatOrderDate(new Date(`${day}T12:00:00Z`), 'UTC', formats.dates);
  }
  const date = typeof day === 'string' ? new Date(day) : day;
  return Number.isNaN(date.getTime()) ? '' : formatOrderDate(date, formats.timeZone, formats.dates);
}

/**
 * WooCommerce's own titles of its offline methods: each gateway's `title` setting default in
 * WooCommerce 9.9.5, WC_Gateway_BACS::init_form_fields (includes/gateways/bacs/class-wc-gateway-bacs.php),
 * WC_Gateway_Cheque::init_form_fields (includes/gateways/cheque/class-wc-gateway-cheque.php) and
 * WC_Gateway_COD::init_form_fields (includes/gateways/cod/class-wc-gateway-cod.php).
 */
export const WOO_GATEWAY_TITLES: Readonly<Record<string, string>> = {
  bacs: 'Direct bank transfer',
  cheque: 'Check payments',
  cod: 'Cash on delivery',
};

/**
 * A payment gateway by the title the shop's checkout gives it, for every screen and message that
 * names one: the shop's own list (disabled gateways too), else WooCommerce's default title of its
 * own offline methods, else the id in words ("manual_invoice" → "Manual invoice"), never the bare id.
 */
export function gatewayTitle(id: string, gateways: ReadonlyArray<{ id: string; title: string }> = []): string {
  const title = gateways.find((g) => g.id === id)?.title.trim();
  if (title && title !== id) return title;
  if (WOO_GATEWAY_TITLES[id]) return WOO_GATEWAY_TITLES[id];
  const words = id
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : '';
}
