import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * A customer's number in E.164 (+48500000001), as SMS and WhatsApp providers take it, or null
 * when it is not a number that can get messages. Shops store numbers as customers typed them
 * ("500 000 001", "0048 500-000-001"); numbers without a country prefix are read in the billing
 * country, else the shop's. libphonenumber's full metadata decides validity: not a regex.
 */
export function toE164(raw: string | null | undefined, country?: string | null, fallbackCountry?: string | null): string | null {
  const text = (raw ?? '').trim();
  if (!text) return null;
  const international = text.replace(/^00/, '+');
  // Countries as ISO codes only ("PL"); a number with its own +prefix needs none.
  const countries = [country, fallbackCountry].filter((c): c is string => typeof c === 'string' && /^[A-Za-z]{2}$/.test(c));
  for (const code of [...countries.map((c) => c.toUpperCase() as CountryCode), undefined]) {
    const parsed = parsePhoneNumberFromString(international, code);
    if (parsed?.isValid()) return parsed.number;
  }
  return null;
}
