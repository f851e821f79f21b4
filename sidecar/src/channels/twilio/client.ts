/**
 * Twilio's Messages API (2010-04-01): one SMS per call, form-encoded, HTTP Basic with the account
 * SID and auth token, the sender a number (From) or a Messaging Service. Twilio answers 201 with
 * the message (status queued/accepted); delivery is reported later to StatusCallback. Errors are
 * keyed on Twilio's numeric code, never on its message text.
 */
export type TwilioConfig = {
  accountSid: string;
  authToken: string;
  /** Either a sender number (E.164) … */
  from?: string;
  /** … or a Messaging Service (MG…), which picks the sender and handles opt-out keywords. */
  messagingServiceSid?: string;
  /** https://api.twilio.com, or a local fake in tests. */
  baseUrl?: string;
  timeoutMs?: number;
};

export type TwilioMessage = { sid: string; status: string; to: string; from: string | null; numSegments: string };

/** Why a send failed, as the outbox needs to know it: try again later, or never for this number. */
export type SmsFailureKind = 'opted_out' | 'invalid_number' | 'rejected' | 'transient';

export class TwilioError extends Error {
  override name = 'TwilioError';
  constructor(
    readonly kind: SmsFailureKind,
    readonly code: number | null,
    readonly httpStatus: number | null,
    message: string,
  ) {
    super(message);
  }
  /** A permanent failure: sending the same message again cannot work. */
  get permanent(): boolean {
    return this.kind !== 'transient';
  }
}

/** 21610: the recipient replied STOP to this sender; 21211/21614: not a number that takes SMS. */
const KIND_BY_CODE: Record<number, SmsFailureKind> = {
  21610: 'opted_out',
  21211: 'invalid_number',
  21614: 'invalid_number',
  21408: 'rejected',
  21612: 'rejected',
};

export function createTwilioClient(config: TwilioConfig) {
  if (!/^AC[0-9a-fA-F]{32}$/.test(config.accountSid)) throw new Error('TWILIO account SID must look like AC followed by 32 hex digits');
  if (!config.from && !config.messagingServiceSid) throw new Error('a Twilio sender is needed: a From number or a Messaging Service SID');
  if (config.messagingServiceSid && !/^MG[0-9a-fA-F]{32}$/.test(config.messagingServiceSid))
    throw new Error('TWILIO Messaging Service SID must look like MG followed by 32 hex digits');
  const base = (config.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const endpoint = `${base}/2010-04-01/Accounts/${config.accountSid}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`, 'utf8').toString('base64')}`;

  return {
    async send(message: { to: string; body: string; statusCallback?: string }): Promise<TwilioMessage> {
      const form = new URLSearchParams({ To: message.to });
      if (config.messagingServiceSid) form.set('MessagingServiceSid', config.messagingServiceSid);
      else form.set('From', config.from!);
      form.set('Body', message.body);
      if (message.statusCallback) form.set('StatusCallback', message.statusCallback);
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
          signal: AbortSignal.timeout(config.timeoutMs ?? 15_000),
        });
      } catch (error) {
        throw new TwilioError('transient', null, null, `Twilio could not be reached: ${(error as Error).message}`);
      }
      const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
      if (response.status === 201 || response.status === 200) {
        return {
          sid: String(body?.sid),
          status: String(body?.status),
          to: String(body?.to),
          from: (body?.from as string | null) ?? null,
          numSegments: scalarText(body?.num_segments),
        };
      }
      const code = typeof body?.code === 'number' ? body.code : null;
      // Throttling and Twilio's own faults pass; a request Twilio refused for this number does not.
      const kind =
        code !== null && KIND_BY_CODE[code]
          ? KIND_BY_CODE[code]
          : response.status === 429 || response.status >= 500 || response.status === 401
            ? 'transient'
            : 'rejected';
      throw new TwilioError(
        kind,
        code,
        response.status,
        `Twilio refused the SMS (HTTP ${response.status}${code ? `, code ${code}` : ''}): ${scalarText(body?.message).slice(0, 200)}`,
      );
    },
  };
}

export type TwilioClient = ReturnType<typeof createTwilioClient>;

/** A scalar field of Twilio's JSON as text; '' when it is absent (null or missing) or not a scalar. */
function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}
