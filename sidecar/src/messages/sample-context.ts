import type { CartRenderContext, OrderRenderContext } from './render-context.ts';
import { defaultShopFormats } from './shop-formats.ts';

/** The sample shop and customer both samples share. */
function sampleCommon() {
  return {
    shop: {
      name: 'Mugs & More',
      url: 'https://shop.example',
      company: { name: 'Mugs & More GmbH', address: ['Hauptstraße 1', '10115 Berlin', 'Germany'], taxId: 'DE123456789' },
      bankAccounts: [
        {
          accountName: 'Mugs & More GmbH',
          bankName: 'Example Bank',
          accountNumber: '0123456789',
          iban: 'DE89370400440532013000',
          bic: 'COBADEFFXXX',
        },
      ],
    },
    customer: { firstName: 'Anna', lastName: 'Schmidt', email: 'anna@example.com' },
    formats: { ...defaultShopFormats, locale: 'en_GB' },
    timeZone: 'Europe/Berlin',
  };
}

/**
 * A plausible order, shipped with a tracking number, used to warm compiled templates (so
 * Handlebars compiles them at compile time, not on the first recipient), for previews in the
 * editor, and by tests and the benchmark.
 */
export function sampleContext(overrides: Partial<OrderRenderContext> = {}): OrderRenderContext {
  return {
    ...sampleCommon(),
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
      tracking: { number: '00340434161094042557', url: 'https://tracking.example/parcel?number=00340434161094042557', carrier: 'DHL' },
    },
    links: { payment: 'https://shop.example/pay/1042?t=abc&u=1', unsubscribe: 'https://shop.example/u/xyz' },
    ...overrides,
  };
}

/** A plausible cart left at checkout, with its restore link: previews and warming of cart messages. */
export function sampleCartContext(overrides: Partial<CartRenderContext> = {}): CartRenderContext {
  return {
    ...sampleCommon(),
    cart: {
      items: [
        { name: 'Blue mug', quantity: 2, total: '29.90' },
        { name: 'Teapot, stoneware', quantity: 1, total: '34.50' },
      ],
      total: '64.40',
      currency: 'EUR',
      currencySymbol: '€',
    },
    links: { cart: 'https://shop.example/?comeback=cart-sample', unsubscribe: 'https://shop.example/u/xyz' },
    ...overrides,
  };
}
