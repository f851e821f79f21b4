import type { WhatsAppTemplate } from '../whatsapp-channel.ts';

/**
 * WhatsApp Cloud API sends (Meta Graph API): POST /{version}/{phone-number-id}/messages with a
 * bearer token and a JSON body. Outside the customer's 24-hour service window only an approved
 * template may be sent (name, language, positional body parameters, an optional URL-button
 * suffix); inside it, free text. 200 means accepted, not delivered: delivery comes by webhook.
 * Errors are keyed on Graph's numeric code.
 */
export type WhatsAppConfig = {
  phoneNumberId: string;
  accessToken: string;
  /** https://graph.facebook.com, or a local fake in tests. */
  baseUrl?: string;
  version?: string;
  timeoutMs?: number;
};

/**
 * What a failure means for the step that sent it:
 * - `use_next_channel`: outside the service window (131047) or not deliverable on WhatsApp
 *   (131026); the step's next channel should carry the message.
 * - `transient`: throughput (130429), pair rate (131056), Graph's own faults, or an expired token (190); try later.
 * - `rejected`: the request itself is wrong (template parameters, 132000/132001); fix the mapping.
 */
export type WhatsAppFailureKind = 'use_next_channel' | 'transient' | 'rejected';

export class WhatsAppError extends Error {
  override name = 'WhatsAppError';
  constructor(
    readonly kind: WhatsAppFailureKind,
    readonly code: number | null,
    readonly httpStatus: number | null,
    message: string,
  ) {
    super(message);
  }
}

const KIND_BY_CODE: Record<number, WhatsAppFailureKind> = {
  131047: 'use_next_channel',
  131026: 'use_next_channel',
  130429: 'transient',
  131056: 'transient',
  190: 'transient',
  132000: 'rejected',
  132001: 'rejected',
};

export function whatsAppFailureKind(code: number | null, httpStatus: number | null): WhatsAppFailureKind {
  if (code !== null && KIND_BY_CODE[code]) return KIND_BY_CODE[code];
  return httpStatus === null || httpStatus === 429 || httpStatus >= 500 ? 'transient' : 'rejected';
}

/** WhatsApp ids are the E.164 digits without the plus. */
export const waId = (e164: string) => e164.replace(/^\+/, '');

export function createWhatsAppClient(config: WhatsAppConfig) {
  if (!/^\d{5,20}$/.test(config.phoneNumberId))
    throw new Error('the WhatsApp phone number id is the numeric id Meta shows, not the phone number');
  const base = (config.baseUrl ?? 'https://graph.facebook.com').replace(/\/+$/, '');
  const endpoint = `${base}/${config.version ?? 'v21.0'}/${config.phoneNumberId}/messages`;

  async function post(body: Record<string, unknown>): Promise<{ id: string; status: string | null }> {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${config.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', ...body }),
        signal: AbortSignal.timeout(config.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new WhatsAppError('transient', null, null, `WhatsApp could not be reached: ${(error as Error).message}`);
    }
    const data = (await response.json().catch(() => null)) as {
      messages?: Array<{ id: string; message_status?: string }>;
      error?: { code?: number; message?: string };
    } | null;
    if (response.ok && data?.messages?.[0]?.id) return { id: data.messages[0].id, status: data.messages[0].message_status ?? null };
    const code = typeof data?.error?.code === 'number' ? data.error.code : null;
    throw new WhatsAppError(
      whatsAppFailureKind(code, response.status),
      code,
      response.status,
      `WhatsApp refused the message (HTTP ${response.status}${code ? `, code ${code}` : ''}): ${String(data?.error?.message ?? '').slice(0, 200)}`,
    );
  }

  return {
    /** A business-initiated message: an approved template (works outside the service window). */
    sendTemplate(to: string, template: WhatsAppTemplate) {
      const components: Array<Record<string, unknown>> = [];
      if (template.bodyParameters.length)
        components.push({ type: 'body', parameters: template.bodyParameters.map((text) => ({ type: 'text', text })) });
      if (template.urlButtonSuffix !== undefined)
        components.push({ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: template.urlButtonSuffix }] });
      return post({ to: waId(to), type: 'template', template: { name: template.name, language: { code: template.language }, components } });
    },
    /** Free text: only inside the customer's 24-hour service window (else 131047). */
    sendText(to: string, body: string, previewUrl = true) {
      return post({ to: waId(to), type: 'text', text: { preview_url: previewUrl, body } });
    },
  };
}

export type WhatsAppClient = ReturnType<typeof createWhatsAppClient>;
