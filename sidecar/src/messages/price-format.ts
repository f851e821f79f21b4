import type { PriceFormat } from './shop-formats.ts';

const NBSP = '\u00a0';

/**
 * An amount as WooCommerce's wc_price() writes it, without its markup: the shop's decimals and
 * separators, the symbol on the configured side (the "space" positions use a no-break space, as
 * WooCommerce does), a minus in front. Rounding is half away from zero on the decimal string
 * WooCommerce sent, so "1.005" gives 1.01 as PHP's number_format() does, with no binary drift.
 */
export function formatPrice(amount: string, symbol: string, format: PriceFormat): string {
  const parsed = Number(amount);
  const value = Number.isFinite(parsed) ? parsed : 0;
  const number = groupedNumber(decimalString(Math.abs(value), amount), format);
  const sign = value < 0 ? '-' : '';
  switch (format.position) {
    case 'right':
      return `${sign}${number}${symbol}`;
    case 'left_space':
      return `${sign}${symbol}${NBSP}${number}`;
    case 'right_space':
      return `${sign}${number}${NBSP}${symbol}`;
    default:
      return `${sign}${symbol}${number}`;
  }
}

/** The absolute value as plain digits: the string as sent when it is a plain decimal, else from the number. */
function decimalString(abs: number, amount: string): string {
  const plain = /^\s*[-+]?(\d*)(?:\.(\d*))?\s*$/.exec(amount);
  if (plain && (plain[1] || plain[2])) return `${plain[1] || '0'}.${plain[2] ?? ''}`;
  return abs.toFixed(12);
}

function groupedNumber(digits: string, format: PriceFormat): string {
  const [whole = '0', fraction = ''] = digits.split('.');
  let intDigits = whole.replace(/^0+(?=\d)/, '');
  let frac = fraction.padEnd(format.decimals + 1, '0');
  const roundUp = Number(frac[format.decimals]) >= 5;
  frac = frac.slice(0, format.decimals);
  if (roundUp) [intDigits, frac] = carry(intDigits, frac);
  const grouped = intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, format.thousandSeparator);
  return format.decimals > 0 ? `${grouped}${format.decimalSeparator}${frac}` : grouped;
}

/** Adds one unit in the last kept place, carrying into the whole part ("9.99" → "10.00"). */
function carry(whole: string, fraction: string): [string, string] {
  const digits = (whole + fraction).split('').map(Number);
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === 9) digits[i--] = 0;
  if (i >= 0) digits[i]! += 1;
  else digits.unshift(1);
  const all = digits.join('');
  const cut = all.length - fraction.length;
  return [all.slice(0, cut), all.slice(cut)];
}
