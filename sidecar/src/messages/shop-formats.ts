import { z } from 'zod';
import { __ } from '@wordpress/i18n';
import { inLocale, languageTag } from '../i18n/translations.ts';
import { dateFormat, normalizeLocale } from './intl-cache.ts';

/**
 * How a shop writes prices and dates, so a reminder shows "1.234,50 zł" and "5 marca 2025" exactly
 * as the shop's own pages and WooCommerce emails do. The plugin reports the real thing from
 * WordPress (WooCommerce's price settings, the site's date format and its translated month and
 * weekday names); without the plugin, prices come from WooCommerce's general settings over REST and
 * names from Intl for the shop's locale. The PHP plugin formats with the same rules from the same
 * data (shortcodes/vectors/render.json holds both to it).
 */
const twelve = z.array(z.string().max(40)).length(12);
const seven = z.array(z.string().max(40)).length(7);

export const shopFormatsSchema = z.object({
  /** WordPress locale of the site, e.g. "pl_PL"; informational, the names below are what is used. */
  locale: z.string().max(20).default('en_US'),
  /** The site's zone as wp_timezone_string() gives it ("Europe/Warsaw" or "+02:00"). */
  timeZone: z.string().max(64).optional(),
  price: z
    .object({
      decimals: z.number().int().min(0).max(8),
      decimalSeparator: z.string().max(8),
      thousandSeparator: z.string().max(8),
      /** WooCommerce's woocommerce_currency_pos. */
      position: z.enum(['left', 'right', 'left_space', 'right_space']),
    })
    .default({ decimals: 2, decimalSeparator: '.', thousandSeparator: ',', position: 'left' }),
  dates: z
    .object({
      /** WordPress's date_format option: the shop's date when a template gives no format. */
      format: z.string().max(40),
      /** WordPress's time_format option (the admin screens write a moment as date, then time); absent from older plugins. */
      timeFormat: z.string().max(40).optional(),
      months: twelve,
      monthsGenitive: twelve,
      monthsShort: twelve,
      weekdays: seven,
      weekdaysShort: seven,
      meridiem: z.object({ am: z.string().max(20), pm: z.string().max(20), AM: z.string().max(20), PM: z.string().max(20) }),
      /** WordPress's "decline months names" translation flag: "5 marca", not "5 marzec". */
      declineMonths: z.boolean(),
    })
    .optional(),
  /** [bank_details] labels in the shop's language (the plugin takes WooCommerce's own translations). */
  labels: z
    .object({
      accountName: z.string().max(60),
      bank: z.string().max(60),
      accountNumber: z.string().max(60),
      iban: z.string().max(60),
      bic: z.string().max(60),
      sortCode: z.string().max(60),
      paymentReference: z.string().max(60),
    })
    .default({
      accountName: 'Account name',
      bank: 'Bank',
      accountNumber: 'Account number',
      iban: 'IBAN',
      bic: 'BIC',
      sortCode: 'Sort code',
      paymentReference: 'Payment reference',
    }),
});
export type ShopFormats = z.infer<typeof shopFormatsSchema>;
export type PriceFormat = ShopFormats['price'];
export type DateNames = NonNullable<ShopFormats['dates']>;

/** WordPress's own default for date_format. */
const WORDPRESS_DATE_FORMAT = 'F j, Y';

/**
 * Month and weekday names for a locale from Intl: the standalone month ("marzec") for F, the form
 * it takes after a day number ("5 marca") as the genitive, and declension on when they differ,
 * which is what WordPress's translators switch on for such languages.
 */
export function dateNamesFromIntl(locale: string, format = WORDPRESS_DATE_FORMAT): DateNames {
  const tag = normalizeLocale(locale);
  const utc = 'UTC';
  const month = (m: number) => new Date(Date.UTC(2021, m, 15, 12));
  // 2021-02-14 is a Sunday: day i of that week is weekday i (0 = Sunday), as PHP's "w".
  const weekday = (d: number) => new Date(Date.UTC(2021, 1, 14 + d, 12));
  const part = (options: Intl.DateTimeFormatOptions, date: Date, type: Intl.DateTimeFormatPartTypes) =>
    dateFormat(tag, utc, options)
      .formatToParts(date)
      .find((p) => p.type === type)?.value ?? '';
  const months = range(12).map((m) => dateFormat(tag, utc, MONTH_LONG).format(month(m)));
  const monthsGenitive = range(12).map((m) => part(DAY_AND_MONTH, month(m), 'month'));
  return {
    format,
    months,
    monthsGenitive,
    monthsShort: range(12).map((m) => dateFormat(tag, utc, MONTH_SHORT).format(month(m))),
    weekdays: range(7).map((d) => dateFormat(tag, utc, WEEKDAY_LONG).format(weekday(d))),
    weekdaysShort: range(7).map((d) => dateFormat(tag, utc, WEEKDAY_SHORT).format(weekday(d))),
    meridiem: { am: 'am', pm: 'pm', AM: 'AM', PM: 'PM' },
    declineMonths: months.some((m, i) => m !== monthsGenitive[i]),
  };
}

