/**
 * What a bounce says about the address, from its enhanced status code (RFC 3463: class.subject.detail).
 * Only a permanent failure of the address itself — 5.1.x (no such mailbox, no such domain, bad
 * syntax) or 5.2.1 (mailbox disabled) — keeps it from marketing; a refusal of the message (5.7.x
 * policy, 5.6.x content, 5.3.x the receiving system) says nothing of the address. A 5xx to RCPT TO
 * without an enhanced code is taken as the address refused.
 */
export function addressFailed(status: string | null, onRecipient: boolean): boolean {
  if (status) return /^5\.(1\.\d{1,3}|2\.1)$/.test(status);
  return onRecipient;
}

/** The enhanced status code in a server's reply ("550 5.1.1 <a@b>: User unknown" → "5.1.1"), if any. */
export function enhancedStatusOf(reply: string): string | null {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply)?.[1] ?? null;
}
