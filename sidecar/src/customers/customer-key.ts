import { singleEmailAddress } from './email-address.ts';
import { toE164 } from './phone.ts';

/** Who a subject belongs to: the lower-cased email, else the phone in E.164 (null: nobody we can reach). */
export function customerKeyOf(email: string | null | undefined, phone: string | null | undefined, country?: string | null): string | null {
  const e = singleEmailAddress(email)?.toLowerCase();
  if (e) return e;
  return toE164(phone, country);
}
