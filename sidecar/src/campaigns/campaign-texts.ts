/**
 * The message a new campaign starts with: a text the merchant could send as it is, and will
 * usually rewrite with their news. The layout puts the unsubscribe link under every email, so the
 * body does not repeat it. The admin UI imports it (a pure module).
 */
export const NEW_CAMPAIGN_EMAIL = {
  subject: 'News from [shop_name]',
  body: 'Hello [customer_first_name],\n\nThank you for shopping at [shop_name]. We would love to see you again: come and see what is new in the shop.\n\n[shop_name]',
} as const;
