/**
 * The store's address as WooCommerce writes it for its country: the formats of
 * WC_Countries::get_address_formats() and the rules of WC_Countries::get_formatted_address()
 * (WooCommerce 9.9.5, includes/class-wc-countries.php), the way WC_Emails::get_store_address()
 * prints the store (no person or company line, the country always shown). "Testville, CA 90001"
 * in the US, "00-238 Warszawa" in Poland. The plugin does the same in
 * Comeback_Shop_Profile::address_lines(); shortcodes/vectors/store-address.json holds both to it.
 */
const ADDRESS_FORMATS: Readonly<Record<string, string>> = {
  default: '{name}\n{company}\n{address_1}\n{address_2}\n{city}\n{state}\n{postcode}\n{country}',
  AT: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  AU: '{name}\n{company}\n{address_1}\n{address_2}\n{city} {state} {postcode}\n{country}',
  BE: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  CA: '{company}\n{name}\n{address_1}\n{address_2}\n{city} {state_code} {postcode}\n{country}',
  CH: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  CL: '{company}\n{name}\n{address_1}\n{address_2}\n{state}\n{postcode} {city}\n{country}',
  CN: '{country} {postcode}\n{state}, {city}, {address_2}, {address_1}\n{company}\n{name}',
  CZ: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  DE: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  DK: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  EE: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  ES: '{name}\n{company}\n{address_1}\n{address_2}\n{postcode} {city}\n{state}\n{country}',
  FI: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  FR: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city_upper}\n{country}',
  HK: '{company}\n{first_name} {last_name_upper}\n{address_1}\n{address_2}\n{city_upper}\n{state_upper}\n{country}',
  HU: '{last_name} {first_name}\n{company}\n{city}\n{address_1}\n{address_2}\n{postcode}\n{country}',
  IN: '{company}\n{name}\n{address_1}\n{address_2}\n{city} {postcode}\n{state}, {country}',
  IS: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  IT: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode}\n{city}\n{state_upper}\n{country}',
  JM: '{name}\n{company}\n{address_1}\n{address_2}\n{city}\n{state}\n{postcode_upper}\n{country}',
  JP: '{postcode}\n{state} {city} {address_1}\n{address_2}\n{company}\n{last_name} {first_name}\n{country}',
  LI: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  NL: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  NO: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  NZ: '{name}\n{company}\n{address_1}\n{address_2}\n{city} {postcode}\n{country}',
  PL: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  PR: '{company}\n{name}\n{address_1} {address_2}\n{city} \n{country} {postcode}',
  PT: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  RS: '{name}\n{company}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  SE: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  SI: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  SK: '{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}',
  TR: '{name}\n{company}\n{address_1}\n{address_2}\n{postcode} {city} {state}\n{country}',
  TW: '{company}\n{last_name} {first_name}\n{address_1}\n{address_2}\n{state}, {city} {postcode}\n{country}',
  UG: '{name}\n{company}\n{address_1}\n{address_2}\n{city}\n{state}, {country}',
  US: '{name}\n{company}\n{address_1}\n{address_2}\n{city}, {state_code} {postcode}\n{country}',
  VN: '{name}\n{company}\n{address_1}\n{address_2}\n{city} {postcode}\n{country}',
};

export type StoreAddressParts = {
  address1: string;
  address2: string;
  city: string;
  postcode: string;
  /** WooCommerce's state code, e.g. "CA" (what follows the colon in woocommerce_default_country). */
  state: string;
  /** The state's name as WooCommerce lists it; the code when unknown. */
  stateName: string;
  /** ISO 3166-1 alpha-2 code. */
  country: string;
  /** The country's name as it is printed. */
  countryName: string;
};

/** PHP's trim(): its default characters (space, tab, newline, return, NUL, vertical tab) off both ends. */
const TRIMMED = new Set([' ', '\t', '\n', '\r', '\0', '\v']);
function phpTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && TRIMMED.has(s[start]!)) start++;
  while (end > start && TRIMMED.has(s[end - 1]!)) end--;
  return s.slice(start, end);
}

/** The address lines, top to bottom, empty ones left out. */
export function storeAddressLines(parts: StoreAddressParts): string[] {
  const p = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, phpTrim(v)])) as StoreAddressParts;
  const format = (p.country && Object.hasOwn(ADDRESS_FORMATS, p.country) ? ADDRESS_FORMATS[p.country] : ADDRESS_FORMATS.default)!;
  const upper = (s: string) => s.toUpperCase();
  const replacements: Record<string, string> = {
    '{first_name}': '',
    '{last_name}': '',
    '{name}': '',
    '{company}': '',
    '{address_1}': p.address1,
    '{address_2}': p.address2,
    '{city}': p.city,
    '{state}': p.stateName,
    '{postcode}': p.postcode,
    '{country}': p.countryName,
    '{first_name_upper}': '',
    '{last_name_upper}': '',
    '{name_upper}': '',
    '{company_upper}': '',
    '{address_1_upper}': upper(p.address1),
    '{address_2_upper}': upper(p.address2),
    '{city_upper}': upper(p.city),
    '{state_upper}': upper(p.stateName),
    '{state_code}': upper(p.state),
    '{postcode_upper}': upper(p.postcode),
    '{country_upper}': upper(p.countryName),
  };
  // str_replace() with an array: each placeholder in turn, over the text so far.
  let text = format;
  for (const [key, value] of Object.entries(replacements)) text = text.split(key).join(value);
  text = phpTrim(text).replace(/ {2,}/g, ' ').replace(/\n\n+/g, '\n');
  // array_filter() drops "" and "0".
  return text
    .split('\n')
    .map((line) => line.replace(/^[, ]+|[, ]+$/g, ''))
    .filter((line) => line !== '' && line !== '0');
}
