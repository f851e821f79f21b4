import type { ShopFormats } from './shop-formats.ts';

/** A product line of an order or a cart; `total` is a WooCommerce decimal string. */
export type LineItem = { name: string; quantity: number; total: string };

/** The parcel of a shipped order, as trackingFromOrderMeta() reads it from the order's meta. */
export type OrderTracking = { number: string; url?: string; carrier?: string };

/**
 * Everything a message may show about one order or one cart, gathered before rendering. It is the
 * Handlebars root of every render; helpers read it through options.data.root, never through
 * editor-written paths (editor text cannot contain live mustaches, see shortcodes/compile). A
 * part the message is not about is absent, and its shortcodes print nothing.
 */
export type RenderContext = {
  shop: {
    name: string;
    url: string;
    company: { name: string; address: string[]; taxId?: string };
    bankAccounts: Array<{
      accountName: string;
      bankName: string;
      accountNumber: string;
      iban?: string;
      bic?: string;
      sortCode?: string;
    }>;
  };
  /** The order the message is about; absent in a message about a cart. */
  order?: {
    number: string;
    dateCreated: Date;
    /** WooCommerce decimal string, e.g. "49.90". */
    total: string;
    /** ISO 4217 code, e.g. "EUR". */
    currency: string;
    /** As WooCommerce writes it, e.g. "€" or "zł" (REST orders carry it as currency_symbol). */
    currencySymbol: string;
    paymentMethodTitle: string;
    /** The instructions the shop set in WooCommerce for the order's payment method (cheque, cash on delivery…); absent: none. */
    paymentInstructions?: string;
    items: LineItem[];
    /** Absent until the order has a tracking number. */
    tracking?: OrderTracking;
  };
  /** The cart a shopper left at checkout, when the message is about one (there is no order yet). */
  cart?: {
    items: LineItem[];
    /** WooCommerce decimal string, e.g. "49.90". */
    total: string;
    /** ISO 4217 code, e.g. "EUR". */
    currency: string;
    currencySymbol: string;
  };
  customer: { firstName: string; lastName: string; email: string };
  /**
   * The personal coupon this message carries (a step with an offer); `amount` a decimal string;
   * `productName` the free product's name, when the shop told it.
   */
  coupon?: {
    code: string;
    type: 'fixed_cart' | 'percent' | 'product';
    amount: string;
    currencySymbol: string;
    expiresAt: Date;
    productName?: string;
  };
  /** What the customer's loyalty program told us: balances, and the voucher the message is about. */
  loyalty?: {
    points?: string;
    cashback?: string;
    /** The voucher's (or the customer's orders') currency. */
    currencySymbol: string;
    /** The cashback balance's own currency, as the program reported it. */
    cashbackCurrencySymbol?: string;
    voucher?: { code: string; value: string; kind: 'amount' | 'percent'; expiresAt?: Date };
  };
  /** Signed links for this message: pay for the order, restore the cart, stop these messages, the NPS survey; the program's portal. */
  links: { payment?: string; unsubscribe?: string; cart?: string; nps?: string; portal?: string };
  /** How the shop writes prices and dates (its WooCommerce and WordPress settings). */
  formats: ShopFormats;
  /** IANA zone, e.g. "Europe/Berlin"; dates are shown in the shop's zone. */
  timeZone: string;
};

/** A message about an order (reminders, confirmations, shipment updates). */
export type OrderRenderContext = RenderContext & { order: NonNullable<RenderContext['order']> };

/** A message about an abandoned cart. */
export type CartRenderContext = RenderContext & { cart: NonNullable<RenderContext['cart']> };

/** A message to a customer about themself (win-back, loyalty, campaigns): no order, no cart. */
export type CustomerRenderContext = RenderContext & { order?: never; cart?: never };

/** Which part is being rendered; helpers emit markup only for "html". */
export type RenderMode = 'html' | 'text';
