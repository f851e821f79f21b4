import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, formatMoney, gatewayTitle, type DisplayFormats } from './display-format.ts';
import { formatPrice } from './price-format.ts';
import { dateNamesFromIntl } from './shop-formats.ts';

const NBSP = '\u00a0';
/** A shop's formats: currency and symbol, locale, price settings, zone, date names. */
const shop = (
  currency: string,
  currencySymbol: string,
  locale: string,
  price: DisplayFormats['price'],
  timeZone: string,
  dates = dateNamesFromIntl(locale),
) => ({ currency, currencySymbol, locale, price, timeZone, dates }) satisfies DisplayFormats;
const us = shop('USD', '$', 'en_US', { decimals: 2, decimalSeparator: '.', thousandSeparator: ',', position: 'left' }, 'America/New_York');
const pl = shop(
  'PLN',
  'zł',
  'pl_PL',
  { decimals: 2, decimalSeparator: ',', thousandSeparator: ' ', position: 'right_space' },
  'Europe/Warsaw',
  {
    ...dateNamesFromIntl('pl_PL', 'j F Y'),
    timeFormat: 'H:i',
  },
);

/** The admin screens' money and dates (admin-ui imports this module as @comeback/sidecar/formats). */
describe('the shop formats on the admin screens', () => {
  it('writes money in the shop’s format: symbol side and space, separators, decimals', () => {
    expect(formatMoney('24.9900', 'USD', us)).toBe('$24.99');
    expect(formatMoney(1234.5, 'USD', us)).toBe('$1,234.50');
    expect(formatMoney('1234.5', 'PLN', pl)).toBe(`1 234,50${NBSP}zł`);
    expect(
      formatMoney('19.99', null, { ...us, currency: 'EUR', currencySymbol: '€', price: { ...us.price, position: 'left_space' } }),
    ).toBe(`€${NBSP}19.99`);
    expect(
      formatMoney('1234', 'JPY', { ...us, currency: 'JPY', currencySymbol: '¥', price: { ...us.price, decimals: 0, position: 'right' } }),
    ).toBe('1,234¥');
    expect(formatMoney('-5', 'USD', us)).toBe('-$5.00');
  });

  it('prints exactly what a reminder prints for the same amount (one rule, messages/price-format.ts)', () => {
    for (const amount of ['24.9900', '1234567.5', '1.005', '0']) {
      expect(formatMoney(amount, 'USD', us)).toBe(formatPrice(amount, '$', us.price));
      expect(formatMoney(amount, 'PLN', pl)).toBe(formatPrice(amount, 'zł', pl.price));
    }
  });

  it('writes revenue in another currency than the shop’s with that currency’s symbol and the shop’s separators', () => {
    expect(formatMoney('10', 'EUR', us)).toBe('€10.00');
    expect(formatMoney('10', 'EUR', pl)).toBe(`10,00${NBSP}€`);
  });

  it('writes a moment in the shop’s zone with its date and time formats, months declined as WordPress does', () => {
    const at = new Date('2026-03-05T13:05:00Z');
    expect(formatDateTime(at, us)).toBe('March 5, 2026 8:05 am');
    expect(formatDateTime(at.toISOString(), pl)).toBe('5 marca 2026 14:05');
    expect(formatDateTime('2026-01-01T04:30:00Z', { ...us, timeZone: '+05:30' })).toBe('January 1, 2026 10:00 am');
    expect(formatDateTime('not a date', us)).toBe('');
  });

  it('writes a report’s day as that calendar day, whatever the zone', () => {
    expect(formatDay('2026-03-05', us)).toBe('March 5, 2026');
    expect(formatDay('2026-03-05', pl)).toBe('5 marca 2026');
    expect(formatDay(new Date('2026-03-05T02:00:00Z'), us)).toBe('March 4, 2026');
  });
});

describe('a payment gateway by its title, never its id', () => {
  const shopGateways = [
    { id: 'cheque', title: 'Check by mail' },
    { id: 'payustandard', title: '' },
    { id: 'cod', title: 'cod' },
  ];
  it('takes the shop’s title, disabled gateways included; WooCommerce’s own default for its offline methods; else the id in words', () => {
    expect(gatewayTitle('cheque', shopGateways)).toBe('Check by mail');
    expect(gatewayTitle('bacs', shopGateways)).toBe('Direct bank transfer');
    expect(gatewayTitle('cod', shopGateways)).toBe('Cash on delivery');
    expect(gatewayTitle('cheque')).toBe('Check payments');
    expect(gatewayTitle('payustandard', shopGateways)).toBe('Payustandard');
    expect(gatewayTitle('manual_invoice')).toBe('Manual invoice');
    expect(gatewayTitle('ppcp-gateway')).toBe('Ppcp gateway');
    expect(gatewayTitle('stripeSepa')).toBe('Stripe sepa');
  });
});
