/**
 * The unpaid-order reminder's preset texts for orders paid offline: a bank transfer (`bacs`), a
 * cheque (`cheque`), and one generic text for any other offline method (cash on delivery, a
 * shop's own "pay at the counter"). The merchant edits each; a gateway without its own text gets
 * the generic one. Stored flows from before per-gateway texts had one offline text, the transfer
 * one: flow-definition.ts reads it as the `bacs` text (see upgradeOfflineTexts).
 */
export const BACS_BODY =
  'Hello [customer_first_name],\n\nWe have not yet received your bank transfer for order [order_number] ([order_total]). Our bank details:\n\n[bank_details]\n\nPlease use [order_number] as the payment reference.';

export const CHEQUE_BODY =
  'Hello [customer_first_name],\n\nWe have not yet received your cheque for order [order_number] ([order_total]). Please make it payable to [payable_to] and send it to:\n\n[company_details]\n\nPlease write [order_number] on the back as the payment reference.\n\n[payment_instructions]';

export const GENERIC_OFFLINE_BODY =
  'Hello [customer_first_name],\n\nYour order [order_number] ([order_total]) at [shop_name] is still waiting for payment by [payment_method].\n\n[payment_instructions]\n\nIf you have already paid, thank you, and please ignore this message.';

/** The per-gateway offline texts a new unpaid-order flow starts with, by WooCommerce gateway id. */
export const OFFLINE_BODY_PRESETS: Readonly<Record<string, string>> = { bacs: BACS_BODY, cheque: CHEQUE_BODY };

/** The same three in Polish (the preset's pl_PL translation): "dane do przelewu", "tytuł przelewu". */
export const BACS_BODY_PL =
  'Dzień dobry [customer_first_name],\n\nNie otrzymaliśmy jeszcze Twojego przelewu za zamówienie [order_number] ([order_total]). Dane do przelewu:\n\n[bank_details]\n\nW tytule przelewu wpisz numer zamówienia: [order_number].';

export const CHEQUE_BODY_PL =
  'Dzień dobry [customer_first_name],\n\nNie otrzymaliśmy jeszcze Twojego czeku za zamówienie [order_number] ([order_total]). Wystaw go na [payable_to] i wyślij na adres:\n\n[company_details]\n\nNa odwrocie czeku wpisz numer zamówienia [order_number], żebyśmy mogli przypisać płatność.\n\n[payment_instructions]';

export const GENERIC_OFFLINE_BODY_PL =
  'Dzień dobry [customer_first_name],\n\nTwoje zamówienie [order_number] ([order_total]) w sklepie [shop_name] wciąż czeka na płatność. Wybrana metoda płatności: [payment_method].\n\n[payment_instructions]\n\nJeśli płatność jest już w drodze, dziękujemy i prosimy zignorować tę wiadomość.';

export const OFFLINE_BODY_PRESETS_PL: Readonly<Record<string, string>> = { bacs: BACS_BODY_PL, cheque: CHEQUE_BODY_PL };

/**
 * An email template as stored before per-gateway offline texts (an `offlineBody` and no
 * `offlineBodies`): its offline text was the bank-transfer one, so it becomes the `bacs` text and
 * the generic offline text gets the preset; cheque and other offline orders stop getting bank
 * details. The flow schema's parse runs it (flow-definition.ts), the one place stored flows are read.
 */
export function upgradeOfflineTexts<T extends { offlineBody?: string; offlineBodies?: Record<string, string> }>(email: T): T {
  if (email.offlineBodies !== undefined || email.offlineBody === undefined) return email;
  return { ...email, offlineBody: GENERIC_OFFLINE_BODY, offlineBodies: { bacs: email.offlineBody } };
}
