/** One email as a channel sends it. `headers` carries extra headers (List-Unsubscribe, …). */
export type EmailMessage = {
  to: string;
  from: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  /** Stable per message; a resend after a crash carries the same key (and so the same Message-ID). */
  idempotencyKey: string;
};

export type SendResult = { providerMessageId: string };

/** The one interface every email provider implements. */
export interface EmailChannel {
  readonly id: string;
  send(message: EmailMessage): Promise<SendResult>;
  close?(): Promise<void>;
}

/**
 * A failed send. `permanent` means sending the same message again cannot succeed (recipient
 * rejected with 5xx, malformed message); otherwise the outbox retries it later.
 */
export class ChannelError extends Error {
  override name = 'ChannelError';
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static permanent(message: string, code?: string, cause?: unknown): ChannelError {
    return new ChannelError(message, true, code, { cause });
  }
  static retryable(message: string, code?: string, cause?: unknown): ChannelError {
    return new ChannelError(message, false, code, { cause });
  }
}
