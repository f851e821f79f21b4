import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { consentAddress } from '../consent/consent.ts';

/**
 * One person a privacy request is about, by their addresses as Comeback keeps them: the email
 * lower-cased, the phone in E.164 (customers/customer-key.ts, consent/consent.ts). Customer keys
 * are one of these (the email, else the phone), so `addresses` is also every key they can have.
 */
export type Person = {
  emails: string[];
  phones: string[];
  /** emails and phones together: consents', conversations' and outbox recipients' form, and every customer key. */
  addresses: string[];
  /** The phones' national digits, to find numbers stored as customers typed them ("500 000 001") before confirming each. */
  phoneDigits: string[];
};

export type PersonQuery = { email?: string | null; phone?: string | null; country?: string | null };

/** The person named by an email and/or a phone, or null when neither is an address (a typo'd email, a number that is not one). */
export function personOf(query: PersonQuery): Person | null {
  const email = query.email ? consentAddress('email', query.email) : null;
  const phone = query.phone ? consentAddress('sms', query.phone, query.country) : null;
  if (!email && !phone) return null;
  const emails = email ? [email] : [];
  const phones = phone ? [phone] : [];
  const digits = phones.map((p) => parsePhoneNumberFromString(p)?.nationalNumber ?? p.replace(/\D/g, ''));
  return { emails, phones, addresses: [...emails, ...phones], phoneDigits: digits };
}
