import type { Pool } from 'mysql2/promise';
import { profileLanguagesByKey } from '../../customers/customer-subject-store.ts';
import { chooseMessageLanguage } from '../../customers/message-language.ts';
import { defaultShopFormats } from '../../messages/shop-formats.ts';
import { loadFormats, loadShopLanguages } from '../../woo/shop-profile.ts';
import type { MessageLanguage } from '../../messages/message-templates.ts';
import type { MessageSubject } from '../../messages/step-message.ts';
import { orderLanguageOf } from '../../woo/order-payload.ts';

/** What the step runner knows of the shop's languages and of the customer's profile, read once per batch. */
export type KnownLanguages = {
  /** The shop's locale (its plugin's profile). */
  shop: string;
  /** The shop's languages as WordPress locales (its plugin's profile; [] without it). */
  shopLanguages: readonly string[];
  /** The customer profile's language, for an order's or a cart's customer. */
  profile: string | null;
};

/**
 * The language a step's message goes in, from its subject as read fresh: an order's own language
 * and its customer's WordPress locale from the order payload, a cart's locale, a customer's profile
 * and locale from what we hold about them (customers/message-language.ts decides).
 */
export function stepLanguage(subject: MessageSubject, known: KnownLanguages): MessageLanguage {
  const shop = { shop: known.shop, shopLanguages: known.shopLanguages };
  if (subject.kind === 'order') {
    const { language, customerLocale } = orderLanguageOf(subject.order);
    return chooseMessageLanguage({ subject: 'order', order: language, user: customerLocale, profile: known.profile, ...shop });
  }
  if (subject.kind === 'cart')
    return chooseMessageLanguage({ subject: 'cart', profile: known.profile, cart: subject.cart.locale, ...shop });
  return chooseMessageLanguage({ subject: 'customer', profile: subject.customer.language, user: subject.customer.userLocale, ...shop });
}

/** The same facts for one message (a channel fallback), read now. */
export async function loadKnownLanguages(pool: Pool, shopId: number, customerKey: string | null): Promise<KnownLanguages> {
  const [formats, shopLanguages, profiles] = await Promise.all([
    loadFormats(pool, shopId),
    loadShopLanguages(pool, shopId),
    profileLanguagesByKey(pool, shopId, customerKey ? [customerKey] : []),
  ]);
  return { shop: (formats ?? defaultShopFormats).locale, shopLanguages, profile: (customerKey && profiles.get(customerKey)) || null };
}
