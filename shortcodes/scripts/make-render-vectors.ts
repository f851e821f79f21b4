/**
 * Writes shortcodes/vectors/render.json: the inputs below, with `expected` from the TypeScript
 * implementation. Run it (`npx tsx shortcodes/scripts/make-render-vectors.ts`) when a shortcode is
 * added or its output changes on purpose, then read every changed `expected` by hand before
 * committing: the PHP plugin is held to these bytes, so a wrong one would be copied, not caught.
 */
import { writeFileSync } from 'node:fs';
import { renderShortcodes } from '../../sidecar/src/messages/index.ts';
import type { RenderContext } from '../../sidecar/src/messages/render-context.ts';
import { dateNamesFromIntl, defaultShopFormats, sortCodeLabel } from '../../sidecar/src/messages/shop-formats.ts';

/** A render context as render.json stores it: the order's date as ISO 8601 text (withDates() below turns it back). */
type StoredOrder = Omit<NonNullable<RenderContext['order']>, 'dateCreated'> & { dateCreated: string };
type StoredContext = Omit<RenderContext, 'order'> & { order?: StoredOrder };

const polishNames = dateNamesFromIntl('pl_PL', 'j F Y');
const orders = {
  pl: {
    shop: {
      name: 'Kubki & Spółka',
      url: 'https://sklep.example.pl/',
      company: { name: 'Kubki & Spółka sp. z o.o.', address: ['ul. Długa 5/7', '00-238 Warszawa', 'Polska'], taxId: 'NIP 525-000-00-00' },
      bankAccounts: [
        {
          accountName: 'Kubki & Spółka sp. z o.o.',
          bankName: 'mBank S.A.',
          accountNumber: '61 1140 2004 0000 3502 7540 0000',
          iban: 'PL61114020040000350275400000',
          bic: 'BREXPLPWMBK',
        },
        {
          accountName: 'Kubki & Spółka (EUR)',
          bankName: 'ING Bank Śląski',
          accountNumber: '',
          iban: 'PL27105000997603123456789123',
          bic: 'INGBPLPW',
        },
      ],
    },
    order: {
      number: '2025/03/1042',
      dateCreated: '2025-03-05T23:30:00Z',
      total: '1234.5',
      currency: 'PLN',
      currencySymbol: 'zł',
      paymentMethodTitle: 'Przelewy24',
      items: [
        { name: 'Kubek „Żółw” 330 ml', quantity: 2, total: '59.98' },
        { name: 'Zestaw <prezentowy> & karta', quantity: 1, total: '1174.515' },
      ],
      tracking: {
        number: 'RR123456785PL',
        url: 'https://emonitoring.poczta-polska.pl/?numer=RR123456785PL&lang="pl"',
        carrier: 'Poczta Polska',
      },
    },
    customer: { firstName: 'Łucja', lastName: 'Wiśniewska', email: 'lucja@example.pl' },
    links: {
      payment: 'https://sklep.example.pl/?comeback=v1.cGF5fG8xMDQyX2FiYw.sig&x=1',
      unsubscribe: 'https://comeback.example/u/v1.dW5zdWI.sig',
    },
    formats: {
      locale: 'pl_PL',
      timeZone: 'Europe/Warsaw',
      price: { decimals: 2, decimalSeparator: ',', thousandSeparator: ' ', position: 'right_space' },
      dates: polishNames,
      labels: {
        accountName: 'Nazwa konta',
        bank: 'Bank',
        accountNumber: 'Numer konta',
        iban: 'IBAN',
        bic: 'BIC',
        sortCode: 'Kod banku',
        paymentReference: 'Tytuł przelewu',
      },
    },
    timeZone: 'Europe/Warsaw',
  },
  us: {
    shop: {
      name: 'Mugs "R" Us',
      url: 'https://mugs.example/',
      company: { name: "Mugs 'R' Us LLC", address: ['12 Main St', 'Springfield, IL 62701', 'United States (US)'] },
      bankAccounts: [{ accountName: 'Mugs R Us LLC', bankName: 'First Bank', accountNumber: '000123456789', sortCode: '021000021' }],
    },
    order: {
      number: '1042',
      dateCreated: '2025-01-01T03:04:05Z',
      total: '1999.995',
      currency: 'USD',
      currencySymbol: '$',
      paymentMethodTitle: 'Credit card (Stripe)',
      items: [{ name: 'Blue mug', quantity: 3, total: '29.97' }],
      // Not http(s): no link is printed for it, on either side.
      tracking: { number: '1Z 999 AA1 01 2345 6784', url: 'javascript:alert(1)', carrier: 'ups' },
    },
    customer: { firstName: 'Anne-Marie', lastName: "O'Brien <admin>", email: 'anne@example.com' },
    links: { payment: 'https://mugs.example/?comeback=v1.abc.def', unsubscribe: 'https://comeback.example/u/v1.ghi.jkl' },
    formats: {
      ...defaultShopFormats,
      locale: 'en_US',
      timeZone: 'America/New_York',
      dates: dateNamesFromIntl('en_US'),
      // A US store: WooCommerce calls the sort-code field "Routing number" there.
      labels: { ...defaultShopFormats.labels, sortCode: sortCodeLabel('US:IL') },
    },
    timeZone: 'America/New_York',
  },
  jp: {
    shop: { name: 'Tokyo Tea', url: 'https://tea.example/', company: { name: 'Tokyo Tea KK', address: [] }, bankAccounts: [] },
    order: {
      number: '7',
      dateCreated: '2024-12-31T14:59:59Z',
      total: '1234567.5',
      currency: 'JPY',
      currencySymbol: '¥',
      paymentMethodTitle: 'PayPal',
      items: [{ name: 'Matcha', quantity: 10, total: '-500' }],
    },
    customer: { firstName: '', lastName: 'Tanaka', email: 'tanaka@example.jp' },
    links: { payment: 'https://tea.example/pay?a=1&b=<2>' },
    formats: {
      ...defaultShopFormats,
      locale: 'en_GB',
      timeZone: '+05:30',
      price: { decimals: 0, decimalSeparator: '.', thousandSeparator: ',', position: 'left_space' },
      dates: { ...dateNamesFromIntl('en_GB', 'd/m/Y'), meridiem: { am: 'a.m.', pm: 'p.m.', AM: 'A.M.', PM: 'P.M.' } },
    },
    timeZone: '+05:30',
  },
} satisfies Record<string, StoredContext & { order: StoredOrder }>;

