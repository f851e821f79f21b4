import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatOrderDate } from './date-format.ts';
import { formatPrice } from './price-format.ts';
import { dateNamesFromIntl, priceFormatFromGeneralSettings, sortCodeLabel, type DateNames } from './shop-formats.ts';

const english: DateNames = dateNamesFromIntl('en_US');

describe('formatPrice (wc_price without its markup)', () => {
  const us = { decimals: 2, decimalSeparator: '.', thousandSeparator: ',', position: 'left' as const };
  const pl = { decimals: 2, decimalSeparator: ',', thousandSeparator: ' ', position: 'right_space' as const };
  it('groups thousands, places the symbol and rounds half away from zero on the decimal string', () => {
    expect(formatPrice('1234567.5', '$', us)).toBe('$1,234,567.50');
    expect(formatPrice('1234.5', 'zł', pl)).toBe('1 234,50\u00a0zł');
    expect(formatPrice('1.005', '$', us)).toBe('$1.01');
    expect(formatPrice('9.995', '$', us)).toBe('$10.00');
    expect(formatPrice('999.5', '¥', { ...us, decimals: 0 })).toBe('¥1,000');
    expect(formatPrice('-12.3', '€', { ...us, position: 'left_space' })).toBe('-€\u00a012.30');
    expect(formatPrice('0.1', '€', { ...us, position: 'right' })).toBe('0.10€');
    expect(formatPrice('12', 'KWD', { ...us, decimals: 3 })).toBe('KWD12.000');
  });
  it("shows 0 for an amount that is not a number, as PHP's float cast does", () => {
    expect(formatPrice('n/a', '$', us)).toBe('$0.00');
  });
  it("reads WooCommerce's general settings, with its defaults for what is missing or odd", () => {
    expect(
      priceFormatFromGeneralSettings({
        woocommerce_currency_pos: 'right_space',
        woocommerce_price_decimal_sep: ',',
        woocommerce_price_thousand_sep: '.',
        woocommerce_price_num_decimals: '0',
      }),
    ).toEqual({ decimals: 0, decimalSeparator: ',', thousandSeparator: '.', position: 'right_space' });
    expect(priceFormatFromGeneralSettings({ woocommerce_currency_pos: 'middle', woocommerce_price_num_decimals: 'x' })).toEqual({
      decimals: 2,
      decimalSeparator: '.',
      thousandSeparator: ',',
      position: 'left',
    });
  });
});

describe("formatOrderDate (wp_date with the shop's names)", () => {
  const date = new Date('2025-03-01T09:05:07Z');
  it('supports WordPress format letters and backslash escapes', () => {
    expect(formatOrderDate(date, 'UTC', english, 'D, jS M y \\a\\t g:i:s A (N/w) \\F')).toBe('Sat, 1st Mar 25 at 9:05:07 AM (6/6) F');
    expect(formatOrderDate(date, 'UTC', english)).toBe('March 1, 2025');
    expect(formatOrderDate(date, 'UTC', dateNamesFromIntl('fr_FR'), 'l j F Y')).toBe('samedi 1 mars 2025');
  });
  it('takes fixed offsets as WordPress reports them and falls back to UTC for an unknown zone', () => {
    expect(formatOrderDate(date, '-10:30', english, 'Y-m-d H:i')).toBe('2025-02-28 22:35');
    expect(formatOrderDate(date, 'Not/AZone', english, 'd/m/Y H:i')).toBe('01/03/2025 09:05');
  });
  it('declines months after a day number and turns "F j" round, as wp_maybe_decline_date does', () => {
    const polish = dateNamesFromIntl('pl_PL');
    expect(polish.declineMonths).toBe(true);
    expect(formatOrderDate(date, 'UTC', polish, 'F Y')).toBe('marzec 2025');
    expect(formatOrderDate(date, 'UTC', polish, 'j F Y')).toBe('1 marca 2025');
    expect(formatOrderDate(date, 'UTC', polish, 'F jS, Y')).toBe('1 marca, 2025');
    const ukrainian = dateNamesFromIntl('uk_UA');
    expect(formatOrderDate(date, 'UTC', ukrainian, 'j F Y')).toBe(`1 ${ukrainian.monthsGenitive[2]} 2025`);
    expect(ukrainian.monthsGenitive[2]).not.toBe(ukrainian.months[2]);
    expect(english.declineMonths).toBe(false);
  });
});

describe('sortCodeLabel (WC_Gateway_BACS::get_country_locale)', () => {
  // The same file the plugin's PHPUnit suite checks (test/php/tests/ShopProfileEndpointTest.php).
  const file = JSON.parse(readFileSync(new URL('../../../shortcodes/vectors/bacs-labels.json', import.meta.url), 'utf8')) as {
    vectors: Array<{ country: string; sortCode: string }>;
  };
  it.each(file.vectors)('labels the sort code for a store in "$country" as $sortCode', ({ country, sortCode }) => {
    expect(sortCodeLabel(country)).toBe(sortCode);
  });
  it('falls back to "Sort code" for a country WooCommerce has no word for, and for inherited names', () => {
    expect(sortCodeLabel('toString')).toBe('Sort code');
    expect(sortCodeLabel('us:ny')).toBe('Routing number');
  });
});
