import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta's webhook side of the WhatsApp Cloud API: the subscription check (echo hub.challenge when
 * the verify token matches) and X-Hub-Signature-256 (HMAC-SHA256 of the raw body bytes with the
 * app secret; checked before parsing, never over re-serialised JSON), then the events: message
 * statuses (sent, delivered, read, failed with error codes) and inbound messages.
 */
export function verifySubscription(query: Record<string, unknown>, verifyToken: string): string | null {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string') return null;
  const a = Buffer.from(token, 'utf8');
  const b = Buffer.from(verifyToken, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b) ? challenge : null;
}

export function verifyMetaSignature(appSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header ?? '');
  if (!match) return false;
  const expected = createHmac('sha256', Buffer.from(appSecret, 'utf8')).update(rawBody).digest();
  const given = Buffer.from(match[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type WhatsAppStatus = {
  messageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | (string & {});
  at: Date;
  recipient: string;
  errors: Array<{ code: number; title: string; details?: string }>;
};

export type WhatsAppInbound = {
  messageId: string;
  from: string;
  at: Date;
  type: string;
  text: string | null;
  name: string | null;
  phoneNumberId: string;
};

type Value = {
  metadata?: { phone_number_id?: string };
  contacts?: Array<{ wa_id?: string; profile?: { name?: string } }>;
  statuses?: Array<{
    id: string;
    status: string;
    timestamp: string;
    recipient_id: string;
    errors?: Array<{ code: number; title?: string; error_data?: { details?: string } }>;
  }>;
  messages?: Array<{ id: string; from: string; timestamp: string; type: string; text?: { body?: string } }>;
};

/** Every status and inbound message in one delivery (Meta batches several per POST). */
export function parseWhatsAppEvents(payload: unknown): { statuses: WhatsAppStatus[]; inbound: WhatsAppInbound[] } {
  const statuses: WhatsAppStatus[] = [];
  const inbound: WhatsAppInbound[] = [];
  const body = payload as { object?: string; entry?: Array<{ changes?: Array<{ field?: string; value?: Value }> }> };
  if (body?.object !== 'whatsapp_business_account') return { statuses, inbound };
  for (const entry of body.entry ?? []) {
    for (const change of entry.changes ?? []) {
      if (change.field !== 'messages' || !change.value) continue;
      const value = change.value;
      for (const s of value.statuses ?? []) {
        statuses.push({
          messageId: s.id,
          status: s.status,
          at: new Date(Number(s.timestamp) * 1000),
          recipient: s.recipient_id,
          errors: (s.errors ?? []).map((e) => ({
            code: e.code,
            title: e.title ?? '',
            ...(e.error_data?.details ? { details: e.error_data.details } : {}),
          })),
        });
      }
      for (const m of value.messages ?? []) {
        const contact = value.contacts?.find((c) => c.wa_id === m.from);
        inbound.push({
          messageId: m.id,
          from: m.from,
          at: new Date(Number(m.timestamp) * 1000),
          type: m.type,
          text: m.text?.body ?? null,
          name: contact?.profile?.name ?? null,
          phoneNumberId: value.metadata?.phone_number_id ?? '',
        });
      }
    }
  }
  return { statuses, inbound };
}
