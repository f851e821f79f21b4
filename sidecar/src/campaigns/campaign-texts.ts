/**
 * The message a new campaign starts with: a text the merchant could send as it is, and will
 * usually rewrite with their news. The layout puts the unsubscribe link under every email, so the
 * body does not repeat it. The admin UI imports it (a pure module).
 */
export const NEW_CAMPAIGN_EMAIL = {
  subject: 'News from [shop_name]',
  body: 'Hello [customer_first_name],\n\nThank you for shopping at [shop_name]. We would love to see you again: come and see what is new in the shop.\n\n[shop_name]',
} as const;

/** The same text in other languages, as a new campaign's step `translations` (customers whose message goes in Polish get it). */
export const NEW_CAMPAIGN_TRANSLATIONS = {
  pl_PL: {
    email: {
      subject: 'Nowości w sklepie [shop_name]',
      body: 'Dzień dobry [customer_first_name],\n\nDziękujemy, że robisz zakupy w sklepie [shop_name]. Zajrzyj do nas znowu i sprawdź, co nowego pojawiło się w sklepie.\n\n[shop_name]',
    },
  },
} as const;
