/**
 * One mailbox, nothing else: local@domain with no list separators, spaces, quotes, angle brackets
 * or comments. A billing email field holding "a@x.com, b@y.com" must reach nobody extra: nodemailer
 * (and most relays) would split it into several recipients.
 */
const ONE_ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The trimmed address when the value is exactly one email address, else null. */
export function singleEmailAddress(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length === 0 || trimmed.length > 254) return null;
  return ONE_ADDRESS.test(trimmed) && !trimmed.startsWith('.') && !trimmed.includes('..') ? trimmed : null;
}
