import type { Cart } from '../carts/cart-store.ts';
import type { CustomerFacts, LoyaltyFacts } from '../customers/customer-subjects.ts';
import { orderPayload, type OrderPayload } from '../woo/order-payload.ts';
import type { CartRenderContext, OrderRenderContext } from './render-context.ts';
import { gatewayTitle } from './display-format.ts';
import { defaultShopFormats } from './shop-formats.ts';

/** When the sample order was placed: late evening UTC, so a shop east of Greenwich prints the next day. */
const SAMPLE_ORDER_TIME = '2025-03-05T22:30:00Z';

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
      dateCreated: new Date(SAMPLE_ORDER_TIME),
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

/**
 * The sample subjects of a preview when the shop has no order, cart or customer of the kind yet:
 * the same customer and items as the sample contexts above, shaped as the step queuer gets real
 * ones, so a sample goes through the very path a real message does. The editor labels them.
 */
/** The online method a sample order is paid with, when the preview asks for no gateway of the shop's. */
const SAMPLE_ONLINE = { id: 'stripe', title: 'Credit card' };

/** `gateways`: the shop's, so a sample paid by one of them is titled as its checkout titles it (gatewayTitle). */
export function sampleOrder(paymentMethod: string, gateways: ReadonlyArray<{ id: string; title: string }> = []): OrderPayload {
  const known = paymentMethod !== SAMPLE_ONLINE.id || gateways.some((g) => g.id === paymentMethod);
  return orderPayload.parse({
    id: 1042,
    number: '1042',
    status: 'pending',
    payment_method: paymentMethod,
    payment_method_title: known ? gatewayTitle(paymentMethod, gateways) : SAMPLE_ONLINE.title,
    total: '49.90',
    currency: 'EUR',
    currency_symbol: '€',
    date_created_gmt: SAMPLE_ORDER_TIME.replace(/Z$/, ''),
    billing: { first_name: 'Anna', last_name: 'Schmidt', email: 'anna@example.com', phone: '+4915123456789', country: 'DE' },
    line_items: [
      { name: 'Blue mug', quantity: 2, total: '29.90' },
      { name: 'Tea towel', quantity: 1, total: '20.00' },
    ],
    meta_data: [],
  });
}

export function sampleCart(now: Date): Cart {
  return {
    id: 0,
    shopId: 0,
    ref: 'sample',
    email: 'anna@example.com',
    phone: '+4915123456789',
    customerKey: 'anna@example.com',
    firstName: 'Anna',
    country: 'DE',
    locale: 'en_GB',
    items: [
      { productId: 1, variationId: 0, name: 'Blue mug', quantity: 2, total: '29.90' },
      { productId: 2, variationId: 0, name: 'Teapot, stoneware', quantity: 1, total: '34.50' },
    ] as Cart['items'],
    total: '64.40',
    currency: 'EUR',
    status: 'abandoned',
    orderId: null,
    lastActivityAt: now,
    abandonedAt: now,
  };
}

/** A sample customer with a loyalty profile; `withVoucher`: the voucher event a voucher notice is about. */
export function sampleCustomer(now: Date, withVoucher: boolean): { customer: CustomerFacts; event: LoyaltyFacts | null } {
  const customer: CustomerFacts = {
    key: 'anna@example.com',
    email: 'anna@example.com',
    phone: '+4915123456789',
    country: 'DE',
    firstName: 'Anna',
    lastName: 'Schmidt',
    timeZone: 'Europe/Berlin',
    language: 'en',
    lastPurchaseAt: new Date(now.getTime() - 45 * 86_400_000),
    avgGapDays: 30,
    ordersCount: 3,
    currency: 'EUR',
    points: '1250',
    cashback: '12.50',
    cashbackCurrency: 'EUR',
    portalUrl: null,
  };
  const expiresAt = new Date(now.getTime() + 30 * 86_400_000).toISOString();
  const event: LoyaltyFacts | null = withVoucher
    ? {
        id: 0,
        type: 'voucher.issued',
        payload: { voucher: { code: 'VOUCHER-SAMPLE', value: 10, currency: 'EUR', kind: 'amount', expiresAt } },
        occurredAt: now,
        voucherRedeemed: false,
      }
    : null;
  return { customer, event };
}