// Carts: no order, the cart and its restore link instead. Only the sidecar renders these (below).
const { order: _pl, ...plShop } = orders.pl;
const { order: _us, ...usShop } = orders.us;
const { order: _jp, ...jpShop } = orders.jp;
const contexts: Record<string, StoredContext> = { ...orders };
contexts.cart_pl = {
  ...plShop,
  cart: {
    items: [
      { name: 'Kubek „Żółw” 330 ml', quantity: 3, total: '89.97' },
      { name: 'Zestaw <prezentowy> & karta', quantity: 1, total: '1174.515' },
    ],
    total: '1264.485',
    currency: 'PLN',
    currencySymbol: 'zł',
  },
  links: { cart: 'https://sklep.example.pl/?comeback=v1.Y2FydHxjMTIz.sig&x=1', unsubscribe: plShop.links.unsubscribe },
};
// A cheque order in the US store, with the instructions the merchant typed in WooCommerce's cheque
// settings (a textarea: CRLF line ends, a blank line, spaces around lines, markup to escape).
contexts.cheque_us = {
  ...orders.us,
  order: {
    ...orders.us.order,
    paymentMethodTitle: 'Check payments',
    paymentInstructions:
      '  Make your check payable to Mugs "R" Us LLC.\r\n\r\nMail it to <12 Main St> & write the order number on the back.  \n',
  },
};
contexts.cart_us = {
  ...usShop,
  cart: { items: [{ name: 'Blue mug "Classic"', quantity: 2, total: '19.98' }], total: '19.98', currency: 'USD', currencySymbol: '$' },
  links: { unsubscribe: usShop.links.unsubscribe },
};
contexts.cart_jp = {
  ...jpShop,
  cart: { items: [], total: '0', currency: 'JPY', currencySymbol: '¥' },
  links: { cart: 'https://tea.example/?comeback=a&b=<2>' },
};
// A step's personal coupon in a message to the customer, one of each kind of offer. The plugin
// renders [coupon_offer] from the same context, so these run in both languages.
const expiresAt = new Date('2025-04-01T21:59:59Z');
contexts.coupon_pl = { ...plShop, coupon: { code: 'WRACAJ-7QX2', type: 'percent', amount: '12.5', currencySymbol: 'zł', expiresAt } };
contexts.coupon_us = { ...usShop, coupon: { code: 'SAVE5', type: 'fixed_cart', amount: '5', currencySymbol: '$', expiresAt } };
contexts.coupon_jp = {
  ...jpShop,
  coupon: { code: 'GIFT', type: 'product', amount: '100', currencySymbol: '¥', expiresAt, productName: 'Matcha <ceremonial> & whisk' },
};
contexts.coupon_jp_unnamed = { ...jpShop, coupon: { code: 'GIFT', type: 'product', amount: '100', currencySymbol: '¥', expiresAt } };

