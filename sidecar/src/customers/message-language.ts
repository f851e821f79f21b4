import { localeSchema, type MessageLanguage } from '../messages/message-templates.ts';

/**
 * Which language a message to a customer goes in. Everything we know about the customer's
 * language is a fact with its source; the first one that names a language wins:
 *
 *   about an order or a cart: the order's own language (the multilingual plugin that placed it,
 *   reported by our plugin or read from its order meta) → the customer's WordPress user locale →
 *   the customer profile's language (loyalty events) → the cart's locale (cart flows) → the shop's;
 *   to a customer (win-back, birthday, loyalty, campaigns): the profile's → the user's → the shop's.
 *
 * Pure: the step runner gathers the facts, this decides. The texts then take the step's translation
 * for the chosen locale, or the default text when the step has none.
 */
export type LanguageFacts = {
  /** What the message is about: a customer flow follows the customer's own language first. */
  subject: 'order' | 'cart' | 'customer';
  /** The order's language: a WordPress locale (our plugin, TranslatePress) or a language code (WPML's `wpml_language`). */
  order?: string | null;
  /** The customer's WordPress user locale, when they set one of their own. */
  user?: string | null;
  /** customer_profiles.language: a BCP 47 tag such as "pl" or "de-AT". */
  profile?: string | null;
  /** carts.locale, as the plugin captured it. */
  cart?: string | null;
  /** The shop's locale (the plugin's profile; WordPress's get_locale()). */
  shop: string;
  /** The shop's languages as WordPress locales (the multilingual plugin's list): a bare "pl" becomes the shop's "pl_PL". */
  shopLanguages?: readonly string[];
};

const ORDER_FIRST = ['order', 'user', 'profile', 'cart'] as const;
const CUSTOMER_FIRST = ['profile', 'user'] as const;

/** The message's language and what decided it; the shop's locale when nothing else names one. */
export function chooseMessageLanguage(facts: LanguageFacts): MessageLanguage {
  const sources = facts.subject === 'customer' ? CUSTOMER_FIRST : ORDER_FIRST;
  for (const source of sources) {
    const locale = wordpressLocale(facts[source], facts.shopLanguages);
    if (locale) return { locale, source };
  }
  return { locale: wordpressLocale(facts.shop, facts.shopLanguages) ?? 'en_US', source: 'shop' };
}

/**
 * A language as a WordPress locale: "pl_PL" stays, "pl-PL" and "pl_pl" become "pl_PL", and a bare
 * language ("pl", WPML's code, a profile's tag) becomes the shop's locale of that language when it
 * has one, else WordPress's usual locale for it ("pl_PL", "en_US", "cs_CZ"), else the code alone
 * (WordPress names some locales so: "ja", "ar", "uk"). Null for anything that is not a language.
 */
export function wordpressLocale(tag: string | null | undefined, shopLanguages: readonly string[] = []): string | null {
  const trimmed = (tag ?? '').trim();
  const [language = '', ...rest] = trimmed.split(/[-_]/);
  const code = language.toLowerCase();
  if (rest.length === 0) {
    if (!/^[a-z]{2,3}$/.test(code)) return null;
    return shopLanguages.find((l) => l.split('_')[0] === code) ?? WORDPRESS_LOCALES[code] ?? code;
  }
  const locale =
    WORDPRESS_LOCALES[trimmed.toLowerCase()] ??
    [code, ...rest.map((p) => (/^[a-z]{2}$/i.test(p) ? p.toUpperCase() : p.toLowerCase()))].join('_');
  return localeSchema.safeParse(locale).success ? locale : null;
}

/**
 * WordPress's locale for a bare language code (and WPML's codes that are not a language and region),
 * as translate.wordpress.org names its locales; a code not here is its own locale ("ja", "ar", "fi").
 */
const WORDPRESS_LOCALES: Readonly<Record<string, string>> = {
  bg: 'bg_BG',
  bs: 'bs_BA',
  ca: 'ca',
  cs: 'cs_CZ',
  cy: 'cy',
  da: 'da_DK',
  de: 'de_DE',
  el: 'el',
  en: 'en_US',
  es: 'es_ES',
  et: 'et',
  fa: 'fa_IR',
  fr: 'fr_FR',
  he: 'he_IL',
  hi: 'hi_IN',
  hr: 'hr',
  hu: 'hu_HU',
  id: 'id_ID',
  is: 'is_IS',
  it: 'it_IT',
  ko: 'ko_KR',
  lt: 'lt_LT',
  lv: 'lv',
  nb: 'nb_NO',
  nl: 'nl_NL',
  nn: 'nn_NO',
  no: 'nb_NO',
  pl: 'pl_PL',
  pt: 'pt_PT',
  'pt-br': 'pt_BR',
  'pt-pt': 'pt_PT',
  ro: 'ro_RO',
  ru: 'ru_RU',
  sk: 'sk_SK',
  sl: 'sl_SI',
  sq: 'sq',
  sr: 'sr_RS',
  sv: 'sv_SE',
  th: 'th',
  tr: 'tr_TR',
  ur: 'ur',
  zh: 'zh_CN',
  'zh-hans': 'zh_CN',
  'zh-hant': 'zh_TW',
};
