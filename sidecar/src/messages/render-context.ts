import type { ShopFormats } from './shop-formats.ts';

/**
 * Everything a reminder may show about one order, gathered by the step runner before rendering.
 * It is the Handlebars root of every render; helpers read it through options.data.root, never
 * through editor-written paths (editor text cannot contain live mustaches, see shortcodes/compile).
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
  order: {
    number: string;
    dateCreated: Date;
    /** WooCommerce decimal string, e.g. "49.90". */
    total: string;
    /** ISO 4217 code, e.g. "EUR". */
    currency: string;
    /** As WooCommerce writes it, e.g. "€" or "zł" (REST orders carry it as currency_symbol). */
    currencySymbol: string;
    paymentMethodTitle: string;
    items: Array<{ name: string; quantity: number; total: string }>;
  };
  customer: { firstName: string; lastName: string; email: string };
  links: { payment?: string; unsubscribe?: string };
  /** How the shop writes prices and dates (its WooCommerce and WordPress settings). */
  formats: ShopFormats;
  /** IANA zone, e.g. "Europe/Berlin"; dates are shown in the shop's zone. */
  timeZone: string;
};

/** Which part is being rendered; helpers emit markup only for "html". */
export type RenderMode = 'html' | 'text';
