import { simpleParser } from 'mailparser';

/** One recipient's block of a delivery status notification (RFC 3464 §2.3). */
export type RecipientReport = {
  /** Final-Recipient (else Original-Recipient), the bare address. */
  recipient: string | null;
  /** failed, delayed, delivered, relayed or expanded. */
  action: string;
  /** The enhanced status code (RFC 3463), e.g. 5.1.1. */
  status: string | null;
  /** Diagnostic-Code without its type ("smtp; 550 5.1.1 …" → "550 5.1.1 …"), else null. */
  diagnostic: string | null;
};

export type DeliveryReport = {
  /** The Message-ID of the message the report is about, from its returned headers, in <angle brackets> as we sent it. */
  originalMessageId: string | null;
  recipients: RecipientReport[];
};

/**
 * Reads a delivery status notification as a relay or a bounce mailbox hands it over: a
 * multipart/report; report-type=delivery-status message (RFC 3464) with a message/delivery-status
 * part and the original's headers (text/rfc822-headers) or the whole original (message/rfc822).
 * MIME is mailparser's; the status fields are header blocks, parsed by it too. Null when the
 * message is not such a report.
 */
export async function parseDeliveryReport(raw: Buffer): Promise<DeliveryReport | null> {
  const mail = await simpleParser(raw, { keepDeliveryStatus: true, skipHtmlToText: true, skipTextLinks: true, skipImageLinks: true });
  const type = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (type?.value?.toLowerCase() !== 'multipart/report' || type.params?.['report-type']?.toLowerCase() !== 'delivery-status') return null;
  const status = mail.attachments.find((a) => a.contentType.toLowerCase() === 'message/delivery-status');
  if (!status) return null;
  const original = mail.attachments.find((a) => ['text/rfc822-headers', 'message/rfc822'].includes(a.contentType.toLowerCase()));
  const originalMessageId = original ? ((await simpleParser(original.content)).messageId ?? null) : null;
  // The per-message block first, then one block per recipient, separated by blank lines.
  const blocks = status.content
    .toString('utf8')
    .split(/\r?\n\s*\r?\n/)
    .filter((b) => b.trim() !== '');
  const recipients: RecipientReport[] = [];
  for (const block of blocks.slice(1)) {
    const fields = (await simpleParser(`${block.trim()}\r\n\r\n`)).headers;
    const text = (name: string) => {
      const value = fields.get(name);
      return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : null;
    };
    const action = text('action')?.toLowerCase();
    if (!action) continue;
    recipients.push({
      recipient: addressOf(text('final-recipient') ?? text('original-recipient')),
      action,
      status: /^\d\.\d{1,3}\.\d{1,3}/.exec(text('status') ?? '')?.[0] ?? null,
      diagnostic: text('diagnostic-code')?.replace(/^[^;]*;\s*/, '') ?? null,
    });
  }
  return { originalMessageId: originalMessageId ? `<${originalMessageId.replace(/^<|>$/g, '')}>` : null, recipients };
}

/** "rfc822; a@b" → "a@b". */
function addressOf(field: string | null): string | null {
  if (!field) return null;
  return (
    field
      .replace(/^[^;]*;\s*/, '')
      .replace(/^<|>$/g, '')
      .trim() || null
  );
}