const MONTH_LONG: Intl.DateTimeFormatOptions = { month: 'long' };
const MONTH_SHORT: Intl.DateTimeFormatOptions = { month: 'short' };
const WEEKDAY_LONG: Intl.DateTimeFormatOptions = { weekday: 'long' };
const WEEKDAY_SHORT: Intl.DateTimeFormatOptions = { weekday: 'short' };
const DAY_AND_MONTH: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long' };

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The date names to use: the shop's own when the plugin reported them, else Intl's for its locale. */
const intlNames = new Map<string, DateNames>();
export function dateNames(formats: ShopFormats): DateNames {
  if (formats.dates) return formats.dates;
  let names = intlNames.get(formats.locale);
  if (!names) intlNames.set(formats.locale, (names = dateNamesFromIntl(formats.locale)));
  return names;
}

/**
 * The shop's formats for a text in another language: that language's month and weekday names and
 * its own order of a date ("5 marca 2025", "5. März 2025", "March 5, 2025") from Intl, the shop's
 * time format kept, and [bank_details]' labels in that language (the shop's own are in its
 * language); prices stay the shop's WooCommerce settings whatever the language. A text in
 * the shop's own language (or none) keeps what the shop reported. A template's own
 * `format="…"` still wins: only the names follow the language.
 */
const inLanguage = new WeakMap<ShopFormats, Map<string, ShopFormats>>();
export function formatsInLanguage(formats: ShopFormats, locale: string | null | undefined): ShopFormats {
  if (!locale || locale.split('_')[0] === formats.locale.split('_')[0]) return formats;
  let byLocale = inLanguage.get(formats);
  if (!byLocale) inLanguage.set(formats, (byLocale = new Map()));
  let found = byLocale.get(locale);
  if (!found) {
    // The locale's language and region (a WordPress variant such as pt_PT_ao90 is no Intl tag).
    const tag = languageTag(locale);
    const names = dateNamesFromIntl(tag, dateFormatOf(tag));
    const timeFormat = formats.dates?.timeFormat;
    const dates = timeFormat === undefined ? names : { ...names, timeFormat };
    found = { ...formats, dates, labels: inLocale(locale, () => bankLabels(formats.labels)) };
    byLocale.set(locale, found);
  }
  return found;
}

/**
 * A language's long date as a WordPress date format, read from Intl's own pattern: `j F Y` for
 * Polish, `j. F Y` for German, `F j, Y` for American English (letters in the pattern's literals
 * escaped, as date_format wants them).
 */
export function dateFormatOf(locale: string): string {
  const parts = dateFormat(normalizeLocale(locale), 'UTC', DAY_MONTH_YEAR).formatToParts(new Date(Date.UTC(2021, 2, 5, 12)));
  const letters: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = { day: 'j', month: 'F', year: 'Y' };
  return parts.map((p) => letters[p.type] ?? p.value.replace(/[\\\p{L}]/gu, (c) => `\\${c}`)).join('');
}
const DAY_MONTH_YEAR: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };

/**
 * [bank_details]' labels in the language in hand (inLocale): WooCommerce's words for its bank
 * transfer fields, translated in Comeback's catalogue; the sort code's own name for the shop's
 * country is kept as the shop reported it when it is not WooCommerce's generic one.
 */
function bankLabels(shop: ShopFormats['labels']): ShopFormats['labels'] {
  return {
    accountName: __('Account name', 'comeback'),
    bank: __('Bank', 'comeback'),
    accountNumber: __('Account number', 'comeback'),
    iban: __('IBAN', 'comeback'),
    bic: __('BIC', 'comeback'),
    sortCode: shop.sortCode === 'Sort code' ? __('Sort code', 'comeback') : shop.sortCode,
    paymentReference: __('Payment reference', 'comeback'),
  };
}

/** WooCommerce's price settings as GET /wc/v3/settings/general answers them; its defaults where absent. */
export function priceFormatFromGeneralSettings(general: Record<string, string>): PriceFormat {
  const decimals = Number.parseInt(general.woocommerce_price_num_decimals ?? '', 10);
  const position = general.woocommerce_currency_pos;
  return {
    decimals: Number.isInteger(decimals) && decimals >= 0 && decimals <= 8 ? decimals : 2,
    decimalSeparator: general.woocommerce_price_decimal_sep ?? '.',
    thousandSeparator: general.woocommerce_price_thousand_sep ?? ',',
    position: position === 'right' || position === 'left_space' || position === 'right_space' ? position : 'left',
  };
}

export const defaultShopFormats: ShopFormats = shopFormatsSchema.parse({});

/**
 * What WooCommerce calls the BACS sort-code field for a store in a country, untranslated: the table
 * of WC_Gateway_BACS::get_country_locale() (WooCommerce 9.9.5, includes/gateways/bacs/class-wc-gateway-bacs.php),
 * "Sort code" elsewhere. The plugin sends WooCommerce's translated label (Comeback_Shop_Profile::sort_code_label());
 * shortcodes/vectors/bacs-labels.json holds both to the same table.
 */
const BACS_SORT_CODE_LABELS: Readonly<Record<string, string>> = {
  AU: 'BSB',
  CA: 'Bank transit number',
  IN: 'IFSC',
  IT: 'Branch sort',
  NZ: 'Bank code',
  SE: 'Bank code',
  US: 'Routing number',
  ZA: 'Branch code',
};

/** The sort-code label for woocommerce_default_country as saved ("US:CA" or "GB"). */
export function sortCodeLabel(defaultCountry: string): string {
  const country = (defaultCountry.split(':')[0] ?? '').toUpperCase();
  return Object.hasOwn(BACS_SORT_CODE_LABELS, country) ? BACS_SORT_CODE_LABELS[country]! : 'Sort code';
}
