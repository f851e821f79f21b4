import type { RenderContext } from './render-context.ts';
import { defaultShopFormats } from './shop-formats.ts';

/**
 * A plausible order used to warm compiled templates (so Handlebars compiles them at compile time,
 * not on the first recipient), for previews in the editor, and by tests and the benchmark.
 */
export function sampleContext(overrides: Partial<RenderContext> = {}): RenderContext {
  return {
    shop: {
      name: 'Mugs & More',
      url: 'https://shop.example',
      company: { name: 'Mugs & More GmbH', address: ['Hauptstraße 1', '10115 Berlin', 'Germany'], taxId: 'DE123456789' },
      bankAccounts: [
        { accountName: 'Mugs & More GmbH', bankName: 'Example Bank', accountNumber: '0123456789', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
      ],
    },
    order: {
      number: '1042',
      dateCreated: new Date('2025-03-05T22:30:00Z'),
      total: '49.90',
      currency: 'EUR',
      currencySymbol: '€',
      paymentMethodTitle: 'Credit card',
      items: [
        { name: 'Blue mug', quantity: 2, total: '29.90' },
        { name: 'Tea towel', quantity: 1, total: '20.00' },
      ],
    },
    customer: { firstName: 'Anna', lastName: 'Schmidt', email: 'anna@example.com' },
    links: { payment: 'https://shop.example/pay/1042?t=abc&u=1', unsubscribe: 'https://shop.example/u/xyz' },
    formats: { ...defaultShopFormats, locale: 'en_GB' },
    timeZone: 'Europe/Berlin',
    ...overrides,
  };
}