type V = {
  name: string;
  data: string;
  context: 'online' | 'offline' | 'cart' | 'customer';
  mode: 'html' | 'text';
  template: string;
  skipInPhp?: string;
};
const vectors: V[] = [];
const both = (name: string, data: string, context: V['context'], template: string, extra: Pick<V, 'skipInPhp'> = {}) => {
  vectors.push({ name: `${name} (html)`, data, context, mode: 'html', template, ...extra });
  vectors.push({ name: `${name} (text)`, data, context, mode: 'text', template, ...extra });
};
const NO_CART_IN_WORDPRESS = {
  skipInPhp:
    'WordPress pages and WooCommerce emails have no cart: the plugin prints nothing for cart shortcodes (ShortcodeRenderTest checks that); only the sidecar renders cart messages.',
};
both('payment link with the catalogue default text', 'pl', 'online', '[payment_link]');
both('payment link with its own text, quotes and markup escaped', 'us', 'online', 'Pay: [payment_link text="Finish <now> & \'save\'"]');
both('payment link whose address needs escaping', 'jp', 'online', '[payment_link text=Pay]');
both('unsubscribe link', 'us', 'online', '[unsubscribe_link] | [unsubscribe_link text="Stop these"]');
both('unsubscribe link without an address prints nothing', 'jp', 'online', '<[unsubscribe_link]>');
both(
  'bank details: two accounts, empty fields left out, translated labels, reference',
  'pl',
  'offline',
  'Przelew:\n[bank_details]\nDziękujemy',
);
both('bank details with a routing number (a US store)', 'us', 'offline', '[bank_details]');
both(
  'cheque: the gateway instructions line by line, blank lines left out, escaped; payable to the company',
  'cheque_us',
  'offline',
  'Pay by [payment_method]:\n[payment_instructions]\nPayable to [payable_to].',
);
both('payment instructions print nothing when the gateway has none', 'jp', 'offline', '<[payment_instructions]> [payable_to]');
both('company details with tax id', 'pl', 'online', '[company_details]');
both('company details without address', 'jp', 'online', '[company_details]');
both(
  'order number, total, method and names, escaped',
  'us',
  'online',
  '#[order_number] [order_total] via [payment_method] for [customer_name] ([customer_first_name]) at [shop_name]',
);
// The shop's name is its site title as typed (WordPress stores it HTML-escaped; both sides decode it first).
both('shop name with an ampersand and non-ASCII letters', 'pl', 'offline', 'Zamówienie w [shop_name] – [shop_name]');
both('polish total: grouping, rounding, no-break space', 'pl', 'offline', '[order_total]');
both('yen: no decimals, left with space, negative item', 'jp', 'online', '[order_total] [order_items]');
both('order items with escaping and half-up rounding', 'pl', 'online', '[order_items]');
both('item count: every piece of the order, with the noun for the count', 'pl', 'online', 'Your order of [item_count] is waiting.');
both('item count: ten pieces of one product', 'jp', 'offline', '<[item_count]>');
both('item count of a cart', 'cart_pl', 'cart', '[item_count] — [cart_total]', NO_CART_IN_WORDPRESS);
both('customer name without a first name', 'jp', 'online', '[[customer_name]] [customer_name]|[customer_first_name]|');
both(
  'order date in the shop format and zone, declined',
  'pl',
  'online',
  '[order_date] / [order_date format="F Y"] / [order_date format="l, j. F Y, H:i"] / [order_date format="F jS"]',
);
both(
  'order date letters and escapes, New York',
  'us',
  'online',
  '[order_date] [order_date format="D, M jS y \\\\a\\\\t g:i A (N/w) \\\\F"]',
);
both(
  'order date at a fixed offset with custom meridiem',
  'jp',
  'online',
  '[order_date] [order_date format="Y-m-d h:i:s a A G"] [order_date format=\'l M\']',
);
both(
  'text around shortcodes is kept as written',
  'us',
  'online',
  'Hi {{customer.email}} \\{{x}} {{{y}}} <b>&amp;</b>\n\n  [order_number]\t]] [[order_total]] [ order_number]',
);
both(
  'subject-style line with every order shortcode',
  'pl',
  'online',
  'Zamówienie [order_number] z [order_date format="j F"] — [order_total], [payment_method]',
);
both(
  'tracking number and link, the address escaped',
  'pl',
  'online',
  'Paczka [tracking_number]: [tracking_link] / [tracking_link text="Śledź <paczkę> & \'więcej\'"]',
);
both(
  'tracking link to an address that is not http(s) prints nothing',
  'us',
  'offline',
  'Tracking [tracking_number]: <[tracking_link text="Track"]>',
);
both('no tracking yet: both print nothing', 'jp', 'online', '<[tracking_number]|[tracking_link]>');
both('cart link with the catalogue default text', 'cart_pl', 'cart', '[cart_link]', NO_CART_IN_WORDPRESS);
both(
  'cart link with its own text, it and the address escaped',
  'cart_jp',
  'cart',
  '[cart_link text="Back <to> & \'finish\'"]',
  NO_CART_IN_WORDPRESS,
);
both('cart link without an address prints nothing', 'cart_us', 'cart', '<[cart_link]>', NO_CART_IN_WORDPRESS);
both(
  'cart items and total: escaping, half-up rounding, grouping',
  'cart_pl',
  'cart',
  '[cart_items]\nRazem: [cart_total]',
  NO_CART_IN_WORDPRESS,
);
both('yen cart without items', 'cart_jp', 'cart', '[cart_total] <[cart_items]>', NO_CART_IN_WORDPRESS);
both(
  'cart message with the shop and customer shortcodes',
  'cart_us',
  'cart',
  'Hi [customer_first_name] ([customer_name]), your [cart_total] cart at [shop_name]: [cart_items] [unsubscribe_link]\n[company_details]',
  NO_CART_IN_WORDPRESS,
);
both('coupon offer: a percentage with the shop’s decimal separator', 'coupon_pl', 'customer', '[customer_first_name], [coupon_offer]!');
both('coupon offer: money off in the shop’s price format', 'coupon_us', 'customer', 'Take [coupon_offer] your next order at [shop_name].');
both('coupon offer: a free product by its name, escaped', 'coupon_jp', 'customer', 'Your gift: [coupon_offer].');
both('coupon offer: a free product the shop did not name', 'coupon_jp_unnamed', 'customer', '<[coupon_offer]>');

const withDates = ({ order, ...rest }: StoredContext): RenderContext =>
  order ? { ...rest, order: { ...order, dateCreated: new Date(order.dateCreated) } } : rest;
const contextOf = (name: string): StoredContext => {
  const context = contexts[name];
  if (!context) throw new Error(`no context ${name}`);
  return context;
};
const out = vectors.map((v) => ({ ...v, expected: renderShortcodes(v.template, v.context, withDates(contextOf(v.data)), v.mode) }));
writeFileSync(
  new URL('../vectors/render.json', import.meta.url),
  JSON.stringify(
    {
      description:
        'Shortcode output, shared by the sidecar (TypeScript) and the plugin (PHP). `contexts` are render contexts in the shape of sidecar/src/messages/render-context.ts (dateCreated as ISO 8601). Each vector renders `template` (valid in `context`) for `contexts[data]` in `mode`: shortcodes replaced by their output, the text around them untouched. `expected` was produced by the TypeScript implementation and checked by hand; PHP must produce the same bytes, except for vectors with `skipInPhp` (the reason why the plugin does not render them).',
      contexts,
      vectors: out,
    },
    null,
    2,
  ) + '\n',
);
for (const v of out) console.log(`--- ${v.name}\n${v.expected}`);
